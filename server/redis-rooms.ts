import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { frameOf, infoOf, passwordHash, type JoinResult, type RoomDirectory, type RoomPeer, type Sender } from './rooms';

/**
 * Rooms shared by several server processes through Redis.
 *
 * - Membership: per room a hash (peer id → {name, instance}), a sorted set of when each member
 *   was last seen, the password hash set by the first joiner, and who was swept out lately.
 *   Joining is one Lua script, so capacity and password hold atomically across processes.
 * - Time is Redis's (`TIME` in the scripts): processes whose clocks disagree agree on who is stale.
 * - Liveness: every heartbeat/3 each process runs one script per room it has members in (all in
 *   one pipeline, one tick at a time): its members are marked seen, members unseen for a
 *   heartbeat are swept (and the room told), and a member of this process found swept — this
 *   process stalled, or Redis lost its data — is put back if the room has space (the room told
 *   it joined again, if it had been told it left) or, if not, disconnected so its client rejoins.
 *   Never a member the room no longer counts, never more members than the room holds.
 * - Delivery: each process subscribes to its own channel; a signal goes to the channel of the
 *   process holding the recipient, found in this process's copy of the room (kept by the
 *   scripts' answers and by the joins and leaves it is told of), together with the others for
 *   that process within PUBLISH_DELAY_MS. A PUBLISH nobody receives (that process is gone) is an
 *   unknown peer, told to each sender, never a silent loss.
 * - Trouble: commands fail at once while Redis is unreachable (no offline queue): joins are
 *   refused with UNAVAILABLE, connections stay, and the next heartbeat after Redis is back puts
 *   this process's members back.
 */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Members unseen since ARGV[1] ms ago out, each noted in the left hash (KEYS[4]); returns them. */
const SWEEP = `
local function sweep(staleAfter)
  local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - staleAfter)
  for _, id in ipairs(stale) do
    redis.call('HDEL', KEYS[1], id); redis.call('ZREM', KEYS[2], id); redis.call('HSET', KEYS[4], id, 1)
  end
  return stale
end`;

/**
 * Whether one more member may come in (KEYS as below): 'FORBIDDEN' (another password), 'ROOM_FULL'
 * or 'OK' — then an empty room takes `hash` as its password. Joins and put-backs alike.
 */
const ADMIT = `
local function admit(capacity, hash)
  local count = redis.call('HLEN', KEYS[1])
  if count == 0 then redis.call('DEL', KEYS[3]) end
  local pw = redis.call('GET', KEYS[3])
  if pw and pw ~= hash then return 'FORBIDDEN' end
  if count >= capacity then return 'ROOM_FULL' end
  if count == 0 and hash ~= '' then redis.call('SET', KEYS[3], hash) end
  return 'OK'
end`;

/** KEYS: members, seen, password, left. ARGV: id, info, staleAfterMs, capacity, password hash, ttl. */
const JOIN = `${NOW}
${SWEEP}
${ADMIT}
local stale = sweep(tonumber(ARGV[3]))
local verdict = admit(tonumber(ARGV[4]), ARGV[5])
if verdict ~= 'OK' then return {verdict, stale, {}} end
local members = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[1])
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
return {'OK', stale, members}
`;

/**
 * One process's heartbeat for one room. KEYS: members, seen, password, left. ARGV: staleAfterMs,
 * capacity, password hash, ttl, then this process's members there as id, info pairs. Returns
 * {put back and announced, put back quietly, no room to put back, swept, members}.
 */
const HEARTBEAT = `${NOW}
${SWEEP}
${ADMIT}
local announced, quiet, refused = {}, {}, {}
for i = 5, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('ZSCORE', KEYS[2], id) then
    redis.call('ZADD', KEYS[2], now, id)
  elseif admit(tonumber(ARGV[2]), ARGV[3]) ~= 'OK' then
    table.insert(refused, id)
  else
    redis.call('HSET', KEYS[1], id, ARGV[i + 1])
    redis.call('ZADD', KEYS[2], now, id)
    if redis.call('HDEL', KEYS[4], id) == 1 then table.insert(announced, id) else table.insert(quiet, id) end
  end
end
local stale = sweep(tonumber(ARGV[1]))
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
return {announced, quiet, refused, stale, redis.call('HGETALL', KEYS[1])}
`;

