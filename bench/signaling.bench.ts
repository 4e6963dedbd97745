import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { cpuSeconds } from './proc';
import { median, report, type Goal, type Row } from './report';

/**
 * Signaling servers under the same load: 2-peer rooms, each peer sending a ~1 KB signal to its
 * partner every 100 ms, from load generators in processes of their own
 * (bench/signaling/load-generator.mjs, two of them, rooms split between them).
 *
 * 1. Fixed loads (BENCH_CONNECTIONS, 1000 and 2000 connections by default) against ours in memory, ours in Redis
 *    mode (two processes and a redis-server, the two peers of every room on different
 *    processes), the minimal ws relay (the floor) and the PeerJS server: CPU per 1000 messages
 *    (the servers' processes, redis-server included), p50/p99, delivered %. BENCH_ROUNDS rounds
 *    each, interleaved; the table shows medians.
 * 2. Capacity at a latency bound: the load raised step by step (BENCH_CAPACITY_STEPS) until p99
 *    goes over 50 ms or a message is lost; the largest load each server held.
 * Each measurement starts after 3 s of the same load (code compiled, buffers grown).
 */
const FIXED = (process.env.BENCH_CONNECTIONS ?? '1000,2000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STEPS = (process.env.BENCH_CAPACITY_STEPS ?? '1000,1500,2000,2500,3000,3500,4000,5000,6000,8000').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 10);
const P99_BOUND_MS = 50;
/** BENCH_PARTS: `fixed`, `capacity` or both (the default). */
const PARTS = (process.env.BENCH_PARTS ?? 'fixed,capacity').split(',');
const GENERATORS = 2;
const REDIS_PORT = 36479;

type Protocol = 'ours' | 'minimal' | 'peerjs';

/** Servers running: where each peer of a room connects, and the processes whose CPU counts. */
interface Running {
  urls: [string, string];
  pids: number[];
  /** Kills them; resolves once they are gone (the next setup binds the same Redis port). */
  stop(): Promise<void>;
}

/** Kills processes and waits for them to exit. */
function killAll(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      return exited;
    }),
  ).then(() => undefined);
}

interface Setup {
  name: string;
  protocol: Protocol;
  start(): Promise<Running>;
}

function startProcess(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(command, args, { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${out}`)));
  });
}

const SERVER_READY = /"port":(\d+).*signaling server listening/;
const ourServer = (env: Record<string, string> = {}) => startProcess(process.execPath, [...SERVER_NODE_FLAGS, '.output/server/index.mjs'], env, SERVER_READY);

const inMemory: Setup = {
  name: 'webrtc-studio (in memory)',
  protocol: 'ours',
  async start() {
    const { child, port } = await ourServer();
    return { urls: [`ws://127.0.0.1:${port}/ws`, `ws://127.0.0.1:${port}/ws`], pids: [child.pid!], stop: () => killAll([child]) };
  },
};

const redisMode: Setup = {
  name: 'webrtc-studio (Redis, 2 processes)',
  protocol: 'ours',
  async start() {
    const redis = await startProcess('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, new RegExp(`(${REDIS_PORT})[\\s\\S]*Ready to accept connections`));
    const env = { REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}` };
    const [one, two] = await Promise.all([ourServer(env), ourServer(env)]);
    return {
      urls: [`ws://127.0.0.1:${one.port}/ws`, `ws://127.0.0.1:${two.port}/ws`],
      pids: [one.child.pid!, two.child.pid!, redis.child.pid!],
      stop: () => killAll([one.child, two.child, redis.child]),
    };
  },
};

const relay = (name: string, protocol: Protocol, script: string): Setup => ({
  name,
  protocol,
  async start() {
    const { child, port } = await startProcess(process.execPath, [script], {}, /READY (\d+)/);
    return { urls: [`ws://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`], pids: [child.pid!], stop: () => killAll([child]) };
  },
});
const minimal = relay('minimal ws relay', 'minimal', 'bench/servers/minimal-relay.mjs');
const peerjs = relay('PeerJS server', 'peerjs', 'bench/servers/peerjs.mjs');

/** CPU milliseconds (user + system) of processes, those that ended counting nothing more. */
const cpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid) * 1000, 0);

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** The latency below which p % of the messages arrived, from the generators' merged histogram. */
function percentileOf(buckets: Map<number, number>, total: number, p: number): number {
  const wanted = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(bucket)!;
    // (The generator's buckets: 0.05 ms wide below 100 ms, 1 ms wide above; the upper edge.)
    if (seen >= wanted) return bucket < 2000 ? (bucket + 1) * 0.05 : 100 + (bucket - 2000) + 1;
  }
  return Number.POSITIVE_INFINITY;
}

interface Measured {
  sent: number;
  received: number;
  p50: number;
  p99: number;
  cpuMsPer1000: number;
  rssMb: number;
  seconds: number;
}

