import { describe, expect, it } from 'vitest';
import { spawnServer, TestClient } from './testing';

describe('the server process', () => {
  it('on SIGTERM closes clients with 1001 and exits cleanly', async () => {
    const server = await spawnServer({});
    const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    await client.join('bye');
    server.kill('SIGTERM');
    expect((await client.closed).code).toBe(1001);
    expect(await server.exited).toBe(0);
  }, 20_000);

  it('refuses a bad configuration with a clear message', async () => {
    await expect(spawnServer({ MAX_PEERS_PER_ROOM: '99' })).rejects.toThrow(/exited \(2\).*MAX_PEERS_PER_ROOM must be a whole number from 2 to 8/s);
  }, 20_000);
});
