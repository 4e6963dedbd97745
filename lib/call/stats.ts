/**
 * A call's numbers, from `RTCPeerConnection.getStats()` read once a second: per direction and
 * kind the bitrate, frame rate, size, codec, packet loss and jitter; the round trip; which
 * route the media takes (host, srflx, prflx or relay); and a quality a person can read at a
 * glance. Rates are differences between two readings, so each summary keeps what the next needs.
 */

export type Route = 'host' | 'srflx' | 'prflx' | 'relay';
export type Quality = 'good' | 'fair' | 'poor';
export type MediaKind = 'audio' | 'video';

export interface StreamStats {
  bitrateKbps: number | null;
  codec: string | null;
  /** Video only. */
  fps: number | null;
  width: number | null;
  height: number | null;
  /** Receiving only: lost packets over the last reading, %. */
  lossPercent: number | null;
  jitterMs: number | null;
}

export interface CallStats {
  sending: Partial<Record<MediaKind, StreamStats>>;
  receiving: Partial<Record<MediaKind, StreamStats>>;
  rttMs: number | null;
  route: Route | null;
  quality: Quality | null;
}

/** What one reading leaves for the next: bytes and packets per stream, and when. */
export type StatsMemory = Map<string, { at: number; bytes: number; lost: number; received: number }>;

type Stat = Record<string, unknown> & { id: string; type: string; timestamp: number };

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const round = (value: number, places = 0) => Math.round(value * 10 ** places) / 10 ** places;

/** Loss and round trip a person notices: under 2 % and 250 ms is good; under 8 % and 500 ms fair. */
export function rateQuality(lossPercent: number | null, rttMs: number | null): Quality | null {
  if (lossPercent === null && rttMs === null) return null;
  const loss = lossPercent ?? 0;
  const rtt = rttMs ?? 0;
  if (loss < 2 && rtt < 250) return 'good';
  if (loss < 8 && rtt < 500) return 'fair';
  return 'poor';
}

export function summarizeStats(report: Iterable<Stat>, memory: StatsMemory): CallStats {
  const byId = new Map<string, Stat>();
  for (const stat of report) byId.set(stat.id, stat);
  const codecOf = (stat: Stat) => {
    const codec = byId.get(str(stat.codecId) ?? '');
    const mime = codec ? str(codec.mimeType) : null;
    return mime ? mime.replace(/^(audio|video)\//, '') : null;
  };
  const rate = (stat: Stat, bytes: number, lost: number, received: number) => {
    const before = memory.get(stat.id);
    memory.set(stat.id, { at: stat.timestamp, bytes, lost, received });
    if (!before || stat.timestamp <= before.at) return { bitrateKbps: null, lossPercent: null };
    const seconds = (stat.timestamp - before.at) / 1000;
    const packets = lost - before.lost + (received - before.received);
    return {
      bitrateKbps: round(((bytes - before.bytes) * 8) / 1000 / seconds),
      lossPercent: packets > 0 ? round((100 * Math.max(0, lost - before.lost)) / packets, 1) : 0,
    };
  };
  const stats: CallStats = { sending: {}, receiving: {}, rttMs: null, route: null, quality: null };
  for (const stat of byId.values()) {
    const kind = stat.kind === 'audio' || stat.kind === 'video' ? stat.kind : null;
    if (!kind) continue;
    if (stat.type === 'outbound-rtp') {
      const { bitrateKbps } = rate(stat, num(stat.bytesSent) ?? 0, 0, num(stat.packetsSent) ?? 0);
      stats.sending[kind] = { bitrateKbps, codec: codecOf(stat), fps: num(stat.framesPerSecond), width: num(stat.frameWidth), height: num(stat.frameHeight), lossPercent: null, jitterMs: null };
    } else if (stat.type === 'inbound-rtp') {
      const { bitrateKbps, lossPercent } = rate(stat, num(stat.bytesReceived) ?? 0, num(stat.packetsLost) ?? 0, num(stat.packetsReceived) ?? 0);
      const jitter = num(stat.jitter);
      stats.receiving[kind] = { bitrateKbps, codec: codecOf(stat), fps: num(stat.framesPerSecond), width: num(stat.frameWidth), height: num(stat.frameHeight), lossPercent, jitterMs: jitter === null ? null : round(jitter * 1000, 1) };
    }
  }
  // The route and round trip of the pair the transport selected.
  const transport = [...byId.values()].find((stat) => stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string');
  const pair = transport ? byId.get(transport.selectedCandidatePairId as string) : [...byId.values()].find((stat) => stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded');
  if (pair) {
    const rtt = num(pair.currentRoundTripTime);
    stats.rttMs = rtt === null ? null : round(rtt * 1000);
    const local = byId.get(str(pair.localCandidateId) ?? '');
    const remote = byId.get(str(pair.remoteCandidateId) ?? '');
    const types = [str(local?.candidateType), str(remote?.candidateType)];
    // Relayed if either end is a relay; otherwise the less direct of the two.
    stats.route = (['relay', 'srflx', 'prflx', 'host'] as const).find((type) => types.includes(type)) ?? null;
  }
  const losses = Object.values(stats.receiving).map((s) => s?.lossPercent ?? null).filter((v): v is number => v !== null);
  stats.quality = rateQuality(losses.length ? Math.max(...losses) : null, stats.rttMs);
  return stats;
}
