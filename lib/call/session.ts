import { SignalingClient, type ConnectionState } from '../signaling/client';
import type { ErrorCode, IceServer } from '../signaling/protocol';
import { FILE_CHANNEL, receiveFile, sendFile, type Transfer } from './files';
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
  id: string;
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

function toRtcIceServer(server: IceServer): RTCIceServer {
  return { urls: server.urls, ...(server.username !== undefined && { username: server.username }), ...(server.credential !== undefined && { credential: server.credential }) };
}

export class CallSession {
  private readonly client: SignalingClient;
  private readonly peers = new Map<string, { peer: CallPeer; participant: Participant }>();
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
      // A new welcome is a new membership (after a reconnect the others have let the old one go).
      for (const peerId of [...this.peers.keys()]) this.drop(peerId);
      this.serverIceServers = iceServers.map(toRtcIceServer);
      for (const other of peers) this.connect(id, other.id, other.name, true);
      this.publish();
    });
    this.client.on('peer-joined', (peer) => {
      if (this.client.id) this.connect(this.client.id, peer.id, peer.name, false);
      this.publish();
    });
    this.client.on('peer-left', ({ id }) => {
      this.drop(id);
      this.publish();
    });
    this.client.on('signal', ({ from, data }) => {
      const payload = parseCallPayload(data);
      const entry = this.peers.get(from);
      if (payload && entry) void entry.peer.handle(payload);
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

  /** Leaves the room and closes every connection (the others are told by the server at once). */
  hangUp(): void {
    if (this.ended) return;
    this.ended = true;
    for (const id of [...this.peers.keys()]) this.drop(id);
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

  private connect(ownId: string, id: string, name: string, newcomer: boolean): void {
    if (this.peers.has(id)) return;
    const participant: Participant = { id, name, stream: null, state: 'new', sharing: false, safetyCode: null, stats: null };
    const peer = new CallPeer({
      id,
      // The peer whose id sorts lower gives way when both offer at once.
      polite: ownId < id,
      newcomer,
      iceServers: [...this.serverIceServers, ...this.options.iceServers],
      relayOnly: this.options.relayOnly,
      videoCodec: this.options.videoCodec,
      maxBitrateKbps: this.options.maxBitrateKbps,
      tracks: { ...this.options.tracks },
      send: (payload) => void this.client.signal(id, payload),
    });
    const update = (patch: Partial<Participant>) => {
      Object.assign(participant, patch);
      this.publish();
    };
    peer.on('stream', (stream) => update({ stream }));
    peer.on('state', (state) => {
      update({ state });
      if (state === 'connected' && this.sharing) this.client.signal(id, { kind: 'status', sharing: true });
    });
    peer.on('sharing', (sharing) => update({ sharing }));
    peer.on('safetyCode', (safetyCode) => update({ safetyCode }));
    peer.on('stats', (stats) => update({ stats }));
    peer.on('chat', (text) => this.emit('chat', { from: id, name: participant.name, text, at: Date.now() }));
    peer.on('warning', (warning) => this.emit('warning', warning));
    peer.on('channel', (channel) => {
      if (channel.label !== FILE_CHANNEL) return channel.close();
      const decide = (transfer: Transfer) => new Promise<boolean>((resolve) => this.decisions.set(transfer.id, resolve));
      void receiveFile(channel, decide, (transfer) => this.track(transfer, id, participant.name));
    });
    this.peers.set(id, { peer, participant });
  }

  private drop(id: string): void {
    this.peers.get(id)?.peer.close();
    this.peers.delete(id);
    // Files waiting for an answer from someone who left are declined.
    for (const transfer of this.transfers.values()) if (transfer.peerId === id) this.answerTransfer(transfer.id, false);
  }
}
