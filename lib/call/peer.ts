import { parseChatMessage, type CallPayload, type CandidateInit } from './payloads';
import type { VideoCodecPreference } from './preferences';
import { safetyCode } from './safety-code';
import { summarizeStats, type CallStats, type StatsMemory } from './stats';

/**
 * One remote participant of a call: one RTCPeerConnection, in the spirit of simple-peer —
 * signals in (`handle`), signals out (`send`), events out. Negotiation is "perfect negotiation"
 * (webrtc/samples, MDN): either side may renegotiate at any time, and when both offer at once
 * the polite peer (the one whose id sorts lower) gives way. The newcomer to a room sends the
 * first offer and opens the `chat` data channel; a peer already in the room waits for that
 * offer before it adds its own media, so the first exchange is one offer and one answer.
 */

export interface CallPeerOptions {
  /** The remote participant's peer id (for the caller's bookkeeping). */
  id: string;
  polite: boolean;
  /** This side joined after the other: it offers first and opens the chat channel. */
  newcomer: boolean;
  iceServers: RTCIceServer[];
  /** Only TURN relays: the other side never learns this side's addresses. */
  relayOnly: boolean;
  videoCodec: VideoCodecPreference;
  /** A cap on the video sent to this peer, kb/s; 0 leaves it to the browser. */
  maxBitrateKbps: number;
  /** What this side sends: a microphone track and a camera or shared-screen track, either may be missing. */
  tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  send: (payload: CallPayload) => void;
}

export interface CallPeerEvents {
  /** The remote media, as one stream (its tracks come and go). */
  stream: MediaStream;
  state: RTCPeerConnectionState;
  chat: string;
  /** The remote side says whether it is sharing a screen or tab. */
  sharing: boolean;
  safetyCode: string;
  stats: CallStats;
  /** Something went wrong that did not end the call (a failed candidate, a refused description). */
  warning: string;
  /** A data channel the other side opened for something other than chat (files). */
  channel: RTCDataChannel;
}

const CODEC_MIME: Record<Exclude<VideoCodecPreference, 'auto'>, string> = { vp8: 'video/VP8', vp9: 'video/VP9', h264: 'video/H264', av1: 'video/AV1' };

/** The video codecs in the order wanted: the preferred one first, all others kept (VP8 always among them). */
export function orderCodecs<T extends { mimeType: string }>(codecs: T[], preference: VideoCodecPreference): T[] {
  if (preference === 'auto') return codecs;
  const wanted = CODEC_MIME[preference].toLowerCase();
  return [...codecs.filter((c) => c.mimeType.toLowerCase() === wanted), ...codecs.filter((c) => c.mimeType.toLowerCase() !== wanted)];
}

/** What a peer handles of the call payloads; `hello` and `bye` are about membership, the session's. */
export type PeerPayload = Exclude<CallPayload, { kind: 'hello' | 'bye' }>;

export class CallPeer {
  /** The participant's current peer id (a new one after they reconnect to the signaling server). */
  id: string;
  readonly connection: RTCPeerConnection;
  readonly stream = new MediaStream();
  private chat: RTCDataChannel | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  /** Signals are handled one at a time, in the order they came. */
  private queue: Promise<void> = Promise.resolve();
  private mediaAdded = false;
  /** Candidates that came before any remote description, added once there is one. */
  private early: (CandidateInit | null)[] = [];
  private senders: { audio: RTCRtpSender | null; video: RTCRtpSender | null } = { audio: null, video: null };
  private readonly handlers = new Map<keyof CallPeerEvents, Set<(payload: never) => void>>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private readonly statsMemory: StatsMemory = new Map();
  private lastCode: string | null = null;
  private closed = false;

