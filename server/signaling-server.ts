import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { ValueSpan } from '../lib/signaling/raw-json';
import { parseClientMessage, type ErrorCode, type IncomingClientMessage, type ServerMessage } from '../lib/signaling/protocol';
import type { ServerConfig } from './config';
import { serveGuestPage } from './guest-page';
import { createMetrics } from './metrics';
import { noticeDue, refill, spend, WindowCounter, type MessageBudget, type RateLimit } from './rate-limit';
import { frameOf, LocalRooms, type Membership, type RoomDirectory, type RoomPeer, type Sender } from './rooms';
import { RedisRooms } from './redis-rooms';
import { iceServersFor } from './turn';

export const WS_PATH = '/ws';
const MAX_BAD_MESSAGES_PER_MINUTE = 10;
/** Seconds in a row over the rate limit that count as a flood. */
const FLOOD_SECONDS = 5;
const CLOSE_OBJECT = 0x7d;
/** Close code for a member swept out of a room that has filled up since (server/PROTOCOL.md): join again. */
const CLOSE_REMOVED = 4001;
/** Frames go to ws as Buffers: given strings, ws hands them to the socket as they are and Node's writev then takes its slow mixed-chunk path (measured: +40 % time in writev). */
const TEXT_FRAME = { binary: false };

export interface SignalingServer {
  readonly port: number;
  readonly http: Server;
  /** Stops accepting, closes every client with 1001 (going away) so it reconnects elsewhere. */
  close(): Promise<void>;
}

/** One WebSocket connection: a room member, with its message budget kept in its own fields. */
class Client implements RoomPeer, MessageBudget, Sender {
  // What every message reads comes first, to share the object's first cache line.
  readonly socket: WebSocket;
  membership: Membership | null = null;
  tokens: number;
  /** Heartbeats since this client last sent anything (a message or a pong). */
  silentBeats = 0;
  /**
   * Messages are handled one at a time, in order. Most are handled at once; while one waits
   * (for Redis, or a join), the ones after it queue here.
   */
  queue: Promise<void> | null = null;
  readonly id = randomBytes(16).toString('base64url');
  /** `{"type":"signal","from":"<id>","data":` — what this client's relayed signals start with. */
  private readonly signalPrefix = Buffer.from(`{"type":"signal","from":"${this.id}","data":`);
  name = '';
  overBudget = false;
  secondsOverBudget = 0;
  noticeSent = false;
  readonly badMessages = new WindowCounter(60_000);

  constructor(
    socket: WebSocket,
    burst: number,
    /** Errors go through the server's counting (metrics). */
    private readonly fail: (client: Client, code: ErrorCode, message: string) => void,
  ) {
    this.socket = socket;
    this.tokens = burst;
  }

  signalLost(code: 'UNKNOWN_PEER' | 'UNAVAILABLE'): void {
    this.fail(this, code, code === 'UNKNOWN_PEER' ? 'no such peer in this room' : 'the server could not pass that on; try again shortly');
  }

  send(message: ServerMessage): void {
    this.deliver(frameOf(message));
  }

  deliver(frame: Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame, TEXT_FRAME);
  }

  /**
   * This client's signal as its peer receives it: `data` exactly as sent. `raw` is the frame,
   * `text` its decoded text, `data` where the value sits in the text.
   */
  signalFrame(raw: Buffer, text: string, data: ValueSpan): Buffer {
    // Text offsets are byte offsets only when every character is ASCII (one byte, one unit).
    if (raw.length !== text.length) return Buffer.concat([this.signalPrefix, Buffer.from(`${text.slice(data.start, data.end)}}`)]);
    const frame = Buffer.allocUnsafe(this.signalPrefix.length + data.end - data.start + 1);
    this.signalPrefix.copy(frame, 0);
    raw.copy(frame, this.signalPrefix.length, data.start, data.end);
    frame[frame.length - 1] = CLOSE_OBJECT;
    return frame;
  }
}

