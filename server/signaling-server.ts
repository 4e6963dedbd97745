import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { memberValueText } from '../lib/signaling/raw-json';
import { parseClientMessage, type ClientMessage, type ErrorCode, type ServerMessage } from '../lib/signaling/protocol';
import type { ServerConfig } from './config';
import { createMetrics } from './metrics';
import { TokenBucket, WindowCounter } from './rate-limit';
import { frameOf, LocalRooms, type RoomDirectory } from './rooms';
import { RedisRooms } from './redis-rooms';
import { iceServersFor } from './turn';

export const WS_PATH = '/ws';
const MAX_BAD_MESSAGES_PER_MINUTE = 10;
/** Seconds in a row over the rate limit that count as a flood. */
const FLOOD_SECONDS = 5;

export interface SignalingServer {
  readonly port: number;
  readonly http: Server;
  /** Stops accepting, closes every client with 1001 (going away) so it reconnects elsewhere. */
  close(): Promise<void>;
}

class Client {
  readonly id = randomBytes(16).toString('base64url');
  room: string | null = null;
  lastSeen = Date.now();
  readonly bucket: TokenBucket;
  readonly badMessages = new WindowCounter(60_000);
  private lastDropSecond = 0;
  private dropStreak = 0;
  private lastRateLimitNotice = 0;
  /**
   * Messages are handled one at a time, in order. Most are handled at once; while one waits
   * (for Redis, or a join), the ones after it queue here.
   */
  queue: Promise<void> | null = null;

  constructor(
    readonly socket: WebSocket,
    config: ServerConfig,
  ) {
    this.bucket = new TokenBucket(config.rateLimitPerSecond, config.rateLimitBurst);
  }

  /** Records a dropped message: is the client flooding (over the limit FLOOD_SECONDS in a row), and is a RATE_LIMITED notice due? */
  dropped(now: number): { flooding: boolean; notify: boolean } {
    const second = Math.floor(now / 1000);
    if (second !== this.lastDropSecond) {
      this.dropStreak = second === this.lastDropSecond + 1 ? this.dropStreak + 1 : 1;
      this.lastDropSecond = second;
    }
    const notify = now - this.lastRateLimitNotice >= 1000;
    if (notify) this.lastRateLimitNotice = now;
    return { flooding: this.dropStreak >= FLOOD_SECONDS, notify };
  }

  send(message: ServerMessage): void {
    this.sendFrame(frameOf(message));
  }

  sendFrame(frame: string): void {
    // A Buffer, not the string: ws hands strings to the socket as they are, and Node's writev
    // then takes its slow mixed-chunk path (measured: +40 % time in writev).
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(Buffer.from(frame), { binary: false });
  }
}