async function measure(setup: Setup, connections: number, seconds: number): Promise<Measured> {
  const running = await setup.start();
  const generators: ChildProcess[] = [];
  try {
    const rooms = connections / 2;
    const lines: AsyncIterableIterator<string>[] = [];
    for (let g = 0; g < GENERATORS; g++) {
      const first = Math.floor((rooms * g) / GENERATORS);
      const count = Math.floor((rooms * (g + 1)) / GENERATORS) - first;
      const child = spawn(process.execPath, ['bench/signaling/load-generator.mjs', JSON.stringify({ target: setup.protocol, urls: running.urls, firstRoom: first, rooms: count, seconds })], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      generators.push(child);
      lines.push(createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
    }
    for (const line of lines) if ((await line.next()).value !== 'READY') throw new Error(`${setup.name}: a load generator did not get ready`);
    for (const child of generators) child.stdin!.write('GO\n');
    for (const line of lines) if ((await line.next()).value !== 'MEASURING') throw new Error(`${setup.name}: a load generator did not start`);
    const cpuStart = cpuMs(running.pids);
    const results = await Promise.all(lines.map(async (line) => JSON.parse((await line.next()).value as string) as { sent: number; received: number; buckets: Record<string, number> }));
    const cpu = cpuMs(running.pids) - cpuStart;
    const buckets = new Map<number, number>();
    for (const r of results) for (const [bucket, count] of Object.entries(r.buckets)) buckets.set(Number(bucket), (buckets.get(Number(bucket)) ?? 0) + count);
    const sent = results.reduce((sum, r) => sum + r.sent, 0);
    const received = results.reduce((sum, r) => sum + r.received, 0);
    return {
      sent,
      received,
      p50: percentileOf(buckets, received, 50),
      p99: percentileOf(buckets, received, 99),
      cpuMsPer1000: (cpu / Math.max(1, received)) * 1000,
      rssMb: Math.max(...running.pids.map(peakRssMb)),
      seconds,
    };
  } finally {
    await killAll(generators);
    await running.stop();
  }
}

const holds = (m: Measured) => m.received >= m.sent && m.p99 <= P99_BOUND_MS;

export async function run(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
  const rows: Row[] = [];
  const goals: Goal[] = [];

  // 1. The same load on each.
  const setups = [inMemory, redisMode, minimal, peerjs];
  for (const connections of PARTS.includes('fixed') ? FIXED : []) {
    const runs = new Map<Setup, Measured[]>(setups.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const setup of setups) {
        const m = await measure(setup, connections, SECONDS);
        console.log(JSON.stringify({ round, server: setup.name, connections, ...m }));
        runs.get(setup)!.push(m);
      }
    }
    const row = (setup: Setup): Row => {
      const ms = runs.get(setup)!;
      const mid = (pick: (m: Measured) => number) => Number(median(ms.map(pick)).toFixed(2));
      return {
        server: setup.name,
        connections,
        rounds: ms.length,
        'relayed msg/s': Math.round(median(ms.map((m) => m.received / m.seconds))),
        'delivered %': mid((m) => (100 * m.received) / m.sent),
        'p50 ms': mid((m) => m.p50),
        'p99 ms': mid((m) => m.p99),
        'CPU-ms / 1000 msg': Number(median(ms.map((m) => m.cpuMsPer1000)).toFixed(1)),
        'peak RSS MB (a process)': Math.round(median(ms.map((m) => m.rssMb))),
      };
    };
    const [memoryRow, redisRow, minimalRow, peerjsRow] = setups.map(row) as [Row, Row, Row, Row];
    memoryRow['CPU vs minimal relay'] = Number((Number(memoryRow['CPU-ms / 1000 msg']) / Number(minimalRow['CPU-ms / 1000 msg'])).toFixed(2));
    redisRow['CPU vs in memory'] = Number((Number(redisRow['CPU-ms / 1000 msg']) / Number(memoryRow['CPU-ms / 1000 msg'])).toFixed(2));
    rows.push(memoryRow, redisRow, minimalRow, peerjsRow);
    goals.push(
      { name: `delivered % at ${connections}, in memory`, value: Number(memoryRow['delivered %']), target: '100', met: Number(memoryRow['delivered %']) >= 100 },
      { name: `delivered % at ${connections}, Redis mode`, value: Number(redisRow['delivered %']), target: '100', met: Number(redisRow['delivered %']) >= 100 },
      { name: `CPU per message vs minimal relay at ${connections}`, value: Number(memoryRow['CPU vs minimal relay']), target: '≤ 1.25', met: Number(memoryRow['CPU vs minimal relay']) <= 1.25 },
      { name: `Redis mode's CPU per message vs in memory at ${connections}`, value: Number(redisRow['CPU vs in memory']), target: '≤ 2', met: Number(redisRow['CPU vs in memory']) <= 2 },
    );
  }

  // 2. Capacity: the largest load held with p99 ≤ 50 ms and nothing lost.
  const capacity = new Map<Setup, number>();
  for (const setup of PARTS.includes('capacity') ? setups : []) {
    let held: { connections: number; m: Measured } | null = null;
    let broke: { connections: number; m: Measured } | null = null;
    for (const connections of STEPS) {
      const m = await measure(setup, connections, STEP_SECONDS);
      console.log(JSON.stringify({ capacity: setup.name, connections, ...m }));
      if (!holds(m)) {
        broke = { connections, m };
        break;
      }
      held = { connections, m };
    }
    capacity.set(setup, held?.connections ?? 0);
    rows.push({
      server: setup.name,
      'capacity: connections held (p99 ≤ 50 ms, 100 % delivered)': held ? held.connections : `< ${STEPS[0]}`,
      'msg/s there': held ? Math.round(held.m.received / held.m.seconds) : null,
      'p99 there, ms': held ? Number(held.m.p99.toFixed(2)) : null,
      'next step': broke ? `${broke.connections}: p99 ${broke.m.p99.toFixed(1)} ms, ${((100 * broke.m.received) / broke.m.sent).toFixed(2)} % delivered` : 'none failed (the steps ran out)',
    });
  }
  const ratio = capacity.get(inMemory)! / Math.max(1, capacity.get(peerjs)!);
  if (capacity.size) goals.push({ name: "capacity at p99 ≤ 50 ms: ours (in memory) vs PeerJS's", value: Number(ratio.toFixed(2)), target: '≥ 1.25', met: ratio >= 1.25 });
  report('signaling', rows, goals);
  process.exit(0);
}
