import { CustomAudioEncoder, EncodedPacket, registerEncoder, type AudioCodec, type AudioSample } from 'mediabunny';
import type { AacReply, AacRequest } from './protocol';

/**
 * AAC for MP4 exports (Chromium's WebCodecs has none): FFmpeg's encoder as wasm in a worker,
 * fed in batches without waiting. @mediabunny/aac-encoder's own wrapper waits for every
 * 1024-sample frame to come back from its worker, so the worker idled while the page decoded
 * and the page idled while the worker encoded; here the page keeps up to MAX_IN_FLIGHT batches
 * queued, and both cores work.
 */
const BATCH_FRAMES = 16;
const MAX_IN_FLIGHT = 3;

interface Waiting {
  resolve: (reply: AacReply) => void;
}

export class AacEncoder extends CustomAudioEncoder {
  static override supports(codec: AudioCodec, config: AudioEncoderConfig): boolean {
    // Raw AAC for MP4 only: an ADTS stream (config.aac.format) is not what exports make.
    return codec === 'aac' && (config as { aac?: { format?: string } }).aac?.format !== 'adts';
  }

  private worker: Worker | null = null;
  private frameSize = 0;
  private channels = 0;
  /** Samples waiting to make a batch, interleaved. */
  private pending = new Float32Array(0);
  private pendingFrames = 0;
  /** Index of the next sample sent, and of the first sample of the next packet out. */
  private nextSample: number | null = null;
  private nextPacket = 0;
  private metadata: EncodedAudioChunkMetadata | undefined;
  /** Requests sent and not yet answered, oldest first (the worker answers in order). */
  private waiting: Waiting[] = [];
  private inFlight: Promise<AacReply>[] = [];
  private failure: Error | null = null;

  async init(): Promise<void> {
    this.worker = takeWorker();
    this.worker.onmessage = (event: MessageEvent<AacReply>) => this.waiting.shift()?.resolve(event.data);
    this.worker.onerror = (event) => this.fail(new Error(`the AAC encoder stopped: ${event.message}`));
    this.channels = this.config.numberOfChannels;
    const opened = await this.request({ type: 'open', channels: this.channels, sampleRate: this.config.sampleRate, bitrate: this.config.bitrate ?? 128_000 });
    if (opened.type !== 'opened') throw this.failure ?? new Error('the AAC encoder did not open');
    this.frameSize = opened.frameSize;
    this.metadata = {
      decoderConfig: { codec: 'mp4a.40.2', numberOfChannels: this.channels, sampleRate: this.config.sampleRate, description: opened.extradata },
    };
  }

  async encode(sample: AudioSample): Promise<void> {
    this.throwIfFailed();
    if (this.nextSample === null) {
      this.nextSample = Math.round(sample.timestamp * this.config.sampleRate);
      this.nextPacket = this.nextSample;
    }
    const values = sample.numberOfFrames * this.channels;
    this.reserve(this.pendingFrames * this.channels + values);
    sample.copyTo(this.pending.subarray(this.pendingFrames * this.channels, this.pendingFrames * this.channels + values), { format: 'f32', planeIndex: 0 });
    this.pendingFrames += sample.numberOfFrames;
    if (this.pendingFrames >= BATCH_FRAMES * this.frameSize) await this.sendBatch(false);
  }

  async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.pendingFrames > 0) await this.sendBatch(true);
    // Replies come in order: once the flush is answered, every batch before it has been emitted.
    await this.request({ type: 'flush' });
    this.throwIfFailed();
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
    // Nothing more will come: whoever waits is let go.
    for (const waiting of this.waiting.splice(0)) waiting.resolve({ type: 'failed', message: 'closed' });
  }

  /** Sends the whole frames waiting (and, at the end, the last part frame padded with silence). */
  private async sendBatch(padLast: boolean): Promise<void> {
    const frames = padLast ? Math.ceil(this.pendingFrames / this.frameSize) : Math.floor(this.pendingFrames / this.frameSize);
    const values = frames * this.frameSize * this.channels;
    this.reserve(values);
    if (padLast) this.pending.fill(0, this.pendingFrames * this.channels, values);
    const pcm = this.pending.slice(0, values);
    const kept = Math.max(0, this.pendingFrames * this.channels - values);
    this.pending.copyWithin(0, values, values + kept);
    this.pendingFrames = kept / this.channels;
    const firstSample = this.nextSample!;
    this.nextSample = firstSample + frames * this.frameSize;
    const encoded = this.request({ type: 'encode', pcm, firstSample }, [pcm.buffer]);
    this.inFlight.push(encoded);
    void encoded.then(() => this.inFlight.splice(this.inFlight.indexOf(encoded), 1));
    if (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight[0];
  }

  /** Sends a request; its reply's packets go to the muxer as it arrives, in order. */
  private request(message: AacRequest, transfer: Transferable[] = []): Promise<AacReply> {
    if (!this.worker) return Promise.resolve({ type: 'failed', message: 'closed' });
    const reply = new Promise<AacReply>((resolve) => this.waiting.push({ resolve }));
    this.worker.postMessage(message, transfer);
    return reply.then((answer) => {
      if (answer.type === 'encoded') this.emit(answer.data, answer.sizes, answer.durations);
      else if (answer.type === 'failed' && this.worker) this.fail(new Error(`the AAC encoder failed: ${answer.message}`));
      return answer;
    });
  }

  private emit(data: Uint8Array, sizes: number[], durations: number[]): void {
    const rate = this.config.sampleRate;
    let offset = 0;
    sizes.forEach((size, i) => {
      const packet = new EncodedPacket(data.subarray(offset, offset + size), 'key', this.nextPacket / rate, durations[i]! / rate);
      offset += size;
      this.nextPacket += durations[i]!;
      this.onPacket(packet, this.metadata);
      this.metadata = undefined;
    });
  }

  private reserve(values: number): void {
    if (values <= this.pending.length) return;
    const grown = new Float32Array(Math.max(values, this.pending.length * 2, BATCH_FRAMES * 1024 * this.channels));
    grown.set(this.pending.subarray(0, this.pendingFrames * this.channels));
    this.pending = grown;
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onError(error);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

let registered = false;
/** A worker started ahead of the next encoder, its wasm loading meanwhile. */
let spare: Worker | null = null;

const startWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

function takeWorker(): Worker {
  const worker = spare ?? startWorker();
  spare = null;
  return worker;
}

/**
 * Makes mediabunny encode AAC with this encoder (once per page) and starts the next encoder's
 * worker, so its wasm is compiled before the export begins.
 */
export function prepareAacEncoder(): void {
  if (!registered) registerEncoder(AacEncoder);
  registered = true;
  spare ??= startWorker();
}

/** Stops the waiting worker (the export panel closed without exporting). */
export function releaseAacEncoder(): void {
  spare?.terminate();
  spare = null;
}
