/**
 * FFmpeg's AAC encoder (the wasm build that @mediabunny/aac-encoder ships), driven a batch of
 * frames at a time, and a stream over it that takes samples as they come. Plain code over the
 * module: it runs in the encoding worker and in unit tests.
 */

/** What the wasm module gives: its memory and its C functions (the package's bridge.c). */
export interface AacWasmModule {
  HEAPU8: Uint8Array;
  cwrap(name: string, returns: 'number' | null, args: string[]): (...args: (number | bigint)[]) => unknown;
}

export interface AacSettings {
  channels: number;
  sampleRate: number;
  bitrate: number;
}

/** Encoded AAC frames packed into one buffer (one transfer between threads), in order. */
export interface AacPackets {
  data: Uint8Array;
  sizes: number[];
  /**
   * Where each packet starts, in samples, as the encoder says: the first is its priming frame,
   * 1024 samples before the first sample given (an MP4 trims it off with an edit list).
   */
  starts: number[];
  durations: number[];
}

export interface AacCore {
  /** Samples per channel that make one AAC frame (1024). */
  readonly frameSize: number;
  /** The AudioSpecificConfig, for the MP4's decoder configuration. */
  readonly extradata: Uint8Array;
  /** Encodes interleaved samples, a whole number of frames; `firstSample` numbers the first one. */
  encode(pcm: Float32Array, firstSample: number): AacPackets;
  /** Encodes the last whole frames (if any) and what the encoder still holds (its look-ahead): the end of the stream. */
  finish(pcm: Float32Array, firstSample: number): AacPackets;
  close(): void;
}

interface Collected {
  parts: Uint8Array[];
  sizes: number[];
  starts: number[];
  durations: number[];
}

const collected = (): Collected => ({ parts: [], sizes: [], starts: [], durations: [] });

