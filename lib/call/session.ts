import { SignalingClient, type ConnectionState } from '../signaling/client';
import type { ErrorCode, IceServer } from '../signaling/protocol';
import { FILE_CHANNEL, receiveFile, sendFile, type Transfer } from './files';
import { randomToken } from './ice';
import { MAX_CHAT_LENGTH, parseCallPayload } from './payloads';
import { CallPeer } from './peer';
import type { VideoCodecPreference } from './preferences';
import type { CallStats } from './stats';

/**
 * A call: this side in a signaling room, one CallPeer per other participant (a mesh). Runs in
 * the extension's call page and in the guest page alike — no extension APIs here.
 */
export interface CallSessionOptions {
  signalingUrl: string;
  room: string;
  name: string;
  /** The person's own STUN/TURN servers, used besides the server's. */
  iceServers: RTCIceServer[];
  relayOnly: boolean;
  videoCodec: VideoCodecPreference;
  maxBitrateKbps: number;
  tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  /** The WebSocket class (tests in Node pass `ws`'s). */
  WebSocket?: new (url: string) => WebSocket;
}

export interface Participant {
  /** The participant's current peer id (it changes when they reconnect). */
  id: string;
  /** Stays the same for the whole call, whatever their id becomes: what a list of tiles is keyed by. */
  key: string;
  /**
   * Dropped from the signaling server without saying goodbye: the connection is kept a while
   * (media may still flow), in case they come back under a new id.
   */
  away: boolean;
  /** The display name the server relayed: text from the network, to be shown as text. */
  name: string;
  stream: MediaStream | null;
  state: RTCPeerConnectionState;
  sharing: boolean;
  safetyCode: string | null;
  stats: CallStats | null;
}

export interface ChatEntry {
  /** Null for this side's own messages. */
  from: string | null;
  name: string;
  text: string;
  at: number;
}

/** A file going to or coming from one participant. */
export interface CallTransfer extends Transfer {
  peerId: string;
  peerName: string;
}

export interface CallSessionEvents {
  participants: Participant[];
  transfers: CallTransfer[];
  chat: ChatEntry;
  signaling: ConnectionState;
  error: { code: ErrorCode; message: string };
  warning: string;
}

/** A mesh sends everyone's media to everyone: past four people it is more than a machine should carry. */
export const MAX_MESH = 4;
/** How long a participant who dropped from the signaling server is waited for. */
const AWAY_GRACE_MS = 30_000;
/** After this side reconnects, how long a newly listed peer gets to say who it is before it is called afresh. */
const HELLO_WAIT_MS = 1500;

interface Entry {
  peer: CallPeer;
  participant: Participant;
  /** What the participant's hello said; null until it does (or forever, for a client without hellos). */
  identity: string | null;
  graceTimer: ReturnType<typeof setTimeout> | null;
}


function toRtcIceServer(server: IceServer): RTCIceServer {
  return { urls: server.urls, ...(server.username !== undefined && { username: server.username }), ...(server.credential !== undefined && { credential: server.credential }) };
}

/**
 * Identity across reconnects: peer ids are the signaling server's and change when a client
 * reconnects, so each side also has a random identity for the call and tells it to every peer
 * (`hello`). Someone who drops from the server without a goodbye (`bye`) stays "away" with their
 * connection kept; when a peer appears under a new id and says hello with an identity already
 * known, the kept connection is rebound to the new id — media never stopped. A client that says
 * no hello is simply called afresh.
 */
export class CallSession {
  private readonly client: SignalingClient;
  private readonly identity = randomToken(16);
  private readonly peers = new Map<string, Entry>();
  /** After this side reconnected: newly listed peers waiting to say who they are. */
  private readonly unknown = new Map<string, { name: string; timer: ReturnType<typeof setTimeout> }>();
  private readonly handlers = new Map<keyof CallSessionEvents, Set<(payload: never) => void>>();
  private serverIceServers: RTCIceServer[] = [];
  private sharing = false;
  private ended = false;
  private readonly transfers = new Map<string, CallTransfer>();
  /** Incoming files waiting for the person to accept or decline them. */
  private readonly decisions = new Map<string, (accept: boolean) => void>();

