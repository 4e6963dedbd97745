import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { frameOf, infoOf, passwordHash, type JoinResult, type RoomDirectory, type RoomPeer } from './rooms';

/**
 * Rooms shared by several server processes through Redis.
 *
 * - Membership: per room a hash (peer id → {name, instance}), a sorted set of when each member
 *   was last seen, and the password hash set by the first joiner. Joining is one Lua script, so
 *   capacity and password are checked atomically across processes.
 * - Delivery: each process subscribes to its own channel; a message for a peer is published to
 *   the channel of the process holding that peer's socket.
 * - Liveness: each process refreshes its members' last-seen time every heartbeat/3; any process
 *   with a member in a room removes members unseen for a heartbeat and tells the room, so the
 *   peers of a killed process leave within about 1⅓ heartbeats.
 */
const JOIN = `
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
for _, id in ipairs(stale) do redis.call('HDEL', KEYS[1], id); redis.call('ZREM', KEYS[2], id) end
local count = redis.call('HLEN', KEYS[1])
if count == 0 then redis.call('DEL', KEYS[3]) end
local pw = redis.call('GET', KEYS[3])
if pw and pw ~= ARGV[6] then return {'FORBIDDEN', stale, {}} end
if count >= tonumber(ARGV[5]) then return {'ROOM_FULL', stale, {}} end
if count == 0 and ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6]) end
local members = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[7]) end
return {'OK', stale, members}
`;

/** Removes a member if it is still there (and, with ARGV[2], only if unseen since then). */
const REMOVE = `
if ARGV[2] ~= '' then
  local seen = redis.call('ZSCORE', KEYS[2], ARGV[1])
  if not seen or tonumber(seen) > tonumber(ARGV[2]) then return 0 end
end
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return removed
`;

interface Envelope {
  to: string[];
  frame: string;
}

const keys = (room: string) => [`sig:room:${room}:members`, `sig:room:${room}:seen`, `sig:room:${room}:password`];
const channel = (instance: string) => `sig:instance:${instance}`;

export class RedisRooms implements RoomDirectory {
  readonly instance = randomBytes(9).toString('base64url');
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  /** Rooms with members on this process → those members. */
  private readonly local = new Map<string, Set<string>>();
  /** The connections of this process's members. */
  private readonly connections = new Map<string, RoomPeer>();
  private readonly timer: ReturnType<typeof setInterval>;

  private constructor(
    url: string,
    private readonly heartbeatMs: number,
    private readonly log: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(url, { lazyConnect: true });
    this.timer = setInterval(() => void this.refreshAndSweep().catch((error) => this.log.warn({ err: String(error) }, 'redis heartbeat failed')), Math.max(50, Math.round(heartbeatMs / 3)));
  }

  static async connect(url: string, heartbeatMs: number, log: Logger): Promise<RedisRooms> {
    const rooms = new RedisRooms(url, heartbeatMs, log);
    await Promise.all([rooms.redis.connect(), rooms.subscriber.connect()]);
    rooms.subscriber.on('messageBuffer', (_channel: Buffer, payload: Buffer) => rooms.receive(payload));
    await rooms.subscriber.subscribe(channel(rooms.instance));
    log.info({ instance: rooms.instance }, 'sharing rooms through redis');
    return rooms;
  }

