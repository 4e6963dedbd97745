import { createHash, timingSafeEqual } from 'node:crypto';
import type { PeerInfo, ServerMessage } from '../lib/signaling/protocol';

export type JoinResult = { ok: true; peers: PeerInfo[] } | { ok: false; code: 'ROOM_FULL' | 'FORBIDDEN' };

/** Hands a serialized message to a connection of this process; false when it has no such peer. */
export type DeliverLocal = (peerId: string, frame: string) => boolean;

/** Messages are serialized once, however many peers receive them. */
export function frameOf(message: ServerMessage): string {
  return JSON.stringify(message);
}

/**
 * Who is in which room, and delivery to them. In one process the rooms live in memory
 * (LocalRooms); with REDIS_URL they live in Redis and several processes share them (RedisRooms).
 */
export interface RoomDirectory {
  /** Joins if the password fits and there is room, atomically; returns the others already in. */
  join(room: string, peer: PeerInfo, password: string | undefined, capacity: number): Promise<JoinResult>;
  /** Leaves, and tells the others `peer-left`. */
  leave(room: string, peerId: string): Promise<void>;
  /**
   * Delivers to a peer of `room` only; false when `to` is not in that room. In-memory rooms
   * answer at once (no promise on the hot path); Redis rooms answer later.
   */
  send(room: string, to: string, frame: string): boolean | Promise<boolean>;
  /** Rooms with a member on this process. */
  roomCount(): number;
  close(): Promise<void>;
}

export function passwordHash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

export function passwordMatches(expectedHash: string, password: string | undefined): boolean {
  if (password === undefined) return false;
  return timingSafeEqual(Buffer.from(expectedHash, 'hex'), Buffer.from(passwordHash(password), 'hex'));
}

interface LocalRoom {
  passwordHash: string | null;
  members: Map<string, PeerInfo>;
}

export class LocalRooms implements RoomDirectory {
  private readonly rooms = new Map<string, LocalRoom>();

  constructor(private readonly deliver: DeliverLocal) {}

  async join(name: string, peer: PeerInfo, password: string | undefined, capacity: number): Promise<JoinResult> {
    let room = this.rooms.get(name);
    if (!room) {
      room = { passwordHash: password ? passwordHash(password) : null, members: new Map() };
      this.rooms.set(name, room);
    } else {
      if (room.passwordHash && !passwordMatches(room.passwordHash, password)) return { ok: false, code: 'FORBIDDEN' };
      if (room.members.size >= capacity) return { ok: false, code: 'ROOM_FULL' };
    }
    const peers = [...room.members.values()];
    room.members.set(peer.id, peer);
    const joined = frameOf({ type: 'peer-joined', peer });
    for (const other of peers) this.deliver(other.id, joined);
    return { ok: true, peers };
  }

  async leave(name: string, peerId: string): Promise<void> {
    const room = this.rooms.get(name);
    if (!room?.members.delete(peerId)) return;
    if (room.members.size === 0) this.rooms.delete(name);
    const left = frameOf({ type: 'peer-left', id: peerId });
    for (const other of room.members.keys()) this.deliver(other, left);
  }

  send(name: string, to: string, frame: string): boolean {
    return this.rooms.get(name)?.members.has(to) === true && this.deliver(to, frame);
  }

  roomCount(): number {
    return this.rooms.size;
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