  constructor(private readonly options: CallSessionOptions) {
    this.client = new SignalingClient({ url: options.signalingUrl, room: options.room, name: options.name, WebSocket: options.WebSocket });
    this.client.on('state', (state) => this.emit('signaling', state));
    this.client.on('error', (error) => this.emit('error', error));
    this.client.on('welcome', ({ id, peers, iceServers }) => {
      // A server that allows bigger rooms than a mesh can carry: this side does not join a fifth.
      if (peers.length >= MAX_MESH && this.peers.size === 0) {
        this.emit('error', { code: 'ROOM_FULL', message: `calls hold ${MAX_MESH} people at most` });
        return this.hangUp();
      }
      this.serverIceServers = iceServers.map(toRtcIceServer);
      const listed = new Set(peers.map((p) => p.id));
      // Those we knew and the room no longer lists dropped too, or come back under new ids.
      for (const [peerId, entry] of this.peers) if (!listed.has(peerId)) this.markAway(entry);
      const anyoneAway = [...this.peers.values()].some((entry) => entry.participant.away);
      for (const other of peers) {
        this.hello(other.id);
        const known = this.peers.get(other.id);
        if (known) known.peer.rebind(id, other.id); // they stayed; this side has a new id
        else if (anyoneAway) this.unknown.set(other.id, { name: other.name, timer: setTimeout(() => this.callUnknown(other.id), HELLO_WAIT_MS) });
        else this.connect(id, other.id, other.name, true);
      }
      this.publish();
    });
    this.client.on('peer-joined', (peer) => {
      if (!this.client.id) return;
      // A passive connection that waits for their offer, unless their hello says they are someone away.
      this.connect(this.client.id, peer.id, peer.name, false);
      this.hello(peer.id);
      this.publish();
    });
    this.client.on('peer-left', ({ id }) => {
      const entry = this.peers.get(id);
      if (entry?.participant.state === 'connected') this.markAway(entry);
      else this.drop(id);
      this.publish();
    });
    this.client.on('signal', ({ from, data }) => {
      const payload = parseCallPayload(data);
      if (!payload) return;
      if (payload.kind === 'hello') return this.recognise(from, payload.identity);
      if (payload.kind === 'bye') {
        this.drop(from);
        return this.publish();
      }
      void this.peers.get(from)?.peer.handle(payload);
    });
  }

  on<K extends keyof CallSessionEvents>(event: K, handler: (payload: CallSessionEvents[K]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  get participants(): Participant[] {
    return [...this.peers.values()].map(({ participant }) => ({ ...participant }));
  }

  /** Sends another track (the camera, a shared screen, none) to everyone, without renegotiating. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    this.options.tracks[kind] = track;
    await Promise.all([...this.peers.values()].map(({ peer }) => peer.replaceTrack(kind, track)));
  }

  /** "Reconnect" on a participant's tile: an ICE restart of that connection. */
  restart(peerId: string): void {
    this.peers.get(peerId)?.peer.restart();
  }

  /** Tells everyone whether a screen or tab is being shared (their tiles say so). */
  setSharing(sharing: boolean): void {
    this.sharing = sharing;
    for (const id of this.peers.keys()) this.client.signal(id, { kind: 'status', sharing });
  }

  /** Sends a chat message to everyone connected; false when it is empty, too long or nobody can receive it. */
  sendChat(text: string): boolean {
    const trimmed = text.trim();
    if (!trimmed || trimmed.length > MAX_CHAT_LENGTH) return false;
    let sent = false;
    for (const { peer } of this.peers.values()) sent = peer.sendChat(trimmed) || sent;
    if (sent) this.emit('chat', { from: null, name: this.options.name, text: trimmed, at: Date.now() });
    return sent;
  }

  /** Offers a file to everyone connected; each gets it (or declines it) on a channel of its own. */
  sendFile(file: File): void {
    for (const [id, { peer, participant }] of this.peers) {
      if (participant.state !== 'connected') continue;
      void sendFile(peer.connection, file, (transfer) => this.track(transfer, id, participant.name));
    }
  }

  /** The person's answer to an incoming file. */
  answerTransfer(id: string, accept: boolean): void {
    this.decisions.get(id)?.(accept);
    this.decisions.delete(id);
  }

  /** Leaves the room and closes every connection; the others are told at once (a goodbye, then the server). */
  hangUp(): void {
    if (this.ended) return;
    this.ended = true;
    for (const id of [...this.peers.keys()]) {
      this.client.signal(id, { kind: 'bye' });
      this.drop(id);
    }
    for (const { timer } of this.unknown.values()) clearTimeout(timer);
    this.unknown.clear();
    this.client.close();
    this.publish();
  }

  private emit<K extends keyof CallSessionEvents>(event: K, payload: CallSessionEvents[K]): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as (p: CallSessionEvents[K]) => void)(payload);
  }

  private publish(): void {
    this.emit('participants', this.participants);
  }