/** A member leaving: KEYS as above; ARGV: id. */
const LEAVE = `
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4]) end
if removed == 1 then return redis.call('HGETALL', KEYS[1]) end
return false
`;

const keys = (room: string) => [`sig:room:${room}:members`, `sig:room:${room}:seen`, `sig:room:${room}:password`, `sig:room:${room}:left`];
const channel = (instance: string) => `sig:instance:${instance}`;
/**
 * How long a record waits for others to the same process: each PUBLISH is a trip through the
 * kernel to Redis and on to the other process, so sharing one between the signals of a
 * millisecond takes most of scale-out's cost per signal away, for ≤ 1 ms more latency.
 */
const PUBLISH_DELAY_MS = 5;
/** Joins and leaves announced to a process that is gone: its members are swept soon enough. */
const NOBODY_TO_TELL: Sender = { signalLost: () => undefined };
/** Rooms per pipeline in a heartbeat: bounded, so one tick's answer never grows without limit. */
const HEARTBEAT_BATCH = 256;

/**
 * What goes through a process's channel: records, each the recipients' ids (comma-separated), a
 * tab, the frame's length, a newline and the frame as their sockets get it — no JSON envelope to
 * build or parse per signal. A change of a room's members rides along as `room\x1f+id\x1finstance`
 * or `room\x1f-id` before the ids, after a `\x1e`. The records for one process in one turn of the
 * event loop go as one PUBLISH.
 */
function record(to: string[], frame: Buffer, change?: string): Buffer {
  const head = `${change === undefined ? '' : `${change}\x1e`}${to.join(',')}\t${frame.length}\n`;
  const length = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(length + frame.length);
  out.write(head, 0, 'utf8');
  frame.copy(out, length);
  return out;
}

/** Records waiting to go to one process together. */
interface Batch {
  records: Buffer[];
  /** Each record's sender, told if the PUBLISH reaches no one, or fails. */
  senders: Sender[];
}

interface Member {
  name: string;
  instance: string;
}

/** This process's view of one room it has members in. */
interface RoomState {
  /** Its members on this process, with their connections. */
  mine: Map<string, RoomPeer>;
  /** Every member, and which process holds it. */
  members: Map<string, string>;
  passwordHash: string;
}

export interface RedisRoomsEvents {
  /** A member of this process was swept out and the room is full now: its connection is closed, so its client joins again. */
  removed(peer: RoomPeer): void;
}

export class RedisRooms implements RoomDirectory {
  readonly instance = randomBytes(9).toString('base64url');
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly rooms = new Map<string, RoomState>();
  /** This process's members, by id, for what arrives on its channel. */
  private readonly connections = new Map<string, RoomPeer>();
  /**
   * Members whose welcome is not out yet, and what came for them meanwhile: news from another
   * process travels on the subscriber connection and can overtake the answer to the join itself.
   */
  private readonly joining = new Map<string, Buffer[]>();
  private readonly timer: ReturnType<typeof setInterval>;
  private beating = false;
  private readonly outbox = new Map<string, Batch>();
  private failures = 0;

