import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../lib/signaling/protocol';
import { DEFAULT_CONFIG } from './config';
import { startSignalingServer } from './signaling-server';
import { silentPeer, sleep, startTestServer, TestClient } from './testing';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('signaling protocol v1', () => {
  let server: Server;
  const clients: TestClient[] = [];
  const connect = async (headers?: Record<string, string>) => {
    const client = await TestClient.connect(server.url, headers);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  it('joins, announces, relays signals and leaves', async () => {
    const alice = await connect();
    const welcomeA = await alice.join('room-1', { name: 'Alice' });
    expect(welcomeA).toMatchObject({ room: 'room-1', peers: [], iceServers: [] });
    expect(welcomeA.id).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const bob = await connect();
    const welcomeB = await bob.join('room-1', { name: 'Bob' });
    expect(welcomeB.peers).toEqual([{ id: welcomeA.id, name: 'Alice' }]);
    expect((await alice.next('peer-joined')).peer).toEqual({ id: welcomeB.id, name: 'Bob' });

    const offer = { sdp: 'v=0\r\n...', type: 'offer' };
    bob.send({ type: 'signal', to: welcomeA.id, data: offer, extra: 'ignored' });
    expect(await alice.next('signal')).toEqual({ type: 'signal', from: welcomeB.id, data: offer });

    bob.send({ type: 'leave' });
    expect(await alice.next('peer-left')).toEqual({ type: 'peer-left', id: welcomeB.id });
    // Bob may join again on the same connection.
    await bob.join('room-1');
    await alice.next('peer-joined');

    alice.send({ type: 'ping' });
    expect(await alice.next('pong')).toEqual({ type: 'pong' });
  });

  it('relays data exactly as sent, whitespace, escapes and any script included', async () => {
    const alice = await connect();
    const wa = await alice.join('exact');
    const bob = await connect();
    const wb = await bob.join('exact');
    const frames: string[] = [];
    alice.socket.on('message', (raw) => frames.push(raw.toString()));
    const datas = [
      '{ "sdp" : "v=0\\r\\na=\\"x\\"" ,\n"n":[1 , {"}":"]"}] }',
      '{"text":"你好, 世界 😀","escaped":"\\u4f60\\ud83d\\ude00"}',
      `{"t":"${'é'.repeat(3000)}"}`,
    ];
    for (const data of datas) bob.send(`{"data":${data},"type":"signal","to":"${wa.id}"}`);
    for (const data of datas) expect((await alice.next('signal')).data).toEqual(JSON.parse(data));
    expect(frames).toEqual(datas.map((data) => `{"type":"signal","from":"${wb.id}","data":${data}}`));
  });

  it('tells the room at once when a socket closes', async () => {
    const a = await connect();
    const b = await connect();
    await a.join('r');
    const wb = await b.join('r');
    b.socket.terminate();
    expect((await a.next('peer-left')).id).toBe(wb.id);
  });

  it('keeps rooms to two by default and enforces passwords', async () => {
    const a = await connect();
    await a.join('private', { password: 's3cret' });
    const wrong = await connect();
    wrong.send({ type: 'join', room: 'private', password: 'guess' });
    expect(await wrong.error()).toBe('FORBIDDEN');
    const none = await connect();
    none.send({ type: 'join', room: 'private' });
    expect(await none.error()).toBe('FORBIDDEN');
    const b = await connect();
    await b.join('private', { password: 's3cret' });
    const c = await connect();
    c.send({ type: 'join', room: 'private', password: 's3cret' });
    expect(await c.error()).toBe('ROOM_FULL');
    // The failed joins left the connections usable.
    await c.join('elsewhere');
  });

  it('never lets a signal cross rooms', async () => {
    const a = await connect();
    const b = await connect();
    const wa = await a.join('one');
    await b.join('two');
    b.send({ type: 'signal', to: wa.id, data: { x: 1 } });
    expect(await b.error()).toBe('UNKNOWN_PEER');
    await sleep(100);
    expect(a.received.filter((m) => m.type === 'signal')).toEqual([]);
  });

  it('answers each mistake with its error code and keeps the connection usable', async () => {
    const a = await connect();
    a.send({ type: 'signal', to: 'A'.repeat(22), data: {} });
    expect(await a.error()).toBe('NOT_JOINED');
    a.send({ type: 'leave' });
    expect(await a.error()).toBe('NOT_JOINED');
    a.send({ type: 'dance' });
    expect(await a.error()).toBe('UNKNOWN_TYPE');
    a.send('not json');
    expect(await a.error()).toBe('BAD_MESSAGE');
    const wa = await a.join('r');
    a.send({ type: 'join', room: 'r' });
    expect(await a.error()).toBe('ALREADY_JOINED');
    a.send({ type: 'signal', to: 'B'.repeat(22), data: {} });
    expect(await a.error()).toBe('UNKNOWN_PEER');
    a.send({ type: 'signal', to: wa.id, data: {} });
    expect(await a.error()).toBe('UNKNOWN_PEER');
    a.send({ type: 'ping' });
    await a.next('pong');
  });

  it('refuses hostile input without falling over', async () => {
    const bystanderA = await connect();
    const bystanderB = await connect();
    await bystanderA.join('calm');
    const wb = await bystanderB.join('calm');

    const cases: [unknown, string][] = [
      [[1, 2, 3], 'BAD_MESSAGE'],
      ['null', 'BAD_MESSAGE'],
      ['"join"', 'BAD_MESSAGE'],
      [{ type: 42 }, 'BAD_MESSAGE'],
      [{ type: 'join', room: '' }, 'BAD_MESSAGE'],
      [{ type: 'join', room: 'a'.repeat(65) }, 'BAD_MESSAGE'],
      [{ type: 'join', room: '../etc' }, 'BAD_MESSAGE'],
      [{ type: 'join', room: 'ok', name: 'x'.repeat(65) }, 'BAD_MESSAGE'],
      [{ type: 'join', room: 'ok', name: 'bell\u0007' }, 'BAD_MESSAGE'],
      [{ type: 'join', room: 'ok', password: 7 }, 'BAD_MESSAGE'],
      [{ type: '__proto__' }, 'UNKNOWN_TYPE'],
      [{ type: 'constructor' }, 'UNKNOWN_TYPE'],
    ];
    for (const [message, code] of cases) {
      const c = await connect();
      c.send(message);
      expect(await c.error(), JSON.stringify(message)).toBe(code);
      c.close();
    }

    const joined = await connect();
    await joined.join('x');
    joined.send({ type: 'signal', to: 'C'.repeat(22), data: [1] });
    expect(await joined.error()).toBe('BAD_MESSAGE');
    joined.send('{"type":"signal","to":"' + 'C'.repeat(22) + '","data":' + '{"a":'.repeat(40) + '1' + '}'.repeat(40) + '}');
    expect(await joined.error()).toBe('BAD_MESSAGE');
    // __proto__ in data is plain data: relayed as is, pollutes nothing.
    const other = await connect();
    const wo = await other.join('x');
    joined.send(`{"type":"signal","to":"${wo.id}","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"bad":1}}}}`);
    const relayed = await other.next('signal');
    expect(Object.keys(relayed.data)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const binary = await connect();
    binary.send(Buffer.from([1, 2, 3]));
    expect(await binary.error()).toBe('BAD_MESSAGE');

    const invalidUtf8 = await connect();
    invalidUtf8.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await invalidUtf8.closed).code).toBe(1007);

    const huge = await connect();
    huge.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
    expect(await huge.error()).toBe('TOO_LARGE');
    expect((await huge.closed).code).toBe(1009);

    const enormous = await connect();
    enormous.send('x'.repeat(2 * 1024 * 1024));
    expect((await enormous.closed).code).toBe(1009);

    const pest = await connect();
    for (let i = 0; i < 11; i++) pest.send('nope');
    expect((await pest.closed).code).toBe(1008);

    // The calm room never noticed.
    bystanderA.send({ type: 'signal', to: wb.id, data: { still: 'here' } });
    expect((await bystanderB.next('signal')).data).toEqual({ still: 'here' });
  });

  it('rate-limits, drops the excess, and closes a sustained flood', async () => {
    await server.close();
    server = await startTestServer({ rateLimitPerSecond: 20, rateLimitBurst: 20 });
    const a = await connect();
    const b = await connect();
    await a.join('r');
    const wb = await b.join('r');
    for (let i = 0; i < 60; i++) a.send({ type: 'signal', to: wb.id, data: { i } });
    expect(await a.error()).toBe('RATE_LIMITED');
    await sleep(300);
    // The burst of 20, less the token the join spent, plus one refill of 20 if a second turned meanwhile.
    const got = b.received.filter((m) => m.type === 'signal').length;
    expect(got).toBeGreaterThanOrEqual(19);
    expect(got).toBeLessThanOrEqual(39);

    const flood = setInterval(() => {
      for (let i = 0; i < 50; i++) a.send({ type: 'ping' });
    }, 100);
    try {
      expect((await a.closed).code).toBe(1008);
    } finally {
      clearInterval(flood);
    }
  }, 15_000);

  it('refuses connections past the cap, from other origins, and on other paths', async () => {
    await server.close();
    server = await startTestServer({ maxConnections: 2 });
    await connect();
    await connect({ origin: 'chrome-extension://abcdefghijklmnop' });
    const refused = await TestClient.connect(server.url).catch((e: Error & { status?: number }) => e);
    expect((refused as { status?: number }).status).toBe(503);
    for (const c of clients.splice(0)) c.close();
    await sleep(100);

    const evil = await TestClient.connect(server.url, { origin: 'https://evil.example' }).catch((e: Error & { status?: number }) => e);
    expect((evil as { status?: number }).status).toBe(403);
    const self = await connect({ origin: `http://127.0.0.1:${server.port}` });
    self.close();
    const wrongPath = await TestClient.connect(server.url.replace('/ws', '/other')).catch((e: Error & { status?: number }) => e);
    expect((wrongPath as { status?: number }).status).toBe(404);
  });

  it('serves health and Prometheus metrics, and 404 elsewhere', async () => {
    const a = await connect();
    const b = await connect();
    await a.join('m');
    const wb = await b.join('m');
    a.send({ type: 'signal', to: wb.id, data: {} });
    await b.next('signal');
    a.send({ type: 'dance' });
    await a.error();
    const base = `http://127.0.0.1:${server.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', connections: 2, rooms: 1 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^signaling_connections 2$/m);
    expect(metrics).toMatch(/^signaling_rooms 1$/m);
    expect(metrics).toMatch(/^signaling_messages_relayed_total 1$/m);
    expect(metrics).toMatch(/^signaling_errors_total\{code="UNKNOWN_TYPE"\} 1$/m);
    for (const code of ERROR_CODES) expect(metrics).toContain(`code="${code}"`);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });
});

describe('deadlines and heartbeats', () => {
  it('closes a connection that does not join in time', async () => {
    const server = await startTestServer({ joinTimeoutMs: 300 });
    const c = await TestClient.connect(server.url);
    expect((await c.closed).code).toBe(1008);
    await server.close();
  });

  it('drops a peer that stops answering pings and tells its room', async () => {
    const server = await startTestServer({ heartbeatMs: 200 });
    const a = await TestClient.connect(server.url);
    await a.join('hb');
    // A peer that joins, then never answers a ping (a frozen tab, a dead network).
    const silent = await silentPeer(server.port, 'hb');
    const joined = await a.next('peer-joined');
    const left = await a.next('peer-left', 2000);
    expect(left.id).toBe(joined.peer.id);
    // a answers pings, so it is still there.
    a.send({ type: 'ping' });
    await a.next('pong');
    silent.destroy();
    a.close();
    await server.close();
  });
});

describe('fuzz', () => {
  it('survives random frames, and stays correct for a well-behaved room', async () => {
    const server = await startTestServer({ rateLimitPerSecond: 100_000, rateLimitBurst: 100_000 });
    const a = await TestClient.connect(server.url);
    const b = await TestClient.connect(server.url);
    await a.join('steady');
    const wb = await b.join('steady');
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pieces = ['{', '}', '[', ']', '"type"', ':', ',', '"join"', '"signal"', '"room"', '"to"', '"data"', '"__proto__"', 'null', '1e999', '"\\u0000"', ' ', '"leave"', '"ping"'];
    const deadline = Date.now() + 4000;
    let sent = 0;
    while (Date.now() < deadline && sent < 3000) {
      const fuzzer = await TestClient.connect(server.url);
      for (let i = 0; i < 8; i++) {
        const frame = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
        fuzzer.send(random() < 0.1 ? Buffer.from(frame) : frame);
        sent++;
      }
      fuzzer.close();
    }
    expect(sent).toBeGreaterThan(100);
    a.send({ type: 'signal', to: wb.id, data: { after: sent } });
    expect((await b.next('signal')).data).toEqual({ after: sent });
    expect((await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()).status).toBe('ok');
    a.close();
    b.close();
    await server.close();
  }, 15_000);
});

describe('logs', () => {
  it('never contain SDP, candidates or passwords, even at trace level', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const server = await startSignalingServer({ ...DEFAULT_CONFIG, port: 0, logLevel: 'trace' }, pino({ level: 'trace' }, sink));
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const a = await TestClient.connect(url);
    const b = await TestClient.connect(url);
    await a.join('logged', { password: 'hunter2-password' });
    const wb = await b.join('logged', { password: 'hunter2-password' });
    a.send({ type: 'signal', to: wb.id, data: { type: 'offer', sdp: 'v=0 o=secret-sdp-line' } });
    a.send({ type: 'signal', to: wb.id, data: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host' } });
    a.send({ type: 'signal', to: 'Z'.repeat(22), data: { sdp: 'v=0 o=secret-sdp-line' } });
    await b.next('signal');
    await b.next('signal');
    await a.error();
    a.close();
    b.close();
    await server.close();
    expect(logged).toContain('joined');
    for (const secret of ['hunter2-password', 'secret-sdp-line', '192.0.2.7', 'candidate:1']) expect(logged).not.toContain(secret);
  });
});
