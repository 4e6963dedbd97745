import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { cpuSeconds } from './proc';
import { median, percentile, report, type Goal, type Row } from './report';

/**
 * Connections in 2-peer rooms on loopback, each sending a 1 KB signal to its partner every
 * 100 ms, against our server, a minimal ws relay (the floor) and the PeerJS server, in one run.
 * The load generator shares the machine's two cores with the server under test.
 * Each server runs ROUNDS times, interleaved with the others, and the table shows the medians.
 */
const SIZES = (process.env.BENCH_CONNECTIONS ?? '1000,5000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Rounds per server, interleaved; the table shows medians (one run alone swings ±10 % here). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const INTERVAL_MS = 100;
const PAD = 'x'.repeat(900);

interface Target {
  name: string;
  command: string[];
  url: (port: number, room: string, id: string) => string;
  /** Joins; resolves with a function that sends `payload` to the partner. */
  attach: (socket: WebSocket, room: string, id: string, partnerId: string, onPayload: (sentAt: number) => void) => Promise<(sentAt: number) => void>;
}

const ours: Target = {
  name: 'webrtc-studio',
  command: [...SERVER_NODE_FLAGS, '.output/server/index.mjs'],
  url: (port) => `ws://127.0.0.1:${port}/ws`,
  attach: (socket, room, _id, _partner, onPayload) =>
    new Promise((resolve) => {
      let partner: string | null = null;
      let myself = false;
      const ready = () => {
        if (partner && myself) resolve((sentAt) => socket.send(`{"type":"signal","to":"${partner}","data":{"t":${sentAt},"pad":"${PAD}"}}`));
      };
      socket.on('message', (raw) => {
        const text = raw.toString();
        if (text.startsWith('{"type":"signal"')) return onPayload(JSON.parse(text).data.t);
        const message = JSON.parse(text);
        if (message.type === 'welcome') {
          myself = true;
          partner = message.peers[0]?.id ?? partner;
        } else if (message.type === 'peer-joined') partner = message.peer.id;
        ready();
      });
      socket.send(JSON.stringify({ type: 'join', room }));
    }),
};

const minimal: Target = {
  name: 'minimal ws relay',
  command: ['bench/servers/minimal-relay.mjs'],
  url: (port, room) => `ws://127.0.0.1:${port}/?room=${room}`,
  attach: async (socket, _room, _id, _partner, onPayload) => {
    socket.on('message', (raw) => onPayload(JSON.parse(raw.toString()).t));
    return (sentAt) => socket.send(`{"t":${sentAt},"pad":"${PAD}"}`);
  },
};

const peerjs: Target = {
  name: 'PeerJS server',
  command: ['bench/servers/peerjs.mjs'],
  url: (port, _room, id) => `ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${id}&token=t${id}`,
  // PeerJS registers a peer as its socket opens (its OPEN message may already have gone by).
  attach: async (socket, _room, _id, partner, onPayload) => {
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'OFFER') onPayload(message.payload.t);
    });
    return (sentAt) => socket.send(`{"type":"OFFER","dst":"${partner}","payload":{"t":${sentAt},"pad":"${PAD}"}}`);
  },
};

