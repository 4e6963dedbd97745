import { describe, expect, it } from 'vitest';
import { MAX_CHAT_LENGTH, MAX_SDP_LENGTH, parseCallPayload, parseChatMessage } from './payloads';
import { parseIceServers, randomRoomName, validSignalingUrl } from './ice';
import { orderCodecs } from './peer';
import { safetyCode, sdpFingerprint } from './safety-code';
import { rateQuality, summarizeStats, type StatsMemory } from './stats';

describe('call payloads from the network', () => {
  it('takes descriptions, candidates, the end of candidates and a sharing status', () => {
    expect(parseCallPayload({ kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } })).toEqual({ kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(parseCallPayload({ kind: 'description', description: { type: 'rollback' } })).toEqual({ kind: 'description', description: { type: 'rollback', sdp: '' } });
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
    expect(parseCallPayload({ kind: 'candidate', candidate })).toEqual({ kind: 'candidate', candidate });
    expect(parseCallPayload({ kind: 'candidate', candidate: null })).toEqual({ kind: 'candidate', candidate: null });
    // The older end-of-candidates: an empty candidate string.
    expect(parseCallPayload({ kind: 'candidate', candidate: { candidate: '', sdpMid: '0' } })).toEqual({ kind: 'candidate', candidate: null });
    expect(parseCallPayload({ kind: 'status', sharing: true })).toEqual({ kind: 'status', sharing: true });
  });

  it('drops anything malformed, oversized or unknown', () => {
    const bad = [
      null,
      'description',
      [],
      { kind: 'description' },
      { kind: 'description', description: { type: 'pranswer', sdp: 'v=0' } },
      { kind: 'description', description: { type: 'offer', sdp: '' } },
      { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) } },
      { kind: 'description', description: { type: 'offer', sdp: 42 } },
      { kind: 'candidate' },
      { kind: 'candidate', candidate: { candidate: 5 } },
      { kind: 'candidate', candidate: { candidate: 'x'.repeat(2000) } },
      { kind: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } },
      { kind: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: 1.5 } },
      { kind: 'candidate', candidate: { candidate: 'c', sdpMid: { toString: 1 } } },
      { kind: 'status', sharing: 'yes' },
      { kind: '__proto__' },
      { kind: 'file', name: 'x' },
    ];
    for (const data of bad) expect(parseCallPayload(data), JSON.stringify(data)?.slice(0, 80)).toBeNull();
  });

  it('reads chat messages as plain text, trimmed, and refuses empty or overlong ones', () => {
    expect(parseChatMessage(JSON.stringify({ type: 'chat', text: '  <b>hi</b> & bye ' }))).toEqual({ type: 'chat', text: '<b>hi</b> & bye' });
    expect(parseChatMessage(JSON.stringify({ type: 'chat', text: '   ' }))).toBeNull();
    expect(parseChatMessage(JSON.stringify({ type: 'chat', text: 'x'.repeat(MAX_CHAT_LENGTH + 1) }))).toBeNull();
    expect(parseChatMessage(JSON.stringify({ type: 'file', text: 'x' }))).toBeNull();
    expect(parseChatMessage('not json')).toBeNull();
    expect(parseChatMessage(new ArrayBuffer(4))).toBeNull();
  });
});

const sdpWith = (fingerprint: string) => `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fingerprint:sha-256 ${fingerprint}\r\na=setup:actpass\r\n`;
const A = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const B = '01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20';
const M = 'FF:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20';

describe('the safety code', () => {
  it('reads the fingerprint of a description', () => {
    expect(sdpFingerprint(sdpWith(A.toLowerCase()))).toBe(`sha-256 ${A}`);
    expect(sdpFingerprint('v=0\r\n')).toBeNull();
  });

  it('is six digits, the same on both sides', async () => {
    const alice = await safetyCode(sdpWith(A), sdpWith(B));
    const bob = await safetyCode(sdpWith(B), sdpWith(A));
    expect(alice).toMatch(/^\d{3} \d{3}$/);
    expect(bob).toBe(alice);
  });

  it('differs when something between the peers swapped a fingerprint', async () => {
    // Bob was handed the man in the middle's fingerprint instead of Alice's.
    const alice = await safetyCode(sdpWith(A), sdpWith(B));
    const bob = await safetyCode(sdpWith(B), sdpWith(M));
    expect(bob).not.toBe(alice);
  });

  it('waits for both descriptions', async () => {
    expect(await safetyCode(sdpWith(A), undefined)).toBeNull();
    expect(await safetyCode(undefined, sdpWith(B))).toBeNull();
  });
});

