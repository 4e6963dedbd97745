import { OpusDecoder } from 'opus-decoder';

/**
 * The recording's Opus decoded in wasm (opus-decoder: libopus, MIT/BSD), one packet at a time
 * and synchronously. WebCodecs' AudioDecoder handles one packet per trip to its media thread,
 * which capped an export's sound at about 60× realtime whatever the CPU; this runs several
 * times faster. Plain code: it runs in the exporting page (feeding the AAC worker) and in unit
 * tests.
 */

/** The parts of an Opus identification header (RFC 7845 §5.1) a decoder needs. */
export interface OpusHead {
  channels: number;
  /** Samples at 48 kHz to drop from the start of the decoded sound. */
  preSkip: number;
  mapping: { streamCount: number; coupledStreamCount: number; table: number[] } | null;
}

/** Reads an OpusHead (what an MP4's dOps or a WebM's CodecPrivate holds, as mediabunny gives it). */
export function parseOpusHead(description: Uint8Array): OpusHead {
  const magic = String.fromCharCode(...description.subarray(0, 8));
  if (magic !== 'OpusHead' || description.length < 19) throw new Error('the sound is not Opus as expected (no OpusHead)');
  const view = new DataView(description.buffer, description.byteOffset, description.byteLength);
  const channels = view.getUint8(9);
  const family = view.getUint8(18);
  if (family === 0) return { channels, preSkip: view.getUint16(10, true), mapping: null };
  if (description.length < 21 + channels) throw new Error('the Opus header is cut short');
  return {
    channels,
    preSkip: view.getUint16(10, true),
    mapping: { streamCount: view.getUint8(19), coupledStreamCount: view.getUint8(20), table: [...description.subarray(21, 21 + channels)] },
  };
}

export const OPUS_RATE = 48_000;

export interface DecodedOpus {
  /** Interleaved samples; a view that the next call overwrites. */
  pcm: Float32Array;
  /** Sample index of the first of them. */
  start: number;
}

export interface OpusDecoding {
  readonly channels: number;
  /**
   * Decodes one packet starting at `timestamp` seconds. A packet that does not decode gives
   * nothing: the gap it leaves is filled with silence downstream.
   */
  decode(packet: Uint8Array, timestamp: number): DecodedOpus | null;
  close(): void;
}

export async function openOpusDecoding(description: Uint8Array): Promise<OpusDecoding> {
  const head = parseOpusHead(description);
  const decoder = new OpusDecoder({
    channels: head.channels,
    preSkip: head.preSkip,
    ...(head.mapping ? { streamCount: head.mapping.streamCount, coupledStreamCount: head.mapping.coupledStreamCount, channelMappingTable: head.mapping.table } : {}),
  });
  await decoder.ready;
  let interleaved = new Float32Array(0);
  return {
    channels: head.channels,
    decode(packet, timestamp) {
      const { channelData, samplesDecoded, errors } = decoder.decodeFrame(packet);
      if (errors.length > 0 || samplesDecoded === 0) return null;
      const channels = channelData.length;
      if (interleaved.length < samplesDecoded * channels) interleaved = new Float32Array(samplesDecoded * channels);
      const pcm = interleaved.subarray(0, samplesDecoded * channels);
      if (channels === 1) pcm.set(channelData[0]!.subarray(0, samplesDecoded));
      else {
        channelData.forEach((plane, channel) => {
          for (let i = 0; i < samplesDecoded; i++) pcm[i * channels + channel] = plane[i]!;
        });
      }
      // The pre-skip comes off the front of the first packets: what is left ends where the packet does.
      const packetSamples = opusPacketSamples(packet);
      const start = Math.round(timestamp * OPUS_RATE) + Math.max(0, packetSamples - samplesDecoded);
      return { pcm, start };
    },
    close: () => decoder.free(),
  };
}

/** Samples at 48 kHz an Opus packet holds, from its TOC byte and frame count (RFC 6716 §3.1). */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0]!;
  const config = toc >> 3;
  const frameSamples =
    config < 12 ? [480, 960, 1920, 2880][config % 4]! : config < 16 ? [480, 960][config % 2]! : [120, 240, 480, 960][config % 4]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frameSamples * frames;
}
