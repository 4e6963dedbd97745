/**
 * FFmpeg's AAC encoder (the wasm build that @mediabunny/aac-encoder ships), driven a batch of
 * frames at a time. Plain code over the module: it runs in the encoding worker and in unit tests.
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
  /** In samples. */
  durations: number[];
}

export interface AacCore {
  /** Samples per channel that make one AAC frame (1024). */
  readonly frameSize: number;
  /** The AudioSpecificConfig, for the MP4's decoder configuration. */
  readonly extradata: Uint8Array;
  /** Encodes interleaved samples, a whole number of frames; `firstSample` numbers the first one. */
  encode(pcm: Float32Array, firstSample: number): AacPackets;
  /** Encodes what the encoder still holds (its look-ahead): the end of the stream. */
  flush(): AacPackets;
  close(): void;
}

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

  /** Takes every packet the encoder has ready. The heap is read afresh each time: it may have grown. */
  const drain = (into: { parts: Uint8Array[]; sizes: number[]; durations: number[] }) => {
    let size: number;
    while ((size = receivePacket(ctx)) > 0) {
      const at = packetAt(ctx);
      into.parts.push(module.HEAPU8.slice(at, at + size));
      into.sizes.push(size);
      into.durations.push(packetDuration(ctx));
    }
    if (size < 0) throw new Error(`the AAC encoder failed (${size})`);
  };
  const pack = (into: { parts: Uint8Array[]; sizes: number[]; durations: number[] }): AacPackets => {
    const data = new Uint8Array(into.sizes.reduce((sum, size) => sum + size, 0));
    let offset = 0;
    for (const part of into.parts) {
      data.set(part, offset);
      offset += part.length;
    }
    return { data, sizes: into.sizes, durations: into.durations };
  };

  return {
    frameSize,
    extradata,
    encode(pcm, firstSample) {
      if (pcm.length % frameValues !== 0) throw new Error(`AAC input must be whole frames of ${frameSize} samples`);
      const out = { parts: [] as Uint8Array[], sizes: [] as number[], durations: [] as number[] };
      const input = inputAt(ctx, frameValues * 4);
      if (input === 0) throw new Error('the AAC encoder could not allocate its input');
      for (let offset = 0, sample = firstSample; offset < pcm.length; offset += frameValues, sample += frameSize) {
        new Float32Array(module.HEAPU8.buffer, input, frameValues).set(pcm.subarray(offset, offset + frameValues));
        const status = sendFrame(ctx, BigInt(sample));
        if (status < 0) throw new Error(`the AAC encoder failed (${status})`);
        drain(out);
      }
      return pack(out);
    },
    flush() {
      const out = { parts: [] as Uint8Array[], sizes: [] as number[], durations: [] as number[] };
      startFlush(ctx);
      drain(out);
      return pack(out);
    },
    close: () => closeEncoder(ctx),
  };
}
