import { EncodedPacket } from 'mediabunny';
import { MAX_UNFILLED_GAP, type AacPackets, type AacSettings } from './core';
import type { AacReply, AacRequest } from './protocol';

/**
 * The page's side of the AAC worker: samples gathered into batches of BATCH_SAMPLES, sent
 * without waiting for each answer (at most MAX_IN_FLIGHT at a time, so the page and the worker
 * both keep busy); the packets that come back are handed on in order, with their times. The
 * worker hands each batch's buffer back with its answer and the next batch is gathered in it:
 * no new buffers on either side while the sound lasts (each would be garbage for the
 * collector, and memory would swell between collections).
 */
const MAX_IN_FLIGHT = 3;
const BATCH_SAMPLES = 16 * 1024;

/** A worker started ahead of the next encoder, its wasm loading meanwhile. */
let spare: Worker | null = null;

const startWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

/** Starts the next encoder's worker now, so its wasm is compiled before the export begins. */
export function prepareAacWorker(): void {
  spare ??= startWorker();
}

/** Stops the waiting worker (the export panel closed without exporting). */
export function releaseAacWorker(): void {
  spare?.terminate();
  spare = null;
}

export class AacWorkerClient {
  private worker: Worker | null;
  private waiting: ((reply: AacReply) => void)[] = [];
  private inFlight: Promise<unknown>[] = [];
  private failure: Error | null = null;
  private readonly sampleRate: number;
  private readonly channels: number;
  /** Buffers the worker handed back, for the next batches. */
  private returned: Float32Array[] = [];
  private batch: Float32Array;
  private batched = 0;
  /** Sample index of the batch's first sample. */
  private batchStart = 0;
  /** What a decoder of these packets needs (with the AudioSpecificConfig), once opened: it goes in the first packet's metadata. */
  decoderConfig: AudioDecoderConfig | null = null;

  /**
   * `onPackets` gets each reply's packets, in order; `onFailure` hears of a failure the moment
   * it happens (the next call throws it too).
   */
  constructor(
    private readonly settings: AacSettings,
    private readonly onPackets: (packets: EncodedPacket[]) => void,
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {
    this.sampleRate = settings.sampleRate;
    this.channels = settings.channels;
    this.batch = new Float32Array(BATCH_SAMPLES * settings.channels);
    this.worker = spare ?? startWorker();
    spare = null;
    this.worker.onmessage = (event: MessageEvent<AacReply>) => this.waiting.shift()?.(event.data);
    this.worker.onerror = (event) => this.fail(new Error(`the AAC encoder stopped: ${event.message}`));
  }

  async open(): Promise<void> {
    const opened = await this.request({ type: 'open', ...this.settings });
    this.throwIfFailed();
    if (opened.type === 'opened') this.decoderConfig = { codec: 'mp4a.40.2', numberOfChannels: this.channels, sampleRate: this.sampleRate, description: opened.extradata };
  }

  /**
   * Interleaved samples from sample `start` on (copied: `pcm` can be reused at once). Samples
   * that do not follow the last ones start a new batch, and the encoder fills a gap with silence.
   */
  async add(pcm: Float32Array, start: number): Promise<void> {
    const gap = start - (this.batchStart + this.batched / this.channels);
    if (this.batched > 0 && (Math.abs(gap) >= MAX_UNFILLED_GAP || this.batched + pcm.length > this.batch.length)) await this.sendBatch();
    if (this.batched === 0) this.batchStart = start;
    if (pcm.length > this.batch.length) {
      const alone = pcm.slice();
      await this.send({ type: 'encode', pcm: alone, start }, [alone.buffer]);
      return;
    }
    this.batch.set(pcm, this.batched);
    this.batched += pcm.length;
    if (this.batched === this.batch.length) await this.sendBatch();
  }

  /** Encodes the rest and waits for every packet. */
  async end(): Promise<void> {
    if (this.batched > 0) await this.sendBatch();
    this.throwIfFailed();
    // Replies come in order: once this one is in, every packet before it has been handed on.
    await this.request({ type: 'end' });
    this.throwIfFailed();
  }

  private sendBatch(): Promise<void> {
    const pcm = this.batch.subarray(0, this.batched);
    this.batch = this.returned.pop() ?? new Float32Array(this.batch.length);
    this.batched = 0;
    return this.send({ type: 'encode', pcm, start: this.batchStart }, [pcm.buffer]);
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
    // Nothing more will come: whoever waits is let go.
    for (const resolve of this.waiting.splice(0)) resolve({ type: 'failed', message: 'closed' });
  }

  private async send(message: AacRequest, transfer: Transferable[]): Promise<void> {
    this.throwIfFailed();
    const answered = this.request(message, transfer);
    this.inFlight.push(answered);
    void answered.then(() => this.inFlight.splice(this.inFlight.indexOf(answered), 1));
    if (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight[0];
    this.throwIfFailed();
  }

  private request(message: AacRequest, transfer: Transferable[] = []): Promise<AacReply> {
    if (!this.worker) return Promise.resolve({ type: 'failed', message: 'closed' });
    const reply = new Promise<AacReply>((resolve) => this.waiting.push(resolve));
    this.worker.postMessage(message, transfer);
    return reply.then((answer) => {
      if (answer.type === 'encoded') {
        this.handOn(answer);
        if (answer.pcm?.buffer.byteLength === this.batch.byteLength) this.returned.push(new Float32Array(answer.pcm.buffer));
      }
      else if (answer.type === 'failed' && this.worker) this.fail(new Error(`the AAC encoder failed: ${answer.message}`));
      return answer;
    });
  }

  private handOn({ data, sizes, starts, durations }: AacPackets): void {
    if (sizes.length === 0) return;
    let offset = 0;
    const packets = sizes.map((size, i) => {
      const packet = new EncodedPacket(data.subarray(offset, offset + size), 'key', starts[i]! / this.sampleRate, durations[i]! / this.sampleRate);
      offset += size;
      return packet;
    });
    this.onPackets(packets);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure(error);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
