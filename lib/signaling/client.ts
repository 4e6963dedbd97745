import {
  parseServerMessage,
  type ClientMessage,
  type ErrorCode,
  type IceServer,
  type PeerInfo,
  type SignalData,
} from './protocol';

/**
 * A client for signaling protocol v1 (server/PROTOCOL.md): joins a room, relays signals, and
 * when the connection drops reconnects with exponential backoff and jitter and joins again.
 * Everything the server sends is validated before it becomes an event.
 */
export interface SignalingClientOptions {
  url: string;
  room: string;
  name?: string;
  password?: string;
  /** The WebSocket class: the browser's by default, `ws`'s in Node. */
  WebSocket?: new (url: string) => WebSocket;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export type ConnectionState = 'connecting' | 'joined' | 'reconnecting' | 'closed';

export interface SignalingEvents {
  welcome: { id: string; peers: PeerInfo[]; iceServers: IceServer[] };
  'peer-joined': PeerInfo;
  'peer-left': { id: string };
  signal: { from: string; data: SignalData };
  error: { code: ErrorCode; message: string };
  state: ConnectionState;
}

/** Errors after which trying again cannot help: the client stops and says so. */
const FINAL_ERRORS: ReadonlySet<ErrorCode> = new Set(['ROOM_FULL', 'FORBIDDEN']);
/** Close codes the server uses for a client's own misbehaviour: reconnecting would repeat it. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([1007, 1008, 1009]);

/** Exponential backoff with "equal jitter": between half and all of min(max, initial·2^attempt). */
export function reconnectDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class SignalingClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly handlers = new Map<keyof SignalingEvents, Set<(payload: never) => void>>();
  state: ConnectionState = 'connecting';
  /** This client's peer id in the current room (a new one after each reconnect). */
  id: string | null = null;

  constructor(private readonly options: SignalingClientOptions) {
    this.connect();
  }

  on<K extends keyof SignalingEvents>(event: K, handler: (payload: SignalingEvents[K]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Sends a signal to a peer in the room; false when not connected (it is not queued). */
  signal(to: string, data: SignalData): boolean {
    return this.send({ type: 'signal', to, data });
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.socket?.readyState === 1) this.send({ type: 'leave' });
    this.socket?.close(1000);
    this.setState('closed');
  }

  private emit<K extends keyof SignalingEvents>(event: K, payload: SignalingEvents[K]): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as (p: SignalingEvents[K]) => void)(payload);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private send(message: ClientMessage): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private connect(): void {
    const Socket = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(this.options.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      const { room, name, password } = this.options;
      this.send({ type: 'join', room, ...(name !== undefined && { name }), ...(password !== undefined && { password }) });
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const message = parseServerMessage(event.data);
      if (!message) return;
      switch (message.type) {
        case 'welcome':
          this.attempt = 0;
          this.id = message.id;
          this.setState('joined');
          return this.emit('welcome', { id: message.id, peers: message.peers, iceServers: message.iceServers });
        case 'peer-joined':
          return this.emit('peer-joined', message.peer);
        case 'peer-left':
          return this.emit('peer-left', { id: message.id });
        case 'signal':
          return this.emit('signal', { from: message.from, data: message.data });
        case 'error':
          this.emit('error', { code: message.code, message: message.message });
          if (FINAL_ERRORS.has(message.code)) this.close();
          return;
        case 'pong':
          return;
      }
    });
    // A failed connection reports an error and then closes; the close is what reconnects. (Node's
    // ws throws an error nobody listens for.)
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.id = null;
      if (this.stopped || FINAL_CLOSE_CODES.has(event.code)) return this.setState('closed');
      this.setState('reconnecting');
      const delay = reconnectDelay(this.attempt++, this.options.initialDelayMs ?? 500, this.options.maxDelayMs ?? 15_000, this.options.random ?? Math.random);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }
}