describe('codec preference', () => {
  const codecs = [{ mimeType: 'video/VP8' }, { mimeType: 'video/rtx' }, { mimeType: 'video/VP9' }, { mimeType: 'video/H264' }, { mimeType: 'video/H264' }, { mimeType: 'video/AV1' }];
  it('puts the preferred codec first and keeps every other one, VP8 included', () => {
    const ordered = orderCodecs(codecs, 'h264').map((c) => c.mimeType);
    expect(ordered.slice(0, 2)).toEqual(['video/H264', 'video/H264']);
    expect([...ordered].sort()).toEqual(codecs.map((c) => c.mimeType).sort());
    expect(orderCodecs(codecs, 'auto')).toEqual(codecs);
  });
});

describe('call stats', () => {
  const report = (at: number, sent: number, received: number, lost: number, receivedPackets: number) => [
    { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', timestamp: at, localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: 0.042, state: 'succeeded', nominated: true },
    { id: 'L', type: 'local-candidate', timestamp: at, candidateType: 'relay' },
    { id: 'R', type: 'remote-candidate', timestamp: at, candidateType: 'host' },
    { id: 'C', type: 'codec', timestamp: at, mimeType: 'video/VP8' },
    { id: 'O', type: 'outbound-rtp', kind: 'video', timestamp: at, bytesSent: sent, packetsSent: 10, codecId: 'C', framesPerSecond: 30, frameWidth: 640, frameHeight: 360 },
    { id: 'I', type: 'inbound-rtp', kind: 'video', timestamp: at, bytesReceived: received, packetsLost: lost, packetsReceived: receivedPackets, jitter: 0.0123, codecId: 'C', framesPerSecond: 29, frameWidth: 1280, frameHeight: 720 },
  ];

  it('works out rates between two readings, the route and the round trip', () => {
    const memory: StatsMemory = new Map();
    const first = summarizeStats(report(1000, 0, 0, 0, 0), memory);
    expect(first.sending.video?.bitrateKbps).toBeNull();
    const second = summarizeStats(report(2000, 125_000, 250_000, 5, 95), memory);
    expect(second.sending.video).toMatchObject({ bitrateKbps: 1000, codec: 'VP8', fps: 30, width: 640, height: 360 });
    expect(second.receiving.video).toMatchObject({ bitrateKbps: 2000, lossPercent: 5, jitterMs: 12.3, width: 1280, height: 720 });
    expect(second.rttMs).toBe(42);
    expect(second.route).toBe('relay');
    expect(second.quality).toBe('fair');
  });

  it('rates quality from loss and round trip', () => {
    expect(rateQuality(0.5, 80)).toBe('good');
    expect(rateQuality(3, 80)).toBe('fair');
    expect(rateQuality(0, 450)).toBe('fair');
    expect(rateQuality(12, 80)).toBe('poor');
    expect(rateQuality(null, null)).toBeNull();
  });
});

describe('ICE servers typed in Options', () => {
  it('reads STUN and TURN lines, skipping blanks and comments', () => {
    const parsed = parseIceServers('# mine\nstun:stun.example.org:3478\n\nturn:turn.example.org:3478?transport=tcp alice s3cret\nturns:turn.example.org:5349 bob pw');
    expect(parsed.invalid).toEqual([]);
    expect(parsed.servers).toEqual([
      { urls: 'stun:stun.example.org:3478' },
      { urls: 'turn:turn.example.org:3478?transport=tcp', username: 'alice', credential: 's3cret' },
      { urls: 'turns:turn.example.org:5349', username: 'bob', credential: 'pw' },
    ]);
  });

  it('points at the lines that are not servers', () => {
    expect(parseIceServers('http://example.org\nturn:host:3478\nstun:host:3478 extra\nstun:ok:1').invalid).toEqual([1, 2, 3]);
  });

  it('takes only ws: and wss: signaling URLs', () => {
    expect(validSignalingUrl(' wss://signal.example.org/ws ')).toBe('wss://signal.example.org/ws');
    expect(validSignalingUrl('ws://127.0.0.1:8787/ws')).toBe('ws://127.0.0.1:8787/ws');
    expect(validSignalingUrl('https://example.org')).toBeNull();
    expect(validSignalingUrl('not a url')).toBeNull();
  });

  it('makes room names a server accepts', () => {
    const name = randomRoomName();
    expect(name).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(randomRoomName()).not.toBe(name);
  });
});