/** Packets gathered in runs, as one. */
function joined(runs: Collected): AacPackets {
  const data = new Uint8Array(runs.sizes.reduce((sum, size) => sum + size, 0));
  let offset = 0;
  for (const part of runs.parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return { data, sizes: runs.sizes, starts: runs.starts, durations: runs.durations };
}

/**
 * Frames of silence a new encoder codes, and drops, before the first sample. Started cold on a
 * sound, FFmpeg's AAC encoder takes 20–40 s to settle its rate control, coding worse and slower
 * meanwhile (a minute of two steady tones at 128 kb/s: 27–34 dB SNR over its first 30 s, 51 dB
 * after, and 0.80 s to encode); a frame of silence first and it codes at its settled level
 * from the start (51 dB throughout, 0.56 s), on tones, noise and bursts alike. Two frames: the
 * sound then follows as many zeros as a cold encoder's priming gives it, so the packets kept
 * decode the same way (priming frame first, trimmed by the MP4's edit list).
 */
const SETTLING_FRAMES = 2;

export function openAacCore(module: AacWasmModule, settings: AacSettings): AacCore {
  const fn = <T>(name: string, returns: 'number' | null, args: string[]) => module.cwrap(name, returns, args) as (...args: (number | bigint)[]) => T;
  const initEncoder = fn<number>('init_encoder', 'number', ['number', 'number', 'number']);
  const frameSizeOf = fn<number>('get_encoder_frame_size', 'number', ['number']);
  const extradataAt = fn<number>('get_encoder_extradata', 'number', ['number']);
  const extradataSize = fn<number>('get_encoder_extradata_size', 'number', ['number']);
  const inputAt = fn<number>('get_encode_input_ptr', 'number', ['number', 'number']);
  const sendFrame = fn<number>('send_frame', 'number', ['number', 'number']);
  const receivePacket = fn<number>('receive_packet', 'number', ['number']);
  const packetAt = fn<number>('get_encoded_data', 'number', ['number']);
  const packetStart = fn<bigint>('get_encoded_pts', 'number', ['number']);
  const packetDuration = fn<number>('get_encoded_duration', 'number', ['number']);
  const startFlush = fn<void>('flush_encoder_start', null, ['number']);
  const closeEncoder = fn<void>('close_encoder', null, ['number']);

  const { channels, sampleRate, bitrate } = settings;
  const ctx = initEncoder(channels, sampleRate, bitrate);
  if (ctx === 0) throw new Error(`the AAC encoder refused ${channels} channel(s) at ${sampleRate} Hz`);
  const frameSize = frameSizeOf(ctx);
  const extraAt = extradataAt(ctx);
  const extradata = module.HEAPU8.slice(extraAt, extraAt + extradataSize(ctx));
  const frameValues = frameSize * channels;
  const input = inputAt(ctx, frameValues * 4);
  if (input === 0) {
    closeEncoder(ctx);
    throw new Error('the AAC encoder could not allocate its input');
  }
  /** Packets that start before this are the settling silence's; null until the first sample comes. */
  let keepFrom: number | null = null;

  /** Takes every packet the encoder has ready. The heap is read afresh each time: it may have grown. */
  const drain = (into: Collected) => {
    let size: number;
    while ((size = receivePacket(ctx)) > 0) {
      const start = Number(packetStart(ctx));
      if (start < (keepFrom ?? Number.NEGATIVE_INFINITY)) continue;
      const at = packetAt(ctx);
      into.parts.push(module.HEAPU8.slice(at, at + size));
      into.sizes.push(size);
      into.starts.push(start);
      into.durations.push(packetDuration(ctx));
    }
    if (size < 0) throw new Error(`the AAC encoder failed (${size})`);
  };

  /** One frame (null: silence) starting at sample `sample`. */
  const send = (out: Collected, frame: Float32Array | null, sample: number) => {
    const view = new Float32Array(module.HEAPU8.buffer, input, frameValues);
    if (frame) view.set(frame);
    else view.fill(0);
    const status = sendFrame(ctx, BigInt(sample));
    if (status < 0) throw new Error(`the AAC encoder failed (${status})`);
    drain(out);
  };

  const encodeInto = (out: Collected, pcm: Float32Array, firstSample: number) => {
    if (pcm.length % frameValues !== 0) throw new Error(`AAC input must be whole frames of ${frameSize} samples`);
    if (keepFrom === null && pcm.length > 0) {
      keepFrom = firstSample - frameSize;
      for (let frame = SETTLING_FRAMES; frame > 0; frame--) send(out, null, firstSample - frame * frameSize);
    }
    for (let offset = 0, sample = firstSample; offset < pcm.length; offset += frameValues, sample += frameSize) {
      send(out, pcm.subarray(offset, offset + frameValues), sample);
    }
  };

  return {
    frameSize,
    extradata,
    encode(pcm, firstSample) {
      const out = collected();
      encodeInto(out, pcm, firstSample);
      return joined(out);
    },
    finish(pcm, firstSample) {
      const out = collected();
      encodeInto(out, pcm, firstSample);
      startFlush(ctx);
      drain(out);
      return joined(out);
    },
    close: () => closeEncoder(ctx),
  };
}

export interface AacStream {
  readonly extradata: Uint8Array;
  /** Takes interleaved samples starting at sample `start`; gives the packets made so far. */
  push(pcm: Float32Array, start: number): AacPackets;
  /** Encodes the rest (the last frame padded with silence) and ends the stream. */
  end(): AacPackets;
  close(): void;
}

/** A gap between pushes longer than this many samples is filled with silence, so the sound stays in sync. */
export const MAX_UNFILLED_GAP = 64;

/**
 * Samples in whatever sizes they come (decoded packets, mediabunny's samples) → whole AAC
 * frames. The timeline starts at the first sample pushed; a later push that starts after the
 * end of what came before gets silence in between.
 */
export function openAacStream(module: AacWasmModule, settings: AacSettings): AacStream {
  const core = openAacCore(module, settings);
  const { channels } = settings;
  const frameValues = core.frameSize * channels;
  let pending = new Float32Array(16 * frameValues);
  let pendingValues = 0;
  /** Sample index of pending[0]. */
  let pendingStart: number | null = null;

  const append = (values: Float32Array | number) => {
    const length = typeof values === 'number' ? values : values.length;
    if (pendingValues + length > pending.length) {
      const grown = new Float32Array(Math.max(pendingValues + length, pending.length * 2));
      grown.set(pending.subarray(0, pendingValues));
      pending = grown;
    }
    if (typeof values === 'number') pending.fill(0, pendingValues, pendingValues + length);
    else pending.set(values, pendingValues);
    pendingValues += length;
  };
  /** Encodes every whole frame waiting (and, at the end, finishes the stream). */
  const encodeWhole = (last: boolean): AacPackets => {
    const whole = pendingValues - (pendingValues % frameValues);
    const frames = pending.subarray(0, whole);
    const packets = last ? core.finish(frames, pendingStart ?? 0) : core.encode(frames, pendingStart!);
    pending.copyWithin(0, whole, pendingValues);
    pendingValues -= whole;
    if (pendingStart !== null) pendingStart += whole / channels;
    return packets;
  };

  return {
    extradata: core.extradata,
    push(pcm, start) {
      if (pendingStart === null) pendingStart = start;
      else {
        const gap = start - (pendingStart + pendingValues / channels);
        if (gap >= MAX_UNFILLED_GAP) append(gap * channels);
      }
      append(pcm);
      return encodeWhole(false);
    },
    end() {
      if (pendingValues % frameValues !== 0) append(frameValues - (pendingValues % frameValues));
      return encodeWhole(true);
    },
    close: () => core.close(),
  };
}
