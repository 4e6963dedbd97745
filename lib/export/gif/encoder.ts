import { DEFAULT_DENOISER, TemporalDenoiser, type DenoiserOptions } from './denoise';
import { encodeFrame, REFINED, type EncodedFrame, type FrameJob } from './frame';
import { GIF_TRAILER, gifFrame, gifHeader, type GifLoop } from './writer';

/**
 * Our GIF encoder. Frames go through the temporal denoiser in order (it is cheap and needs the
 * previous frame); each frame's changed area is then quantized, dithered and compressed in a
 * worker, several frames at once, and written in order. Unchanged pixels are transparent over
 * the frame below; a frame where nothing changed is dropped and its time given to the one before.
 *
 * Clean content (screen recordings: no noise to chase) is refined as it stays still: once the
 * frames that drew a pixel are back from the workers, a pixel still shown further than
 * REFINE_ERROR from its colour is drawn again in the next frame, with that frame's palette —
 * which has colours to spare when little moves. Still pictures thus sharpen within a few frames.
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
  /** Set once the worker answered: it can be written without waiting. */
  done: boolean;
}

/** Largest channel error a still pixel may keep before it is drawn again (clean content only). */
const REFINE_ERROR = 2;
/** The noise threshold at or under which content counts as clean. */
const CLEAN_NOISE = 2;

export class GifEncoder {
  private readonly denoiser: TemporalDenoiser;
  private readonly pending: Pending[] = [];
  private count = 0;
  private started = false;
  /** The picture the written frames show (RGB), through frame `composedThrough`. */
  private readonly displayed: Uint8Array;
  private composedThrough = -1;
  /** Frames back from the workers but not composed yet (one before them is still out). */
  private readonly arrived = new Map<number, EncodedFrame>();
  /** The frame that last drew each pixel (or will: frames still in the workers count). */
  private readonly lastDrawn: Int32Array;
  /** Frames written, after merging. */
  framesWritten = 0;

  constructor(
    private readonly options: GifEncoderOptions,
    private readonly write: (bytes: Uint8Array) => Promise<void>,
    private readonly pool: FramePool,
  ) {
    this.denoiser = new TemporalDenoiser(options.width, options.height, options.denoise ?? DEFAULT_DENOISER);
    this.displayed = new Uint8Array(options.width * options.height * 3);
    this.lastDrawn = new Int32Array(options.width * options.height).fill(-1);
  }

  /** Adds a frame (RGBA, the GIF's size) shown from `time` seconds. */
  async add(rgba: Uint8Array | Uint8ClampedArray, time: number): Promise<void> {
    if (rgba.length !== this.options.width * this.options.height * 4) throw new RangeError('a GIF frame must be the GIF’s size');
    const first = this.count === 0;
    const denoised = this.denoiser.push(rgba);
    const { rgba: shown, changed } = denoised;
    const clean = denoised.threshold <= CLEAN_NOISE;
    // A clean frame where little moves: wait for all but the newest frame out in the workers
    // (small ones, quick), so refinement works from what is really shown while one frame
    // still encodes beside this one.
    if (!first && clean && (!denoised.box || denoised.box.width * denoised.box.height < changed.length / 4)) {
      await Promise.all(this.pending.slice(0, -1).map((p) => p.frame));
    }
    const box = first || !clean ? denoised.box : this.refine(shown, changed, denoised.box);
    if (!box) return; // nothing changed: the previous frame stays up longer
    const index = this.count;
    for (let p = 0; p < changed.length; p++) if (changed[p]) this.lastDrawn[p] = index;
    const job: FrameJob = {
      index: this.count++,
      box,
      rgba: crop(shown, this.options.width, box, 4),
      changed: first ? null : crop(changed, this.options.width, box, 1),
      dither: this.options.dither,
      colors: this.options.colors,
    };
    const pending: Pending = { time, frame: this.pool.encode(job), done: false };
    void pending.frame.then(
      (frame) => {
        pending.done = true;
        this.arrived.set(frame.index, frame);
        for (let next = this.arrived.get(this.composedThrough + 1); next; next = this.arrived.get(this.composedThrough + 1)) {
          this.arrived.delete(next.index);
          this.compose(next);
        }
      },
      () => undefined,
    );
    this.pending.push(pending);
    // Keep every worker busy, and no more frames than that in memory; write what is back
    // already, so refinement sees it soon.
    while (this.pending.length > this.pool.size * 2 || (this.pending.length > 1 && this.pending[0]!.done)) await this.flushOne(this.pending[1]!.time);
  }

  /** Writes what is left; the last frame lasts until `end` seconds. */
  async finish(end: number): Promise<void> {
    while (this.pending.length > 0) await this.flushOne(this.pending[1]?.time ?? end);
    if (!this.started) throw new Error('a GIF needs at least one frame');
    await this.write(GIF_TRAILER);
  }

  /**
   * Marks still pixels whose shown colour is off by more than REFINE_ERROR (known once the
   * frame that drew them is back) as changed, to be drawn again; returns the grown box.
   */
  private refine(shown: Uint8Array, changed: Uint8Array, box: FrameJob['box'] | null): FrameJob['box'] | null {
    const { width } = this.options;
    let minX = box ? box.x : width, minY = box ? box.y : Number.MAX_SAFE_INTEGER, maxX = box ? box.x + box.width - 1 : -1, maxY = box ? box.y + box.height - 1 : -1;
    const displayed = this.displayed;
    for (let p = 0; p < changed.length; p++) {
      if (changed[p] || this.lastDrawn[p]! > this.composedThrough) continue;
      const i = p * 4, d = p * 3;
      if (Math.abs(shown[i]! - displayed[d]!) <= REFINE_ERROR && Math.abs(shown[i + 1]! - displayed[d + 1]!) <= REFINE_ERROR && Math.abs(shown[i + 2]! - displayed[d + 2]!) <= REFINE_ERROR) continue;
      changed[p] = REFINED;
      const x = p % width, y = (p - x) / width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
  }

  /** Draws a finished frame onto `displayed` (frames arrive in any order, are drawn in order). */
  private compose(frame: EncodedFrame): void {
    const { width } = this.options;
    const { box, indices, palette, transparentIndex } = frame;
    for (let y = 0; y < box.height; y++) {
      for (let x = 0; x < box.width; x++) {
        const index = indices[y * box.width + x]!;
        if (index === transparentIndex) continue;
        const d = ((box.y + y) * width + box.x + x) * 3;
        this.displayed[d] = palette[index * 3]!;
        this.displayed[d + 1] = palette[index * 3 + 1]!;
        this.displayed[d + 2] = palette[index * 3 + 2]!;
      }
    }
    this.composedThrough = frame.index;
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
