import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep, spawnServer, TestClient } from './testing';

/**
 * Several server processes sharing rooms through a real redis-server, and what goes wrong in
 * practice: a process that stalls, clocks that disagree, a process killed outright, Redis
 * restarting.
 */
const REDIS_PORT = 36379;
const HEARTBEAT_MS = 600;
const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;

function startRedis(): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    redis.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) (clearTimeout(timer), resolve(redis));
    });
    redis.on('error', (error) => (clearTimeout(timer), reject(error)));
  });
}

describe('scale-out through Redis', () => {
  let redis: ChildProcess;
  let store: Redis;
  const processes: Awaited<ReturnType<typeof spawnServer>>[] = [];
  const clients: TestClient[] = [];
  const server = async (env: Record<string, string> = {}) => {
    const started = await spawnServer({ REDIS_URL, HEARTBEAT_MS: String(HEARTBEAT_MS), LOG_LEVEL: 'info', ...env });
    processes.push(started);
    return started;
  };
  const client = async (port: number) => {
    const c = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    clients.push(c);
    return c;
  };
  const members = async (room: string) => (await store.hkeys(`sig:room:${room}:members`)).sort();
  /** Two processes (with `env` each), Alice joined on the first and Bob on the second, in `room`. */
  const aliceAndBob = async (room: string, env: [Record<string, string>, Record<string, string>] = [{}, {}]) => {
    const [one, two] = [await server(env[0]), await server(env[1])];
    const alice = await client(one.port);
    const bob = await client(two.port);
    const wa = await alice.join(room, { name: 'Alice' });
    const wb = await bob.join(room, { name: 'Bob' });
    await alice.next('peer-joined');
    return { one, two, alice, bob, wa, wb };
  };

  beforeAll(async () => {
    redis = await startRedis();
    store = new Redis(REDIS_URL);
    store.on('error', () => undefined); // (while the restart test has Redis down)
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const p of processes.splice(0)) p.kill('SIGKILL');
  });
  afterAll(async () => {
    store?.disconnect();
    redis?.kill('SIGTERM');
  });

  it('lets peers on different processes meet, signal, and notice a killed process', async () => {
    const one = await server();
    const two = await server();
    const alice = await client(one.port);
    const bob = await client(two.port);
    const wa = await alice.join('shared', { name: 'Alice', password: 'pw' });
    const wb = await bob.join('shared', { name: 'Bob', password: 'pw' });
    expect(wb.peers).toEqual([{ id: wa.id, name: 'Alice' }]);
    expect((await alice.next('peer-joined')).peer).toEqual({ id: wb.id, name: 'Bob' });

    alice.send({ type: 'signal', to: wb.id, data: { sdp: 'offer' } });
    expect(await bob.next('signal')).toEqual({ type: 'signal', from: wa.id, data: { sdp: 'offer' } });
    bob.send({ type: 'signal', to: wa.id, data: { sdp: 'answer' } });
    expect(await alice.next('signal')).toEqual({ type: 'signal', from: wb.id, data: { sdp: 'answer' } });

    // Capacity and password hold across processes, atomically.
    const carol = await client(one.port);
    carol.send({ type: 'join', room: 'shared', password: 'pw' });
    expect(await carol.error()).toBe('ROOM_FULL');
    carol.send({ type: 'join', room: 'shared', password: 'nope' });
    expect(await carol.error()).toBe('FORBIDDEN');
    // Rooms stay isolated across processes too.
    const wc = await carol.join('other');
    carol.send({ type: 'signal', to: wb.id, data: {} });
    expect(await carol.error()).toBe('UNKNOWN_PEER');
    alice.send({ type: 'signal', to: wc.id, data: {} });
    expect(await alice.error()).toBe('UNKNOWN_PEER');

    // Kill Bob's process outright: no goodbye reaches Redis. A signal to Bob is refused at once
    // (nobody listens on his process's channel any more), not lost in silence...
    const killedAt = Date.now();
    two.kill('SIGKILL');
    await two.exited;
    alice.send({ type: 'signal', to: wb.id, data: { sdp: 'lost?' } });
    expect(await alice.error()).toBe('UNKNOWN_PEER');
    expect(Date.now() - killedAt).toBeLessThan(HEARTBEAT_MS);
    // ...and the room is told he left within about a heartbeat and a third.
    const left = await alice.next('peer-left', 4 * HEARTBEAT_MS);
    expect(left.id).toBe(wb.id);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(2 * HEARTBEAT_MS + 200);

    // The room has space again.
    const dave = await client(one.port);
    await dave.join('shared', { password: 'pw' });
  }, 30_000);

  it('tells every first joiner of its partner when 200 pairs join on two processes at once', async () => {
    const one = await server();
    const two = await server();
    const pairs = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const [a, b] = await Promise.all([client(one.port), client(two.port)]);
        const [wa, wb] = await Promise.all([a.join(`crowd-${i}`), b.join(`crowd-${i}`)]);
        return { a, b, wa, wb };
      }),
    );
    // Whoever joined second was welcomed with the other; the first hears "peer-joined" — even
    // when the news from the other process arrives before its own join's answer from Redis.
    await Promise.all(
      pairs.map(async ({ a, b, wa, wb }) => {
        const [first, second] = wa.peers.length === 0 ? [a, wb] : [b, wa];
        expect((await first.next('peer-joined', 3000)).peer.id).toBe(second.id);
      }),
    );
  }, 30_000);

  it('takes a member swept out while its process stalled back in, and the room hears it joined again', async () => {
    const { two, alice, bob, wa, wb } = await aliceAndBob('stall');

    // Bob's process frozen for 2½ heartbeats: Alice's process sweeps him out and tells her.
    two.kill('SIGSTOP');
    expect((await alice.next('peer-left', 3 * HEARTBEAT_MS)).id).toBe(wb.id);
    expect(await members('stall')).toEqual([wa.id]);
    await sleep(HEARTBEAT_MS);
    two.kill('SIGCONT');

    // Back: his process finds him swept, puts him back (there is space) and the room hears it.
    expect((await alice.next('peer-joined', 3 * HEARTBEAT_MS)).peer).toEqual({ id: wb.id, name: 'Bob' });
    expect(await members('stall')).toEqual([wa.id, wb.id].sort());
    // Both directions deliver; Bob was never dropped.
    alice.send({ type: 'signal', to: wb.id, data: { n: 1 } });
    expect(await bob.next('signal')).toEqual({ type: 'signal', from: wa.id, data: { n: 1 } });
    bob.send({ type: 'signal', to: wa.id, data: { n: 2 } });
    expect(await alice.next('signal')).toEqual({ type: 'signal', from: wb.id, data: { n: 2 } });
    expect(bob.socket.readyState).toBe(bob.socket.OPEN);
  }, 30_000);

  it('disconnects a member swept out while its process stalled when the room filled up meanwhile: no ghost, never over capacity', async () => {
    const { one, two, alice, bob, wa, wb } = await aliceAndBob('full');
    const sizes: number[] = [];
    const watch = setInterval(() => void store.hlen('sig:room:full:members').then((n) => sizes.push(n)), 50);
    try {
      two.kill('SIGSTOP');
      expect((await alice.next('peer-left', 3 * HEARTBEAT_MS)).id).toBe(wb.id);
      // Carol takes the place while Bob's process is frozen.
      const carol = await client(one.port);
      const wc = await carol.join('full', { name: 'Carol' });
      two.kill('SIGCONT');

      // Bob's process finds the room full: it closes his connection (4001) so his client joins
      // again — which the full room refuses. Alice never hears of him again.
      expect((await bob.closed).code).toBe(4001);
      const again = await client(two.port);
      again.send({ type: 'join', room: 'full' });
      expect(await again.error()).toBe('ROOM_FULL');
      expect(await members('full')).toEqual([wa.id, wc.id].sort());
      await sleep(2 * HEARTBEAT_MS);
      expect(alice.received.filter((m) => m.type === 'peer-joined').map((m) => (m as { peer: { id: string } }).peer.id)).toEqual([wc.id]);
    } finally {
      clearInterval(watch);
    }
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
  }, 30_000);

  it('keeps healthy peers whose processes\' clocks disagree by 5 s (liveness runs on Redis\'s clock)', async () => {
    const { alice, bob, wa, wb } = await aliceAndBob('skew', [{ TEST_CLOCK_SKEW_MS: '2500' }, { TEST_CLOCK_SKEW_MS: '-2500' }]);
    await sleep(4 * HEARTBEAT_MS);
    expect([...alice.received, ...bob.received].filter((m) => m.type === 'peer-left')).toEqual([]);
    expect(await members('skew')).toEqual([wa.id, wb.id].sort());
    alice.send({ type: 'signal', to: wb.id, data: {} });
    await bob.next('signal');
    bob.send({ type: 'signal', to: wa.id, data: {} });
    await alice.next('signal');
  }, 30_000);

  it('lives through Redis restarting: connections stay, joins are refused clearly while it is down, and it all works again after', async () => {
    const one = await server({ MAX_PEERS_PER_ROOM: '4' });
    const two = await server({ MAX_PEERS_PER_ROOM: '4' });
    const alice = await client(one.port);
    const dave = await client(one.port);
    const bob = await client(two.port);
    const wa = await alice.join('restart', { name: 'Alice' });
    const wd = await dave.join('restart', { name: 'Dave' });
    const wb = await bob.join('restart', { name: 'Bob' });
    for (const name of ['Dave', 'Bob']) expect((await alice.next('peer-joined')).peer.name).toBe(name);
    const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<{ status: string; redis: string }>;
    expect(await health(one.port)).toMatchObject({ status: 'ok', redis: 'up' });

    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    await sleep(300);
    expect(await health(one.port)).toMatchObject({ status: 'degraded', redis: 'down' });
    // A new join is refused, said so, and the connection closed to try again later (1013).
    const carol = await client(one.port);
    carol.send({ type: 'join', room: 'restart' });
    expect(await carol.error()).toBe('UNAVAILABLE');
    expect((await carol.closed).code).toBe(1013);
    // Peers on the same process still reach each other; across processes the sender is told.
    alice.send({ type: 'signal', to: wd.id, data: { same: 'process' } });
    expect(await dave.next('signal')).toEqual({ type: 'signal', from: wa.id, data: { same: 'process' } });
    alice.send({ type: 'signal', to: wb.id, data: {} });
    expect(await alice.error()).toBe('UNAVAILABLE');
    for (const c of [alice, dave, bob]) expect(c.socket.readyState).toBe(c.socket.OPEN);

    // Redis back, empty: each process puts its members back (quietly: nobody was told they left).
    redis = await startRedis();
    const deadline = Date.now() + 10_000;
    while ((await members('restart').catch(() => [])).length < 3 && Date.now() < deadline) await sleep(100);
    expect(await members('restart')).toEqual([wa.id, wb.id, wd.id].sort());
    expect(await health(one.port)).toMatchObject({ status: 'ok', redis: 'up' });
    alice.send({ type: 'signal', to: wb.id, data: { across: 'again' } });
    expect(await bob.next('signal')).toEqual({ type: 'signal', from: wa.id, data: { across: 'again' } });
    const erin = await client(two.port);
    await erin.join('restart', { name: 'Erin' });
    expect((await alice.next('peer-joined')).peer.name).toBe('Erin');
    expect([...alice.received, ...bob.received, ...dave.received].filter((m) => m.type === 'peer-left')).toEqual([]);
    // Redis's failures were counted.
    expect(await (await fetch(`http://127.0.0.1:${one.port}/metrics`)).text()).toMatch(/signaling_redis_errors_total [1-9]/);
  }, 40_000);
});
