import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, TestClient } from './testing';

/** Two server processes sharing rooms through a real redis-server. */
describe('scale-out through Redis', () => {
  const redisPort = 36379;
  const heartbeatMs = 600;
  let redis: ChildProcess;

  beforeAll(async () => {
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
      redis.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) (clearTimeout(timer), resolve());
      });
      redis.on('error', reject);
    });
  });
  afterAll(() => {
    redis?.kill('SIGTERM');
  });

  it('lets peers on different processes meet, signal, and notice a killed process', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, HEARTBEAT_MS: String(heartbeatMs), LOG_LEVEL: 'info' };
    const one = await spawnServer(env);
    const two = await spawnServer(env);
    try {
      const alice = await TestClient.connect(`ws://127.0.0.1:${one.port}/ws`);
      const bob = await TestClient.connect(`ws://127.0.0.1:${two.port}/ws`);
      const wa = await alice.join('shared', { name: 'Alice', password: 'pw' });
      const wb = await bob.join('shared', { name: 'Bob', password: 'pw' });
      expect(wb.peers).toEqual([{ id: wa.id, name: 'Alice' }]);
      expect((await alice.next('peer-joined')).peer).toEqual({ id: wb.id, name: 'Bob' });

      alice.send({ type: 'signal', to: wb.id, data: { sdp: 'offer' } });
      expect(await bob.next('signal')).toEqual({ type: 'signal', from: wa.id, data: { sdp: 'offer' } });
      bob.send({ type: 'signal', to: wa.id, data: { sdp: 'answer' } });
      expect(await alice.next('signal')).toEqual({ type: 'signal', from: wb.id, data: { sdp: 'answer' } });

      // Capacity and password hold across processes, atomically.
      const carol = await TestClient.connect(`ws://127.0.0.1:${one.port}/ws`);
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

      // Kill Bob's process outright: no goodbye reaches Redis.
      const killedAt = Date.now();
      two.kill('SIGKILL');
      const left = await alice.next('peer-left', 4 * heartbeatMs);
      expect(left.id).toBe(wb.id);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(2 * heartbeatMs + 200);

      // The room has space again.
      const dave = await TestClient.connect(`ws://127.0.0.1:${one.port}/ws`);
      await dave.join('shared', { password: 'pw' });
      for (const c of [alice, carol, dave]) c.close();
    } finally {
      one.kill('SIGTERM');
      two.kill('SIGKILL');
      await Promise.all([one.exited, two.exited]);
    }
  }, 30_000);
});