function startServer(target: Target): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, target.command, { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\d+)/.exec(out) ?? /"port":(\d+)/.exec(out);
      if (ready) resolve({ child, port: Number(ready[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${target.name} exited ${code}: ${out}`)));
  });
}

/** CPU milliseconds (user + system) a process has used. */
const cpuMs = (pid: number) => cpuSeconds(pid) * 1000;

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}


async function measure(target: Target, connections: number): Promise<Row> {
  const { child, port } = await startServer(target);
  const sockets: WebSocket[] = [];
  const senders: ((sentAt: number) => void)[] = [];
  const latencies: number[] = [];
  let received = 0;
  let measuring = false;
  const onPayload = (sentAt: number) => {
    if (!measuring) return;
    received++;
    latencies.push(performance.now() - sentAt);
  };
  try {
    // Connect in batches: a pair per room, both peers joining before either sends.
    for (let start = 0; start < connections; start += 200) {
      const batch: Promise<void>[] = [];
      for (let i = start; i < Math.min(connections, start + 200); i += 2) {
        const room = `r${i}`;
        const ids = [`p${i}a`.padEnd(16, '0'), `p${i}b`.padEnd(16, '0')];
        batch.push(
          (async () => {
            const pair = await Promise.all(
              ids.map(
                (id) =>
                  new Promise<WebSocket>((resolve, reject) => {
                    const socket = new WebSocket(target.url(port, room, id), { perMessageDeflate: false });
                    socket.once('open', () => resolve(socket));
                    socket.once('error', reject);
                  }),
              ),
            );
            sockets.push(...pair);
            const attached = await Promise.all(pair.map((socket, k) => target.attach(socket, room, ids[k]!, ids[1 - k]!, onPayload)));
            senders.push(...attached);
          })(),
        );
      }
      await Promise.all(batch);
    }
    // Every sender fires once per 100 ms, the senders evenly out of phase: message n is due at
    // n × (100 ms / senders) from sender n mod senders. A 1 ms timer sends whatever is due, so the
    // offered rate holds even when a timer fires late, and no large batch waits on the generator.
    let sent = 0;
    measuring = true;
    const cpuStart = cpuMs(child.pid!);
    const startedAt = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - startedAt) / INTERVAL_MS) * senders.length);
      for (; sent < due; sent++) {
        // Stamped one by one: a batch-wide stamp would count the generator's own sending time.
        senders[sent % senders.length]!(performance.now());
      }
    }, 1);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    clearInterval(timer);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let the last messages arrive
    const cpu = cpuMs(child.pid!) - cpuStart;
    const elapsed = (performance.now() - startedAt) / 1000;
    measuring = false;
    const sorted = Float64Array.from(latencies).sort();
    return {
      server: target.name,
      connections,
      'relayed msg/s': Math.round(received / (elapsed - 2)),
      'delivered %': Number(((100 * received) / sent).toFixed(2)),
      'p50 ms': Number(percentile(sorted, 50).toFixed(2)),
      'p99 ms': Number(percentile(sorted, 99).toFixed(2)),
      'CPU-ms / 1000 msg': Number(((cpu / received) * 1000).toFixed(1)),
      'peak RSS MB': Number(peakRssMb(child.pid!).toFixed(0)),
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    child.kill('SIGKILL');
  }
}


export async function run(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
  const rows: Row[] = [];
  const targets = [ours, minimal, peerjs];
  for (const connections of SIZES) {
    const runs = new Map<string, Row[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        const row = await measure(target, connections);
        console.log(JSON.stringify({ round, ...row }));
        runs.get(target.name)!.push(row);
      }
    }
    for (const target of targets) {
      const measured = runs.get(target.name)!;
      const row: Row = { server: target.name, connections, rounds: measured.length };
      for (const key of Object.keys(measured[0]!).filter((k) => typeof measured[0]![k] === 'number' && k !== 'connections')) {
        row[key] = Number(median(measured.map((r) => Number(r[key]))).toFixed(2));
      }
      rows.push(row);
    }
  }
  const goals: Goal[] = [];
  for (const connections of SIZES) {
    const of = (name: string) => rows.find((r) => r.server === name && r.connections === connections)!;
    const [o, m, p] = [of(ours.name), of(minimal.name), of(peerjs.name)];
    o['CPU vs minimal relay'] = Number((Number(o['CPU-ms / 1000 msg']) / Number(m['CPU-ms / 1000 msg'])).toFixed(2));
    o['p99 vs PeerJS'] = Number((Number(o['p99 ms']) / Number(p['p99 ms'])).toFixed(2));
    goals.push(
      { name: `delivered % at ${connections}`, value: Number(o['delivered %']), target: '100', met: Number(o['delivered %']) >= 100 },
      { name: `CPU per message vs minimal relay at ${connections}`, value: Number(o['CPU vs minimal relay']), target: '≤ 1.25', met: Number(o['CPU vs minimal relay']) <= 1.25 },
      { name: `p99 vs PeerJS at ${connections}`, value: Number(o['p99 vs PeerJS']), target: '≤ 0.5', met: Number(o['p99 vs PeerJS']) <= 0.5 },
    );
  }
  report('signaling', rows, goals);
  process.exit(0);
}