export async function startSignalingServer(config: ServerConfig, log: Logger = pino({ level: config.logLevel })): Promise<SignalingServer> {
  const clients = new Map<string, Client>();
  const deliver = (peerId: string, frame: string): boolean => {
    const client = clients.get(peerId);
    if (!client) return false;
    client.sendFrame(frame);
    return true;
  };
  const rooms: RoomDirectory = config.redisUrl
    ? await RedisRooms.connect(config.redisUrl, deliver, config.heartbeatMs, log)
    : new LocalRooms(deliver);
  const metrics = createMetrics({ connections: () => clients.size, rooms: () => rooms.roomCount() });

  const fail = (client: Client, code: ErrorCode, message: string) => {
    metrics.error(code);
    client.send({ type: 'error', code, message });
  };
  const badInput = (client: Client, code: ErrorCode, message: string) => {
    fail(client, code, message);
    if (client.badMessages.add() > MAX_BAD_MESSAGES_PER_MINUTE) client.socket.close(1008, 'too many bad messages');
  };

  /** `text` is the frame `message` was parsed from. */
  function handle(client: Client, message: ClientMessage, text: string): void | Promise<void> {
    switch (message.type) {
      case 'ping':
        return client.send({ type: 'pong' });
      case 'join':
        return join(client, message);
      case 'signal': {
        if (client.room === null) return fail(client, 'NOT_JOINED', 'join a room first');
        // The data goes on exactly as sent (validated above), not parsed and serialized again.
        const data = memberValueText(text, 'data') ?? JSON.stringify(message.data);
        const frame = `{"type":"signal","from":"${client.id}","data":${data}}`;
        const delivered = message.to !== client.id && rooms.send(client.room, message.to, frame);
        return delivered instanceof Promise ? delivered.then((ok) => relayed(client, ok)) : relayed(client, delivered);
      }
      case 'leave': {
        if (client.room === null) return fail(client, 'NOT_JOINED', 'not in a room');
        const room = client.room;
        client.room = null;
        return rooms.leave(room, client.id);
      }
    }
  }

  function relayed(client: Client, delivered: boolean): void {
    if (delivered) metrics.relayed();
    else fail(client, 'UNKNOWN_PEER', 'no such peer in this room');
  }

  async function join(client: Client, message: Extract<ClientMessage, { type: 'join' }>): Promise<void> {
    if (client.room !== null) return fail(client, 'ALREADY_JOINED', 'this connection is already in a room; leave first');
    const peer = { id: client.id, name: message.name ?? '' };
    const result = await rooms.join(message.room, peer, message.password, config.maxPeersPerRoom);
    if (!result.ok) {
      return fail(client, result.code, result.code === 'ROOM_FULL' ? 'the room is full' : 'wrong or missing room password');
    }
    if (client.socket.readyState !== WebSocket.OPEN) return rooms.leave(message.room, client.id);
    client.room = message.room;
    log.debug({ peer: client.id, room: message.room }, 'joined');
    return client.send({ type: 'welcome', id: client.id, room: message.room, peers: result.peers, iceServers: iceServersFor(config, client.id) });
  }

  function onMessage(client: Client, data: RawData, isBinary: boolean): void {
    const now = Date.now();
    client.lastSeen = now;
    if (!client.bucket.take(now)) {
      const { flooding, notify } = client.dropped(now);
      if (flooding) return client.socket.close(1008, 'flooding');
      if (notify) fail(client, 'RATE_LIMITED', `more than ${config.rateLimitPerSecond} messages a second; the excess was dropped`);
      return;
    }
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (size > config.maxMessageBytes) {
      fail(client, 'TOO_LARGE', `messages are limited to ${config.maxMessageBytes} bytes`);
      return client.socket.close(1009, 'message too large');
    }
    if (isBinary) return badInput(client, 'BAD_MESSAGE', 'binary frames are not part of the protocol; send JSON text');
    const text = data.toString();
    const parsed = parseClientMessage(text);
    if (!parsed.ok) return badInput(client, parsed.code, parsed.reason);
    if (client.queue) return enqueue(client, () => handle(client, parsed.message, text));
    let pending: void | Promise<void>;
    try {
      pending = handle(client, parsed.message, text);
    } catch (error) {
      return handlingFailed(client, error);
    }
    if (pending) enqueue(client, () => pending);
  }

  /** Runs `step` after whatever of this client's is still pending, keeping messages in order. */
  function enqueue(client: Client, step: () => void | Promise<void>): void {
    const queued: Promise<void> = (client.queue ?? Promise.resolve())
      .then(step)
      .catch((error: unknown) => handlingFailed(client, error))
      .finally(() => {
        if (client.queue === queued) client.queue = null;
      });
    client.queue = queued;
  }

  function handlingFailed(client: Client, error: unknown): void {
    log.error({ err: String(error), peer: client.id }, 'message handling failed');
  }

  const wss = new WebSocketServer({
    noServer: true,
    // Above the protocol's limit so an oversized message gets TOO_LARGE before the close;
    // far beyond it ws closes with 1009 on its own without buffering the rest.
    maxPayload: Math.max(config.maxMessageBytes * 4, 256 * 1024),
    perMessageDeflate: false,
  });

  wss.on('connection', (socket: WebSocket) => {
    const client = new Client(socket, config);
    clients.set(client.id, client);
    log.debug({ peer: client.id }, 'connected');
    const joinDeadline = setTimeout(() => {
      if (client.room === null) socket.close(1008, 'join a room within the time limit');
    }, config.joinTimeoutMs);
    socket.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    socket.on('pong', () => (client.lastSeen = Date.now()));
    socket.on('error', (error) => log.debug({ peer: client.id, err: error.message }, 'socket error'));
    socket.on('close', () => {
      clearTimeout(joinDeadline);
      clients.delete(client.id);
      const room = client.room;
      client.room = null;
      if (room) enqueue(client, () => rooms.leave(room, client.id));
      log.debug({ peer: client.id }, 'disconnected');
    });
  });

  const heartbeat = setInterval(() => {
    const silentSince = Date.now() - 2 * config.heartbeatMs;
    for (const client of clients.values()) {
      if (client.lastSeen < silentSince) client.socket.terminate();
      else client.socket.ping();
    }
  }, config.heartbeatMs);

  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: 'ok', connections: clients.size, rooms: rooms.roomCount() }));
    }
    if (req.method === 'GET' && path === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });

  const refuse = (socket: Duplex, status: number, reason: string, body = '') => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  let accepting = true;
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== WS_PATH || !accepting) return refuse(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host, config.allowedOrigins)) {
      log.info({ origin: req.headers.origin }, 'origin refused');
      return refuse(socket, 403, 'Forbidden');
    }
    if (clients.size >= config.maxConnections) {
      metrics.error('SERVER_FULL');
      return refuse(socket, 503, 'Service Unavailable', JSON.stringify({ type: 'error', code: 'SERVER_FULL', message: 'the server is full; try again later' }));
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  log.info({ host: config.host, port, redis: Boolean(config.redisUrl) }, 'signaling server listening');

  return {
    port,
    http,
    async close() {
      accepting = false;
      clearInterval(heartbeat);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([...clients.values()].map((c) => c.queue));
      // The directory takes everyone out of their rooms once (telling peers on other
      // processes); the sockets' own close handlers then have nothing left to leave.
      for (const client of clients.values()) client.room = null;
      await rooms.close();
      for (const client of clients.values()) client.socket.close(1001, 'server shutting down');
      setTimeout(() => {
        for (const client of clients.values()) client.socket.terminate();
      }, 1000).unref();
      http.closeAllConnections();
      await closed;
    },
  };
}

/** Extension pages, the server's own origin, or what ALLOWED_ORIGINS lists. No Origin: not a browser, allowed. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (origin === undefined) return true;
  return allowed.some((rule) => {
    if (rule === '*') return true;
    if (rule === 'self') return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
    if (rule.endsWith('://*')) return origin.startsWith(rule.slice(0, -1)) && origin.length > rule.length - 1;
    return origin === rule;
  });
}