  constructor(private readonly options: CallPeerOptions) {
    this.id = options.id;
    const pc = new RTCPeerConnection({ iceServers: options.iceServers, iceTransportPolicy: options.relayOnly ? 'relay' : 'all' });
    this.connection = pc;
    pc.addEventListener('negotiationneeded', () => void this.offer());
    pc.addEventListener('icecandidate', ({ candidate }) => {
      options.send({ kind: 'candidate', candidate: candidate ? (candidate.toJSON() as CandidateInit) : null });
    });
    pc.addEventListener('track', ({ track }) => {
      if (!this.stream.getTracks().includes(track)) this.stream.addTrack(track);
      track.addEventListener('ended', () => this.stream.removeTrack(track));
      this.emit('stream', this.stream);
    });
    pc.addEventListener('connectionstatechange', () => {
      this.emit('state', pc.connectionState);
      if (pc.connectionState === 'connected') void this.updateSafetyCode();
    });
    // ICE failed (a network change, a NAT binding gone): gather anew without dropping the call.
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'failed') pc.restartIce();
    });
    pc.addEventListener('datachannel', ({ channel }) => {
      if (channel.label === 'chat') this.useChat(channel);
      else this.emit('channel', channel);
    });
    if (options.newcomer) {
      this.useChat(pc.createDataChannel('chat'));
      this.addMedia();
    }
    this.statsTimer = setInterval(() => void this.readStats(), 1000);
  }

  on<K extends keyof CallPeerEvents>(event: K, handler: (payload: CallPeerEvents[K]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** A payload from this peer's signals (hello and bye are the session's). */
  handle(payload: PeerPayload): Promise<void> {
    this.queue = this.queue.then(() => this.apply(payload)).catch((error: unknown) => this.emit('warning', String(error)));
    return this.queue;
  }

  /**
   * The same participant under new peer ids (one side or both reconnected to the signaling
   * server): the connection goes on; who is polite follows the ids, as on both sides.
   */
  rebind(ownId: string, id: string): void {
    this.id = id;
    this.options.polite = ownId < id;
  }

  /** Gathers network routes anew (after a network change, a stuck call): an ICE restart, renegotiated. */
  restart(): void {
    if (!this.closed) this.connection.restartIce();
  }

  /** Switches what is sent (camera ↔ shared screen, a muted track) without renegotiating. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    this.options.tracks[kind] = track;
    const sender = this.senders[kind];
    if (sender) await sender.replaceTrack(track);
    else if (track && this.mediaAdded) this.addTrack(kind, track); // nothing of this kind was sent before: one renegotiation
  }

  sendChat(text: string): boolean {
    if (this.chat?.readyState !== 'open') return false;
    this.chat.send(JSON.stringify({ type: 'chat', text }));
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.chat?.close();
    this.connection.close();
    for (const track of this.stream.getTracks()) track.stop();
    this.handlers.clear();
  }

  private emit<K extends keyof CallPeerEvents>(event: K, payload: CallPeerEvents[K]): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as (p: CallPeerEvents[K]) => void)(payload);
  }

  private addMedia(): void {
    if (this.mediaAdded) return;
    this.mediaAdded = true;
    const { audio, video } = this.options.tracks;
    if (audio) this.addTrack('audio', audio);
    if (video) this.addTrack('video', video);
  }

  private addTrack(kind: 'audio' | 'video', track: MediaStreamTrack): void {
    this.senders[kind] = this.connection.addTrack(track);
  }

  /** Before each description: the preferred video codec first, every other one kept. */
  private applyCodecPreference(): void {
    const capabilities = typeof RTCRtpReceiver.getCapabilities === 'function' ? RTCRtpReceiver.getCapabilities('video') : null;
    if (!capabilities || this.options.videoCodec === 'auto') return;
    for (const transceiver of this.connection.getTransceivers()) {
      if (transceiver.receiver.track.kind !== 'video' || transceiver.currentDirection === 'stopped') continue;
      try {
        transceiver.setCodecPreferences(orderCodecs(capabilities.codecs, this.options.videoCodec));
      } catch (error) {
        this.emit('warning', `codec preference: ${String(error)}`);
      }
    }
  }

  private async applyBitrateCap(): Promise<void> {
    const sender = this.senders.video;
    if (!sender || this.options.maxBitrateKbps <= 0) return;
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) return;
    for (const encoding of parameters.encodings) encoding.maxBitrate = this.options.maxBitrateKbps * 1000;
    await sender.setParameters(parameters).catch((error: unknown) => this.emit('warning', `bitrate cap: ${String(error)}`));
  }

  private async offer(): Promise<void> {
    // A peer already in the room waits for the newcomer's first offer.
    if (!this.mediaAdded || this.closed) return;
    try {
      this.makingOffer = true;
      this.applyCodecPreference();
      await this.connection.setLocalDescription();
      const local = this.connection.localDescription;
      if (local) this.options.send({ kind: 'description', description: { type: local.type as 'offer', sdp: local.sdp } });
    } catch (error) {
      this.emit('warning', `offer: ${String(error)}`);
    } finally {
      this.makingOffer = false;
    }
  }

  private async apply(payload: PeerPayload): Promise<void> {
    if (this.closed) return;
    const pc = this.connection;
    if (payload.kind === 'status') {
      this.emit('sharing', payload.sharing);
      return;
    }
    if (payload.kind === 'candidate') {
      if (!pc.remoteDescription) this.early.push(payload.candidate);
      else await this.addCandidate(payload.candidate);
      return;
    }
    const { description } = payload;
    const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
    this.ignoreOffer = !this.options.polite && collision;
    if (this.ignoreOffer) return;
    await pc.setRemoteDescription(description);
    for (const candidate of this.early.splice(0)) await this.addCandidate(candidate);
    if (description.type === 'offer') {
      this.addMedia();
      this.applyCodecPreference();
      await pc.setLocalDescription();
      const local = pc.localDescription;
      if (local) this.options.send({ kind: 'description', description: { type: local.type as 'answer', sdp: local.sdp } });
    }
    await this.applyBitrateCap();
    await this.updateSafetyCode();
  }

  private async addCandidate(candidate: CandidateInit | null): Promise<void> {
    try {
      await this.connection.addIceCandidate(candidate ?? undefined);
    } catch (error) {
      // A candidate for an offer this side ignored, a duplicate, one already in the SDP: never fatal.
      if (!this.ignoreOffer) this.emit('warning', `candidate: ${String(error)}`);
    }
  }

  private useChat(channel: RTCDataChannel): void {
    this.chat = channel;
    channel.addEventListener('message', ({ data }) => {
      const message = parseChatMessage(data);
      if (message) this.emit('chat', message.text);
    });
  }

  private async updateSafetyCode(): Promise<void> {
    const code = await safetyCode(this.connection.currentLocalDescription?.sdp, this.connection.currentRemoteDescription?.sdp);
    if (code && code !== this.lastCode) {
      this.lastCode = code;
      this.emit('safetyCode', code);
    }
  }

  private async readStats(): Promise<void> {
    if (this.closed || this.connection.connectionState !== 'connected') return;
    const report = await this.connection.getStats();
    this.emit('stats', summarizeStats(report.values() as Iterable<never>, this.statsMemory));
  }
}
