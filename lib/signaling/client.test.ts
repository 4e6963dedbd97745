import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { reconnectDelay, SignalingClient, type SignalingEvents } from './client';
import { startTestServer } from '../../server/testing';

function nextEvent<K extends keyof SignalingEvents>(client: SignalingClient, event: K, timeoutMs = 5000): Promise<SignalingEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event}`)), timeoutMs);
    const off = client.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

const options = (url: string, room: string) => ({ url, room, WebSocket: WebSocket as unknown as new (url: string) => globalThis.WebSocket, initialDelayMs: 50, maxDelayMs: 400 });

describe('reconnectDelay', () => {
  it('doubles up to the ceiling, with jitter between half and all of it', () => {
    expect([0, 1, 2, 3, 10].map((a) => reconnectDelay(a, 500, 15_000, () => 1))).toEqual([500, 1000, 2000, 4000, 15_000]);
    expect(reconnectDelay(3, 500, 15_000, () => 0)).toBe(2000);
  });
});

describe('SignalingClient against the real server', () => {
  it('joins, exchanges signals, and rejoins after the server restarts', async () => {
    let server = await startTestServer();
    const port = server.port;
    const a = new SignalingClient({ ...options(server.url, 'room'), name: 'A' });
    const welcomeA = await nextEvent(a, 'welcome');
    const b = new SignalingClient({ ...options(server.url, 'room'), name: 'B' });
    const joined = nextEvent(a, 'peer-joined');
    const welcomeB = await nextEvent(b, 'welcome');
    expect(welcomeB.peers).toEqual([{ id: welcomeA.id, name: 'A' }]);
    expect((await joined).id).toBe(welcomeB.id);

    const got = nextEvent(a, 'signal');
    expect(b.signal(welcomeA.id, { candidate: 'c' })).toBe(true);
    expect(await got).toEqual({ from: welcomeB.id, data: { candidate: 'c' } });

    // The server goes away (1001) and comes back on the same port: both clients rejoin.
    const reconnecting = nextEvent(a, 'state');
    await server.close();
    expect(await reconnecting).toBe('reconnecting');
    const rejoinA = nextEvent(a, 'welcome');
    const rejoinB = nextEvent(b, 'welcome');
    server = await startTestServer({ port });
    await Promise.all([rejoinA, rejoinB]);
    expect(a.state).toBe('joined');
    expect(a.id).not.toBe(welcomeA.id);

    a.close();
    b.close();
    await server.close();
  });

  it('stops, and says why, when the room is full', async () => {
    const server = await startTestServer();
    const clients = [new SignalingClient(options(server.url, 'full')), new SignalingClient(options(server.url, 'full'))];
    await Promise.all(clients.map((c) => nextEvent(c, 'welcome')));
    const third = new SignalingClient(options(server.url, 'full'));
    expect((await nextEvent(third, 'error')).code).toBe('ROOM_FULL');
    expect(third.state).toBe('closed');
    for (const c of clients) c.close();
    await server.close();
  });
});
