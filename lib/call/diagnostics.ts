import { SignalingClient } from '../signaling/client';
import type { ErrorCode, IceServer } from '../signaling/protocol';
import { randomRoomName } from './ice';

/**
 * "Test connection" in Options: does the signaling server answer, and what can this machine
 * reach through the ICE servers (its own address, a STUN answer, a TURN relay)?
 */
export interface ConnectionReport {
  signaling: { ok: true; iceServers: number } | { ok: false; reason: ErrorCode | 'unreachable' | 'timeout' };
  /** Candidate types gathered: host (this machine), srflx (a STUN answer), relay (a TURN relay). */
  candidates: { host: number; srflx: number; relay: number };
  /** Whether any STUN or TURN server was there to ask. */
  asked: { stun: boolean; turn: boolean };
}

const SIGNALING_TIMEOUT_MS = 5000;
const GATHERING_TIMEOUT_MS = 5000;

/** Joins a throwaway room to see the server answer; its welcome carries the server's ICE servers. */
export function trySignaling(url: string, WebSocketClass?: new (url: string) => WebSocket): Promise<{ ok: true; iceServers: IceServer[] } | { ok: false; reason: ErrorCode | 'unreachable' | 'timeout' }> {
  return new Promise((resolve) => {
    const client = new SignalingClient({ url, room: `test-${randomRoomName()}`, WebSocket: WebSocketClass, initialDelayMs: 60_000 });
    let settled = false;
    const finish = (result: Awaited<ReturnType<typeof trySignaling>>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      client.close(); // its own 'closed' comes after the answer
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), SIGNALING_TIMEOUT_MS);
    client.on('welcome', ({ iceServers }) => finish({ ok: true, iceServers }));
    client.on('error', ({ code }) => finish({ ok: false, reason: code }));
    client.on('state', (state) => {
      if (state === 'reconnecting' || state === 'closed') finish({ ok: false, reason: 'unreachable' });
    });
  });
}

/** Gathers candidates through `iceServers` and counts them by type. */
async function gather(iceServers: RTCIceServer[]): Promise<ConnectionReport['candidates']> {
  const counts = { host: 0, srflx: 0, relay: 0 };
  const pc = new RTCPeerConnection({ iceServers });
  try {
    pc.createDataChannel('probe');
    const done = new Promise<void>((resolve) => {
      pc.addEventListener('icecandidate', ({ candidate }) => {
        if (!candidate) return resolve();
        const type = candidate.type;
        if (type === 'host' || type === 'srflx' || type === 'relay') counts[type]++;
      });
      setTimeout(resolve, GATHERING_TIMEOUT_MS);
    });
    await pc.setLocalDescription();
    await done;
  } finally {
    pc.close();
  }
  return counts;
}

const isTurn = (server: RTCIceServer) => [server.urls].flat().some((url) => /^turns?:/i.test(url));
const isStun = (server: RTCIceServer) => [server.urls].flat().some((url) => /^stuns?:/i.test(url));

export async function testConnection(signalingUrl: string, ownIceServers: RTCIceServer[], WebSocketClass?: new (url: string) => WebSocket): Promise<ConnectionReport> {
  const signaling = await trySignaling(signalingUrl, WebSocketClass);
  const servers: RTCIceServer[] = [...(signaling.ok ? signaling.iceServers.map((s) => ({ ...s }) as RTCIceServer) : []), ...ownIceServers];
  const candidates = await gather(servers);
  return {
    signaling: signaling.ok ? { ok: true, iceServers: signaling.iceServers.length } : signaling,
    candidates,
    asked: { stun: servers.some(isStun), turn: servers.some(isTurn) },
  };
}
