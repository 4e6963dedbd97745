import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer } from '../../server/testing';
import type { SignalingServer } from '../../server/signaling-server';
import { trySignaling } from './diagnostics';

const NodeWebSocket = WebSocket as unknown as new (url: string) => globalThis.WebSocket;

describe('"Test connection" against the real server', () => {
  let server: SignalingServer & { url: string };
  beforeAll(async () => {
    server = await startTestServer({ stunUrls: ['stun:stun.example.org:3478'] });
  });
  afterAll(() => server.close());

  it('says the server answers, with the ICE servers it offers', async () => {
    expect(await trySignaling(server.url, NodeWebSocket)).toEqual({ ok: true, iceServers: [{ urls: ['stun:stun.example.org:3478'] }] });
  });

  it('says when nothing listens at the address', async () => {
    expect(await trySignaling('ws://127.0.0.1:9/ws', NodeWebSocket)).toEqual({ ok: false, reason: 'unreachable' });
  });
});
