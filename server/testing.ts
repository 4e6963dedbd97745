import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../lib/signaling/protocol';
import { DEFAULT_CONFIG, type ServerConfig } from './config';
import { startSignalingServer, type SignalingServer } from './signaling-server';

/** Test helpers: a real server on a free loopback port, and a raw protocol client. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<SignalingServer & { url: string }> {
  const server = await startSignalingServer({ ...DEFAULT_CONFIG, port: 0, ...overrides }, pino({ level: 'silent' }));
  return Object.assign(server, { url: `ws://127.0.0.1:${server.port}/ws` });
}

export class TestClient {
  readonly received: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new TestClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, res })));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  /** The next unread message of `type`, waiting up to `timeoutMs`. */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 3000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((m) => m.type === type);
      if (index >= 0) return this.received.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${type}" within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  async error(timeoutMs?: number): Promise<string> {
    return (await this.next('error', timeoutMs)).code;
  }

  async join(room: string, extra: { name?: string; password?: string } = {}) {
    this.send({ type: 'join', room, ...extra });
    return this.next('welcome');
  }

  close(): void {
    this.socket.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A peer that completes the WebSocket handshake over raw TCP, sends a join, and then never
 * reads or answers anything — what a frozen tab or a dropped network looks like to the server.
 */
export function silentPeer(port: number, room: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.once('data', (head) => {
      if (!head.toString().startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${head}`));
      // One masked text frame (mask 0, so the payload goes as is), then silence.
      const payload = Buffer.from(JSON.stringify({ type: 'join', room }));
      socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
      socket.pause();
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** The real `npm run server` entry point, as a process. */
export function spawnServer(env: Record<string, string>): Promise<{ port: number; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void }> {
  buildServerOnce();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '.output/server/index.mjs'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+).*signaling server listening/.exec(out);
      if (match) resolve({ port: Number(match[1]), exited, kill: (signal) => child.kill(signal) });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}


let built = false;
/** The tests run the same bundle `npm run server` runs. */
function buildServerOnce(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
  built = true;
}

/**
 * A real coturn on loopback handing out relays for credentials minted with `secret` (coturn's
 * REST scheme, as the server does). `relayPorts` keeps each test's relays apart.
 */
export async function startCoturn(port: number, secret: string, relayPorts: [number, number]): Promise<ChildProcess> {
  const coturn = spawn('turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`, `--min-port=${relayPorts[0]}`, `--max-port=${relayPorts[1]}`,
    '--realm=test', '--use-auth-secret', `--static-auth-secret=${secret}`, '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', '--log-file=stdout',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('coturn did not start within 10 s')), 10_000);
    coturn.stdout!.on('data', (chunk: Buffer) => {
      if (/listener opened on|Total General servers/.test(chunk.toString())) (clearTimeout(timer), resolve());
    });
    coturn.on('error', (error) => (clearTimeout(timer), reject(error)));
  });
  return coturn;
}