  private constructor(
    url: string,
    private readonly heartbeatMs: number,
    private readonly capacity: number,
    private readonly log: Logger,
    private readonly events: RedisRoomsEvents,
  ) {
    // No offline queue: while Redis is away a command fails at once (a join is refused with
    // UNAVAILABLE) instead of waiting for it.
    this.redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, enableAutoPipelining: true });
    this.subscriber = new Redis(url, { lazyConnect: true });
    for (const connection of [this.redis, this.subscriber]) connection.on('error', (error: Error) => this.log.warn({ err: error.message }, 'redis'));
    this.redis.defineCommand('sigJoin', { numberOfKeys: 4, lua: JOIN });
    this.redis.defineCommand('sigHeartbeat', { numberOfKeys: 4, lua: HEARTBEAT });
    this.redis.defineCommand('sigLeave', { numberOfKeys: 4, lua: LEAVE });
    this.timer = setInterval(() => void this.heartbeat(), Math.max(50, Math.round(heartbeatMs / 3)));
  }

  static async connect(url: string, heartbeatMs: number, capacity: number, log: Logger, events: RedisRoomsEvents): Promise<RedisRooms> {
    const rooms = new RedisRooms(url, heartbeatMs, capacity, log, events);
    await Promise.all([rooms.redis.connect(), rooms.subscriber.connect()]);
    rooms.subscriber.on('messageBuffer', (_channel: Buffer, payload: Buffer) => rooms.receive(payload));
    await rooms.subscriber.subscribe(channel(rooms.instance));
    log.info({ instance: rooms.instance }, 'sharing rooms through redis');
    return rooms;
  }

  /** Failed Redis commands so far (metrics). */
  get errors(): number {
    return this.failures;
  }

  /** What the room's hash keeps of a member of this process. */
  private memberInfo(peer: RoomPeer): string {
    return JSON.stringify({ name: peer.name, instance: this.instance } satisfies Member);
  }

  /** Whether Redis answers (/healthz says "degraded" when not). */
  get healthy(): boolean {
    return this.redis.status === 'ready' && this.subscriber.status === 'ready';
  }

  private receive(payload: Buffer): void {
    for (let at = 0; at < payload.length; ) {
      const newline = payload.indexOf(0x0a, at);
      if (newline < 0) return;
      let head = payload.toString('utf8', at, newline);
      const tab = head.lastIndexOf('\t');
      const end = newline + 1 + Number(head.slice(tab + 1));
      if (tab < 0 || !(end <= payload.length)) return;
      head = head.slice(0, tab);
      const separator = head.indexOf('\x1e');
      if (separator >= 0) {
        this.applyChange(head.slice(0, separator));
        head = head.slice(separator + 1);
      }
      const frame = payload.subarray(newline + 1, end);
      for (const to of head.split(',')) this.deliverHere(to, frame);
      at = end;
    }
  }

  /** Sends a record to a process's channel with the others of the next millisecond or so. */
  private publish(instance: string, data: Buffer, from: Sender): void {
    let batch = this.outbox.get(instance);
    if (!batch) {
      batch = { records: [], senders: [] };
      if (this.outbox.size === 0) setTimeout(() => this.flush(), PUBLISH_DELAY_MS);
      this.outbox.set(instance, batch);
    }
    batch.records.push(data);
    batch.senders.push(from);
  }

  private flush(): void {
    for (const [instance, { records, senders }] of this.outbox) {
      this.command('publish', channel(instance), records.length === 1 ? records[0]! : Buffer.concat(records)).then(
        (receivers) => {
          if (receivers !== 0) return;
          // That process is gone (no one listens on its channel): its peers are as good as gone.
          for (const state of this.rooms.values()) for (const [id, where] of state.members) if (where === instance) state.members.delete(id);
          for (const sender of senders) sender.signalLost('UNKNOWN_PEER');
        },
        () => senders.forEach((sender) => sender.signalLost('UNAVAILABLE')),
      );
    }
    this.outbox.clear();
  }

  /** A join or leave on another process, as `room\x1f+id\x1finstance` or `room\x1f-id`. */
  private applyChange(change: string): void {
    const [room, who, instance] = change.split('\x1f');
    const state = this.rooms.get(room!);
    if (!state || !who) return;
    if (who.startsWith('+') && instance) state.members.set(who.slice(1), instance);
    else if (who.startsWith('-')) state.members.delete(who.slice(1));
  }

  private get staleAfterMs(): number {
    return this.heartbeatMs;
  }

  private get ttlMs(): number {
    return this.heartbeatMs * 4;
  }

  /** Hands a frame to a member of this process (held back while its welcome is on its way); false when it has no such member. */
  private deliverHere(peerId: string, frame: Buffer): boolean {
    const waiting = this.joining.get(peerId);
    if (waiting) {
      waiting.push(frame);
      return true;
    }
    const peer = this.connections.get(peerId);
    peer?.deliver(frame);
    return peer !== undefined;
  }

  async join(room: string, peer: RoomPeer, password: string | undefined, capacity: number): Promise<JoinResult> {
    const hash = password ? passwordHash(password) : '';
    const info = this.memberInfo(peer);
    this.joining.set(peer.id, []);
    let answer: [string, string[], string[]];
    try {
      answer = (await this.command('sigJoin', ...keys(room), peer.id, info, this.staleAfterMs, capacity, hash, this.ttlMs)) as [string, string[], string[]];
    } catch (error) {
      this.joining.delete(peer.id);
      throw error;
    }
    const [verdict, stale, flat] = answer;
    const members = membersOf(flat);
    for (const id of stale) this.announce(members, id, frameOf({ type: 'peer-left', id }), `${room}\x1f-${id}`);
    if (verdict !== 'OK') {
      this.joining.delete(peer.id);
      return { ok: false, code: verdict as 'ROOM_FULL' | 'FORBIDDEN' };
    }
    let state = this.rooms.get(room);
    if (!state) this.rooms.set(room, (state = { mine: new Map(), members: new Map(), passwordHash: hash }));
    for (const [id, member] of members) state.members.set(id, member.instance);
    state.members.set(peer.id, this.instance);
    state.mine.set(peer.id, peer);
    this.connections.set(peer.id, peer);
    // The caller sends the welcome as this resolves; what came meanwhile follows it.
    setImmediate(() => {
      const waiting = this.joining.get(peer.id) ?? [];
      this.joining.delete(peer.id);
      for (const frame of waiting) this.deliverHere(peer.id, frame);
    });
    this.announce(members, peer.id, frameOf({ type: 'peer-joined', peer: infoOf(peer) }), `${room}\x1f+${peer.id}\x1f${this.instance}`);
    return {
      ok: true,
      peers: [...members].map(([id, m]) => ({ id, name: m.name })),
      membership: { room, send: (to, frame, from) => this.send(room, to, frame, from) },
    };
  }

  async leave(room: string, peerId: string): Promise<void> {
    const state = this.rooms.get(room);
    if (!state?.mine.delete(peerId)) return;
    this.connections.delete(peerId);
    this.joining.delete(peerId);
    state.members.delete(peerId);
    if (state.mine.size === 0) this.rooms.delete(room);
    const flat = (await this.command('sigLeave', ...keys(room), peerId)) as string[] | null;
    if (flat) this.announce(membersOf(flat), peerId, frameOf({ type: 'peer-left', id: peerId }), `${room}\x1f-${peerId}`);
  }

  private send(room: string, to: string, frame: Buffer, from: Sender): boolean | Promise<boolean> {
    const state = this.rooms.get(room);
    if (!state) return false;
    const instance = state.members.get(to);
    if (instance === undefined) return this.sendToNewcomer(room, state, to, frame, from);
    if (instance === this.instance) return this.deliverHere(to, frame);
    if (!this.healthy) throw new Error('redis is unreachable');
    this.publish(instance, record([to], frame), from);
    return true;
  }

  /** A peer not in this process's copy of the room: maybe it joined a moment ago and the news is on its way. */
  private async sendToNewcomer(room: string, state: RoomState, to: string, frame: Buffer, from: Sender): Promise<boolean> {
    const json = await this.command('hget', keys(room)[0]!, to);
    if (typeof json !== 'string') return false;
    state.members.set(to, (JSON.parse(json) as Member).instance);
    return this.send(room, to, frame, from);
  }

  /** Tells a room's members (but `except`) a frame, with a change to their processes' copies of the room. */
  private announce(members: Map<string, Member>, except: string, frame: Buffer, change: string): void {
    const byInstance = new Map<string, string[]>();
    for (const [id, m] of members) {
      if (id === except) continue;
      if (m.instance === this.instance) this.deliverHere(id, frame);
      else byInstance.set(m.instance, [...(byInstance.get(m.instance) ?? []), id]);
    }
    for (const [instance, to] of byInstance) this.publish(instance, record(to, frame, change), NOBODY_TO_TELL);
  }

  /** One heartbeat at a time: a slow one (a busy Redis) is not joined by the next. */
  private async heartbeat(): Promise<void> {
    if (this.beating || this.rooms.size === 0 || !this.healthy) return;
    this.beating = true;
    try {
      const rooms = [...this.rooms];
      for (let start = 0; start < rooms.length; start += HEARTBEAT_BATCH) {
        const batch = rooms.slice(start, start + HEARTBEAT_BATCH);
        const pipeline = this.redis.pipeline();
        for (const [room, state] of batch) {
          const mine = [...state.mine].flatMap(([id, peer]) => [id, this.memberInfo(peer)]);
          (pipeline as unknown as Record<string, (...args: unknown[]) => void>).sigHeartbeat!(...keys(room), this.staleAfterMs, this.capacity, state.passwordHash, this.ttlMs, ...mine);
        }
        const answers = (await pipeline.exec()) ?? [];
        for (let i = 0; i < batch.length; i++) {
          const [error, answer] = answers[i] ?? [new Error('no answer')];
          if (error) throw error;
          this.afterHeartbeat(batch[i]![0], answer as [string[], string[], string[], string[], string[]]);
        }
      }
    } catch (error) {
      this.failures++;
      this.log.warn({ err: String(error) }, 'redis heartbeat failed');
    } finally {
      this.beating = false;
    }
  }

  private afterHeartbeat(room: string, [announced, quiet, refused, stale, flat]: [string[], string[], string[], string[], string[]]): void {
    const state = this.rooms.get(room);
    if (!state) return;
    const members = membersOf(flat);
    state.members = new Map([...members].map(([id, m]) => [id, m.instance]));
    if (announced.length + quiet.length + refused.length > 0) this.log.info({ room, announced, quiet, refused }, 'members of this process were swept out');
    for (const id of stale) this.announce(members, id, frameOf({ type: 'peer-left', id }), `${room}\x1f-${id}`);
    for (const id of announced) {
      const peer = state.mine.get(id);
      if (peer) this.announce(members, id, frameOf({ type: 'peer-joined', peer: infoOf(peer) }), `${room}\x1f+${id}\x1f${this.instance}`);
    }
    for (const id of refused) {
      const peer = state.mine.get(id);
      state.mine.delete(id);
      this.connections.delete(id);
      if (state.mine.size === 0) this.rooms.delete(room);
      if (peer) this.events.removed(peer);
    }
  }

  /** A Redis command, counted when it fails. */
  private async command(name: string, ...args: (string | number | Buffer)[]): Promise<unknown> {
    try {
      return await (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args);
    } catch (error) {
      this.failures++;
      throw error;
    }
  }

  roomCount(): number {
    return this.rooms.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const [room, state] of [...this.rooms]) for (const id of [...state.mine.keys()]) await this.leave(room, id).catch(() => undefined);
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => undefined);
  }
}

function membersOf(flat: string[]): Map<string, Member> {
  const members = new Map<string, Member>();
  for (let i = 0; i + 1 < flat.length; i += 2) members.set(flat[i]!, JSON.parse(flat[i + 1]!) as Member);
  return members;
}
