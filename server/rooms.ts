import { createHash, timingSafeEqual } from 'node:crypto';
import type { PeerInfo, ServerMessage } from '../lib/signaling/protocol';

/** A connection of this process, as a room member. */
export interface RoomPeer extends PeerInfo {
  /** Hands it a serialized message. */
  deliver(frame: Buffer): void;
}

/** Who sent a signal: told when it turns out to have reached no one. */
export interface Sender {
  signalLost(code: 'UNKNOWN_PEER' | 'UNAVAILABLE'): void;
}

/** A connection's place in a room: where its signals go. */
export interface Membership {
  readonly room: string;
  /**
   * Delivers to a peer of this room only; false when `to` is not in it. In-memory rooms answer
   * at once; Redis rooms too when they know where `to` is (no promise on the hot path) — and if
   * the signal then finds no one (its process is gone) or Redis fails it, `from` is told — or
   * later when they have to ask.
   */
  send(to: string, frame: Buffer, from: Sender): boolean | Promise<boolean>;
}

export type JoinResult = { ok: true; peers: PeerInfo[]; membership: Membership } | { ok: false; code: 'ROOM_FULL' | 'FORBIDDEN' };

/** Messages are serialized once, however many peers receive them. */
export function frameOf(message: ServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/**
 * Who is in which room, and delivery to them. In one process the rooms live in memory
 * (LocalRooms); with REDIS_URL they live in Redis and several processes share them (RedisRooms).
 */
export interface RoomDirectory {
  /** Joins if the password fits and there is room, atomically; returns the others already in. */
  join(room: string, peer: RoomPeer, password: string | undefined, capacity: number): Promise<JoinResult>;
  /** Leaves, and tells the others `peer-left`. */
  leave(room: string, peerId: string): Promise<void>;
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

/** What others are told of a member: its id and name, not its connection. */
export const infoOf = (peer: PeerInfo): PeerInfo => ({ id: peer.id, name: peer.name });

/** A room of this process; it is its members' Membership too. */
class LocalRoom implements Membership {
  /** At most MAX_PEERS_PER_ROOM (≤ 8): a scan beats hashing a fresh id for every signal. */
  members: RoomPeer[] = [];

  constructor(
    readonly room: string,
    readonly passwordHash: string | null,
  ) {}

  send(to: string, frame: Buffer): boolean {
    for (const member of this.members) {
      if (member.id === to) {
        member.deliver(frame);
        return true;
      }
    }
    return false;
  }
}

export class LocalRooms implements RoomDirectory {
  private readonly rooms = new Map<string, LocalRoom>();

  async join(name: string, peer: RoomPeer, password: string | undefined, capacity: number): Promise<JoinResult> {
    let room = this.rooms.get(name);
    if (!room) {
      room = new LocalRoom(name, password ? passwordHash(password) : null);
      this.rooms.set(name, room);
    } else {
      if (room.passwordHash && !passwordMatches(room.passwordHash, password)) return { ok: false, code: 'FORBIDDEN' };
      if (room.members.length >= capacity) return { ok: false, code: 'ROOM_FULL' };
    }
    const others = room.members;
    const joined = frameOf({ type: 'peer-joined', peer: infoOf(peer) });
    for (const other of others) other.deliver(joined);
    room.members = [...others, peer];
    return { ok: true, peers: others.map(infoOf), membership: room };
  }

  async leave(name: string, peerId: string): Promise<void> {
    const room = this.rooms.get(name);
    const remaining = room?.members.filter((m) => m.id !== peerId);
    if (!room || !remaining || remaining.length === room.members.length) return;
    room.members = remaining;
    if (remaining.length === 0) this.rooms.delete(name);
    const left = frameOf({ type: 'peer-left', id: peerId });
    for (const other of remaining) other.deliver(left);
  }

  roomCount(): number {
    return this.rooms.size;
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
