import { DEFAULT_DENOISER, TemporalDenoiser, type DenoiserOptions } from './denoise';
import { encodeFrame, type EncodedFrame, type FrameJob } from './frame';
import { GIF_TRAILER, gifFrame, gifHeader, type GifLoop } from './writer';

/**
 * Our GIF encoder. Frames go through the temporal denoiser in order (it is cheap and needs the
 * previous frame); each frame's changed area is then quantized, dithered and compressed in a
 * worker, several frames at once, and written in order. Unchanged pixels are transparent over
 * the frame below; a frame where nothing changed is dropped and its time given to the one before.
 */
export interface GifEncoderOptions {
  width: number;
  height: number;
  loop: GifLoop;
  /** Error-diffusion strength, 0–1. */
  dither: number;
  /** Palette size per frame, 2–256. */
  colors: number;
  denoise?: DenoiserOptions;
}

/** Where frames are encoded: workers in a page, in line in tests. */
export interface FramePool {
  readonly size: number;
  encode(job: FrameJob): Promise<EncodedFrame>;
  close(): void;
}

export const inlinePool: FramePool = { size: 1, encode: async (job) => encodeFrame(job), close: () => undefined };

/** A pool of encoding workers made by `create` (the bundler decides where the worker script lives). */
export function workerPool(create: () => Worker, size: number): FramePool {
  const workers = Array.from({ length: Math.max(1, size) }, create);
  const waiting = new Map<number, { resolve: (frame: EncodedFrame) => void; reject: (error: Error) => void }>();
  let turn = 0;
  for (const worker of workers) {
    worker.onmessage = (event: MessageEvent<EncodedFrame>) => {
      waiting.get(event.data.index)?.resolve(event.data);
      waiting.delete(event.data.index);
    };
    worker.onerror = (event) => {
      for (const pending of waiting.values()) pending.reject(new Error(`GIF worker failed: ${event.message}`));
      waiting.clear();
    };
  }
  return {
    size: workers.length,
    encode(job) {
      return new Promise((resolve, reject) => {
        waiting.set(job.index, { resolve, reject });
        const transfer = job.changed ? [job.rgba.buffer, job.changed.buffer] : [job.rgba.buffer];
        workers[turn++ % workers.length]!.postMessage(job, transfer as Transferable[]);
      });
    },
    close() {
      for (const worker of workers) worker.terminate();
      for (const pending of waiting.values()) pending.reject(new Error('GIF encoder closed'));
      waiting.clear();
    },
  };
}

interface Pending {
  time: number;
  frame: Promise<EncodedFrame>;
}

export class GifEncoder {
  private readonly denoiser: TemporalDenoiser;
  private readonly pending: Pending[] = [];
  private count = 0;
  private started = false;
  /** Frames written, after merging. */
  framesWritten = 0;

  constructor(
    private readonly options: GifEncoderOptions,
    private readonly write: (bytes: Uint8Array) => Promise<void>,
    private readonly pool: FramePool,
  ) {
    this.denoiser = new TemporalDenoiser(options.width, options.height, options.denoise ?? DEFAULT_DENOISER);
  }

  /** Adds a frame (RGBA, the GIF's size) shown from `time` seconds. */
  async add(rgba: Uint8Array | Uint8ClampedArray, time: number): Promise<void> {
    if (rgba.length !== this.options.width * this.options.height * 4) throw new RangeError('a GIF frame must be the GIF’s size');
    const first = this.count === 0;
    const { rgba: shown, changed, box } = this.denoiser.push(rgba);
    if (!box) return; // nothing changed: the previous frame stays up longer
    const job: FrameJob = {
      index: this.count++,
      box,
      rgba: crop(shown, this.options.width, box, 4),
      changed: first ? null : crop(changed, this.options.width, box, 1),
      dither: this.options.dither,
      colors: this.options.colors,
    };
    this.pending.push({ time, frame: this.pool.encode(job) });
    // Keep every worker busy, and no more frames than that in memory.
    while (this.pending.length > this.pool.size * 2) await this.flushOne(this.pending[1]!.time);
  }

  /** Writes what is left; the last frame lasts until `end` seconds. */
  async finish(end: number): Promise<void> {
    while (this.pending.length > 0) await this.flushOne(this.pending[1]?.time ?? end);
    if (!this.started) throw new Error('a GIF needs at least one frame');
    await this.write(GIF_TRAILER);
  }

  private async flushOne(until: number): Promise<void> {
    const next = this.pending.shift()!;
    const frame = await next.frame;
    if (!this.started) {
      await this.write(gifHeader(this.options.width, this.options.height, this.options.loop));
      this.started = true;
    }
    await this.write(gifFrame(frame, Math.round(until * 100) - Math.round(next.time * 100)));
    this.framesWritten++;
  }
}

function crop(source: Uint8Array, width: number, box: FrameJob['box'], channels: number): Uint8Array {
  const out = new Uint8Array(box.width * box.height * channels);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * width + box.x) * channels;
    out.set(source.subarray(from, from + box.width * channels), y * box.width * channels);
  }
  return out;
}