export async function startSignalingServer(config: ServerConfig, log: Logger = pino({ level: config.logLevel })): Promise<SignalingServer> {
  const clients = new Set<Client>();
  const rooms: RoomDirectory = config.redisUrl
    ? await RedisRooms.connect(config.redisUrl, config.heartbeatMs, config.maxPeersPerRoom, log, {
        // Swept out while its process stalled, and the room filled up since: its client joins again.
        removed: (peer) => {
          const client = peer as Client;
          client.membership = null;
          client.socket.close(CLOSE_REMOVED, 'removed from the room; join again');
        },
      })
    : new LocalRooms();
  const redis = rooms instanceof RedisRooms ? rooms : null;
  const metrics = createMetrics({ connections: () => clients.size, rooms: () => rooms.roomCount(), redis: redis && (() => ({ up: redis.healthy, errors: redis.errors })) });

  const fail = (client: Client, code: ErrorCode, message: string) => {
    metrics.error(code);
    client.send({ type: 'error', code, message });
  };
  const badInput = (client: Client, code: ErrorCode, message: string) => {
    fail(client, code, message);
    if (client.badMessages.add() > MAX_BAD_MESSAGES_PER_MINUTE) client.socket.close(1008, 'too many bad messages');
  };

  /** `raw` is the frame `message` was parsed from, `text` its decoded text. */
  function handle(client: Client, message: IncomingClientMessage, raw: Buffer, text: string): void | Promise<void> {
    switch (message.type) {
      case 'ping':
        return client.send({ type: 'pong' });
      case 'join':
        return join(client, message);
      case 'signal': {
        if (client.membership === null) return fail(client, 'NOT_JOINED', 'join a room first');
        const delivered = message.to !== client.id && client.membership.send(message.to, client.signalFrame(raw, text, message.dataSpan), client);
        return delivered instanceof Promise ? delivered.then((ok) => relayed(client, ok)) : relayed(client, delivered);
      }
      case 'leave': {
        if (client.membership === null) return fail(client, 'NOT_JOINED', 'not in a room');
        const { room } = client.membership;
        client.membership = null;
        return rooms.leave(room, client.id);
      }
    }
  }

  function relayed(client: Client, delivered: boolean): void {
    if (delivered) metrics.relayed();
    else client.signalLost('UNKNOWN_PEER');
  }

  async function join(client: Client, message: Extract<IncomingClientMessage, { type: 'join' }>): Promise<void> {
    if (client.membership !== null) return fail(client, 'ALREADY_JOINED', 'this connection is already in a room; leave first');
    client.name = message.name ?? '';
    let result;
    try {
      result = await rooms.join(message.room, client, message.password, config.maxPeersPerRoom);
    } catch (error) {
      // Redis away: the join is refused clearly, and the client tries again later (1013).
      log.warn({ err: String(error), peer: client.id }, 'join failed');
      fail(client, 'UNAVAILABLE', 'the server cannot reach its rooms right now; try again shortly');
      return client.socket.close(1013, 'try again later');
    }
    if (!result.ok) {
      return fail(client, result.code, result.code === 'ROOM_FULL' ? 'the room is full' : 'wrong or missing room password');
    }
    if (client.socket.readyState !== WebSocket.OPEN) return rooms.leave(message.room, client.id);
    client.membership = result.membership;
    log.debug({ peer: client.id, room: message.room }, 'joined');
    return client.send({ type: 'welcome', id: client.id, room: message.room, peers: result.peers, iceServers: iceServersFor(config, client.id) });
  }

  /** `data` is a Buffer: the sockets keep ws's default binaryType. */
  function onMessage(client: Client, data: Buffer, isBinary: boolean): void {
    client.silentBeats = 0;
    if (!spend(client)) {
      if (noticeDue(client)) fail(client, 'RATE_LIMITED', `more than ${config.rateLimitPerSecond} messages a second; the excess was dropped`);
      return;
    }
    if (data.length > config.maxMessageBytes) {
      fail(client, 'TOO_LARGE', `messages are limited to ${config.maxMessageBytes} bytes`);
      return client.socket.close(1009, 'message too large');
    }
    if (isBinary) return badInput(client, 'BAD_MESSAGE', 'binary frames are not part of the protocol; send JSON text');
    const text = data.toString();
    const parsed = parseClientMessage(text);
    if (!parsed.ok) return badInput(client, parsed.code, parsed.reason);
    if (client.queue) return enqueue(client, () => handle(client, parsed.message, data, text));
    let pending: void | Promise<void>;
    try {
      pending = handle(client, parsed.message, data, text);
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
    fail(client, 'UNAVAILABLE', 'the server could not handle that message; try again shortly');
  }

  const wss = new WebSocketServer({
    noServer: true,
    // Above the protocol's limit so an oversized message gets TOO_LARGE before the close;
    // far beyond it ws closes with 1009 on its own without buffering the rest.
    maxPayload: Math.max(config.maxMessageBytes * 4, 256 * 1024),
    perMessageDeflate: false,
  });

  wss.on('connection', (socket: WebSocket) => {
    const client = new Client(socket, config.rateLimitBurst, fail);
    clients.add(client);
    log.debug({ peer: client.id }, 'connected');
    const joinDeadline = setTimeout(() => {
      if (client.membership === null) socket.close(1008, 'join a room within the time limit');
    }, config.joinTimeoutMs);
    socket.on('message', (data, isBinary) => onMessage(client, data as Buffer, isBinary));
    socket.on('pong', () => (client.silentBeats = 0));
    socket.on('error', (error) => log.debug({ peer: client.id, err: error.message }, 'socket error'));
    socket.on('close', () => {
      clearTimeout(joinDeadline);
      clients.delete(client);
      const room = client.membership?.room;
      client.membership = null;
      if (room !== undefined) enqueue(client, () => rooms.leave(room, client.id));
      log.debug({ peer: client.id }, 'disconnected');
    });
  });

  // Silent for two heartbeats (a ping unanswered for a whole one) → gone.
  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (++client.silentBeats > 2) client.socket.terminate();
      else client.socket.ping();
    }
  }, config.heartbeatMs);
  const rateLimit: RateLimit = { perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst, floodSeconds: FLOOD_SECONDS };
  const budgetTick = setInterval(() => {
    for (const client of clients) if (refill(client, rateLimit)) client.socket.close(1008, 'flooding');
  }, 1000);

  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      // Degraded: Redis is away — connections stay, new joins are refused until it is back.
      res.writeHead(200, { 'content-type': 'application/json' });
      const status = redis && !redis.healthy ? 'degraded' : 'ok';
      return res.end(JSON.stringify({ status, connections: clients.size, rooms: rooms.roomCount(), ...(redis && { redis: redis.healthy ? 'up' : 'down' }) }));
    }
    if (req.method === 'GET' && path === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
    void serveGuestPage(config.guestDir, req, res, path).then((served) => {
      if (!served) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
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
      clearInterval(budgetTick);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([...clients].map((c) => c.queue));
      // The directory takes everyone out of their rooms once (telling peers on other
      // processes); the sockets' own close handlers then have nothing left to leave.
      for (const client of clients) client.membership = null;
      await rooms.close();
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      setTimeout(() => {
        for (const client of clients) client.socket.terminate();
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