  private receive(payload: Buffer): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload.toString('utf8')) as Envelope;
    } catch {
      return;
    }
    const frame = Buffer.from(envelope.frame);
    for (const to of envelope.to) this.deliverHere(to, frame);
  }

  /** Hands a frame to a member of this process; false when it has no such member. */
  private deliverHere(peerId: string, frame: Buffer): boolean {
    const peer = this.connections.get(peerId);
    peer?.deliver(frame);
    return peer !== undefined;
  }

  private get staleAfterMs(): number {
    return this.heartbeatMs;
  }

  async join(room: string, peer: RoomPeer, password: string | undefined, capacity: number): Promise<JoinResult> {
    const now = Date.now();
    const [verdict, stale, flat] = (await this.redis.eval(
      JOIN,
      3,
      ...keys(room),
      peer.id,
      JSON.stringify({ name: peer.name, instance: this.instance }),
      now,
      now - this.staleAfterMs,
      capacity,
      password ? passwordHash(password) : '',
      this.heartbeatMs * 4,
    )) as [string, string[], string[]];
    const members = new Map<string, { name: string; instance: string }>();
    for (let i = 0; i + 1 < flat.length; i += 2) members.set(flat[i]!, JSON.parse(flat[i + 1]!));
    for (const id of stale) await this.broadcast(members, id, frameOf({ type: 'peer-left', id }));
    if (verdict !== 'OK') return { ok: false, code: verdict as 'ROOM_FULL' | 'FORBIDDEN' };
    let mine = this.local.get(room);
    if (!mine) this.local.set(room, (mine = new Set()));
    mine.add(peer.id);
    this.connections.set(peer.id, peer);
    await this.broadcast(members, peer.id, frameOf({ type: 'peer-joined', peer: infoOf(peer) }));
    return {
      ok: true,
      peers: [...members].map(([id, m]) => ({ id, name: m.name })),
      membership: { room, send: (to, frame) => this.send(room, to, frame) },
    };
  }

  async leave(room: string, peerId: string): Promise<void> {
    const mine = this.local.get(room);
    mine?.delete(peerId);
    if (mine?.size === 0) this.local.delete(room);
    this.connections.delete(peerId);
    await this.remove(room, peerId, null);
  }

  /** Removes a member and tells the rest of the room, unless another process got there first. */
  private async remove(room: string, peerId: string, unseenSince: number | null): Promise<void> {
    const removed = (await this.redis.eval(REMOVE, 3, ...keys(room), peerId, unseenSince ?? '')) as number;
    if (removed !== 1) return;
    await this.broadcast(await this.members(room), peerId, frameOf({ type: 'peer-left', id: peerId }));
  }

  private async members(room: string): Promise<Map<string, { name: string; instance: string }>> {
    const flat = await this.redis.hgetall(keys(room)[0]!);
    return new Map(Object.entries(flat).map(([id, json]) => [id, JSON.parse(json)]));
  }

  private async send(room: string, to: string, frame: Buffer): Promise<boolean> {
    const json = await this.redis.hget(keys(room)[0]!, to);
    if (!json) return false;
    const { instance } = JSON.parse(json) as { instance: string };
    if (instance === this.instance) return this.deliverHere(to, frame);
    await this.redis.publish(channel(instance), JSON.stringify({ to: [to], frame: frame.toString() } satisfies Envelope));
    return true;
  }

  private async broadcast(members: Map<string, { instance: string }>, except: string, frame: Buffer): Promise<void> {
    const byInstance = new Map<string, string[]>();
    for (const [id, m] of members) {
      if (id === except) continue;
      if (m.instance === this.instance) this.deliverHere(id, frame);
      else byInstance.set(m.instance, [...(byInstance.get(m.instance) ?? []), id]);
    }
    const text = frame.toString();
    await Promise.all([...byInstance].map(([instance, to]) => this.redis.publish(channel(instance), JSON.stringify({ to, frame: text } satisfies Envelope))));
  }

  private async refreshAndSweep(): Promise<void> {
    if (this.local.size === 0) return;
    const now = Date.now();
    const refresh = this.redis.pipeline();
    for (const [room, ids] of this.local) {
      const [members, seen, password] = keys(room);
      for (const id of ids) refresh.zadd(seen!, 'XX', now, id);
      for (const key of [members!, seen!, password!]) refresh.pexpire(key, this.heartbeatMs * 4);
    }
    await refresh.exec();
    const staleBefore = now - this.staleAfterMs;
    for (const room of this.local.keys()) {
      for (const id of await this.redis.zrangebyscore(keys(room)[1]!, '-inf', staleBefore)) await this.remove(room, id, staleBefore);
    }
  }

  roomCount(): number {
    return this.local.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const [room, ids] of [...this.local]) for (const id of [...ids]) await this.leave(room, id);
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => undefined);
  }
}
