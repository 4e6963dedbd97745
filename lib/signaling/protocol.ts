/**
 * Signaling protocol v1 — the one definition shared by the server (server/) and the client
 * (lib/signaling/client.ts). Documented in server/PROTOCOL.md; keep the two in step.
 */
import { memberValueSpan, type ValueSpan } from './raw-json';

export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const MAX_NAME_LENGTH = 64;
export const MAX_PASSWORD_LENGTH = 128;
/** Deeper `data` is refused: a peer would pay for it in recursion when handling it. */
export const MAX_DATA_DEPTH = 32;

export const ERROR_CODES = [
  'BAD_MESSAGE',
  'TOO_LARGE',
  'UNKNOWN_TYPE',
  'NOT_JOINED',
  'ALREADY_JOINED',
  'ROOM_FULL',
  'FORBIDDEN',
  'UNKNOWN_PEER',
  'RATE_LIMITED',
  'SERVER_FULL',
  'UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface PeerInfo {
  id: string;
  name: string;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export type SignalData = Record<string, unknown>;

export type ClientMessage =
  | { type: 'join'; room: string; name?: string; password?: string }
  | { type: 'signal'; to: string; data: SignalData }
  | { type: 'leave' }
  | { type: 'ping' };

export type ServerMessage =
  | { type: 'welcome'; id: string; room: string; peers: PeerInfo[]; iceServers: IceServer[] }
  | { type: 'peer-joined'; peer: PeerInfo }
  | { type: 'peer-left'; id: string }
  | { type: 'signal'; from: string; data: SignalData }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string };

/**
 * A client message as the server receives it. A signal also says where its `data` sits in the
 * frame's text, so the server relays those very bytes.
 */
export type IncomingClientMessage = Exclude<ClientMessage, { type: 'signal' }> | (Extract<ClientMessage, { type: 'signal' }> & { dataSpan: ValueSpan });

export type Parsed<T> = { ok: true; message: T } | { ok: false; code: 'BAD_MESSAGE' | 'UNKNOWN_TYPE'; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const bad = (reason: string): Parsed<never> => ({ ok: false, code: 'BAD_MESSAGE', reason });

/** Validates one text frame from a client. Unknown fields are ignored (and dropped). */
export function parseClientMessage(text: string): Parsed<IncomingClientMessage> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (!isPlainObject(value)) return bad('not a JSON object');
  if (typeof value.type !== 'string') return bad('"type" must be a string');
  switch (value.type) {
    case 'join': {
      const { room, name, password } = value;
      if (typeof room !== 'string' || !ROOM_PATTERN.test(room)) return bad('"room" must be 1-64 characters of A-Z a-z 0-9 _ -');
      if (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || CONTROL.test(name))) {
        return bad(`"name" must be text of at most ${MAX_NAME_LENGTH} characters`);
      }
      if (password !== undefined && (typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH)) {
        return bad(`"password" must be a string of at most ${MAX_PASSWORD_LENGTH} characters`);
      }
      return { ok: true, message: { type: 'join', room, ...(name !== undefined && { name }), ...(password !== undefined && { password }) } };
    }
    case 'signal': {
      const { to, data } = value;
      if (typeof to !== 'string' || !PEER_ID_PATTERN.test(to)) return bad('"to" must be a peer id');
      if (!isPlainObject(data)) return bad('"data" must be a JSON object');
      const dataSpan = memberValueSpan(text, 'data')!; // JSON.parse found it, so it is there
      if (dataSpan.depth > MAX_DATA_DEPTH) return bad(`"data" is nested deeper than ${MAX_DATA_DEPTH}`);
      return { ok: true, message: { type: 'signal', to, data, dataSpan } };
    }
    case 'leave':
      return { ok: true, message: { type: 'leave' } };
    case 'ping':
      return { ok: true, message: { type: 'ping' } };
    default:
      return { ok: false, code: 'UNKNOWN_TYPE', reason: 'unknown "type"' };
  }
}

/** Validates one message from the server, for clients (the server is on the network too). */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(value)) return null;
  const peer = (p: unknown): p is PeerInfo => isPlainObject(p) && typeof p.id === 'string' && typeof p.name === 'string';
  switch (value.type) {
    case 'welcome':
      return typeof value.id === 'string' &&
        typeof value.room === 'string' &&
        Array.isArray(value.peers) &&
        value.peers.every(peer) &&
        Array.isArray(value.iceServers)
        ? (value as ServerMessage)
        : null;
    case 'peer-joined':
      return peer(value.peer) ? (value as ServerMessage) : null;
    case 'peer-left':
      return typeof value.id === 'string' ? (value as ServerMessage) : null;
    case 'signal':
      return typeof value.from === 'string' && isPlainObject(value.data) ? (value as ServerMessage) : null;
    case 'pong':
      return { type: 'pong' };
    case 'error':
      return typeof value.code === 'string' && (ERROR_CODES as readonly string[]).includes(value.code) && typeof value.message === 'string'
        ? (value as ServerMessage)
        : null;
    default:
      return null;
  }
}