  private track(transfer: Transfer, peerId: string, peerName: string): void {
    this.transfers.set(transfer.id, { ...transfer, peerId, peerName });
    this.emit('transfers', [...this.transfers.values()]);
  }

  private hello(id: string): void {
    this.client.signal(id, { kind: 'hello', identity: this.identity });
  }

  private markAway(entry: Entry): void {
    if (entry.participant.away) return;
    entry.participant.away = true;
    entry.graceTimer = setTimeout(() => {
      this.drop(entry.peer.id);
      this.publish();
    }, AWAY_GRACE_MS);
  }

  /** A peer said who it is: if that is someone away, their kept connection carries on under the new id. */
  private recognise(id: string, identity: string): void {
    const ownId = this.client.id;
    if (!ownId) return;
    const away = [...this.peers.values()].find((entry) => entry.participant.away && entry.identity === identity && entry.peer.id !== id);
    const pending = this.unknown.get(id);
    if (pending) {
      clearTimeout(pending.timer);
      this.unknown.delete(id);
    }
    if (away) {
      // The passive connection made when they joined is not needed: theirs is the kept one.
      const fresh = this.peers.get(id);
      if (fresh) {
        fresh.peer.close();
        this.peers.delete(id);
      }
      this.peers.delete(away.peer.id);
      if (away.graceTimer) clearTimeout(away.graceTimer);
      away.graceTimer = null;
      away.peer.rebind(ownId, id);
      Object.assign(away.participant, { id, away: false, name: pending?.name ?? fresh?.participant.name ?? away.participant.name });
      this.peers.set(id, away);
    } else if (pending) {
      this.connect(ownId, id, pending.name, true);
    }
    const entry = this.peers.get(id);
    if (entry) entry.identity = identity;
    this.publish();
  }

  /** A newly listed peer said no hello in time: someone new, or a client without hellos. */
  private callUnknown(id: string): void {
    const pending = this.unknown.get(id);
    this.unknown.delete(id);
    if (pending && this.client.id && !this.ended) {
      this.connect(this.client.id, id, pending.name, true);
      this.publish();
    }
  }

  private connect(ownId: string, id: string, name: string, newcomer: boolean): void {
    if (this.peers.has(id)) return;
    const participant: Participant = { id, key: id, away: false, name, stream: null, state: 'new', sharing: false, safetyCode: null, stats: null };
    const peer: CallPeer = new CallPeer({
      id,
      // The peer whose id sorts lower gives way when both offer at once.
      polite: ownId < id,
      newcomer,
      iceServers: [...this.serverIceServers, ...this.options.iceServers],
      relayOnly: this.options.relayOnly,
      videoCodec: this.options.videoCodec,
      maxBitrateKbps: this.options.maxBitrateKbps,
      tracks: { ...this.options.tracks },
      // To whatever id they have now (it changes when they reconnect); nothing is sent during construction.
      send: (payload) => void this.client.signal(peer.id, payload),
    });
    const entry: Entry = { peer, participant, identity: null, graceTimer: null };
    const update = (patch: Partial<Participant>) => {
      Object.assign(participant, patch);
      this.publish();
    };
    peer.on('stream', (stream) => update({ stream }));
    peer.on('state', (state) => {
      update({ state });
      if (state === 'connected' && this.sharing) this.client.signal(peer.id, { kind: 'status', sharing: true });
      // A connection that ended for good is not waited for.
      if (participant.away && (state === 'failed' || state === 'closed')) {
        this.drop(peer.id);
        this.publish();
      }
    });
    peer.on('sharing', (sharing) => update({ sharing }));
    peer.on('safetyCode', (safetyCode) => update({ safetyCode }));
    peer.on('stats', (stats) => update({ stats }));
    peer.on('chat', (text) => this.emit('chat', { from: peer.id, name: participant.name, text, at: Date.now() }));
    peer.on('warning', (warning) => this.emit('warning', warning));
    peer.on('channel', (channel) => {
      if (channel.label !== FILE_CHANNEL) return channel.close();
      const decide = (transfer: Transfer) => new Promise<boolean>((resolve) => this.decisions.set(transfer.id, resolve));
      void receiveFile(channel, decide, (transfer) => this.track(transfer, peer.id, participant.name));
    });
    this.peers.set(id, entry);
  }

  private drop(id: string): void {
    const entry = this.peers.get(id);
    if (entry?.graceTimer) clearTimeout(entry.graceTimer);
    entry?.peer.close();
    this.peers.delete(id);
    // Files waiting for an answer from someone who left are declined.
    for (const transfer of this.transfers.values()) if (transfer.peerId === id) this.answerTransfer(transfer.id, false);
  }
}
