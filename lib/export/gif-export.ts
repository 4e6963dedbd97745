import { ALL_FORMATS, BlobSource, CanvasSink, Input, type InputVideoTrack } from 'mediabunny';
import { GifEncoder, inlinePool, type FramePool } from './gif/encoder';
import type { GifLoop } from './gif/writer';
import { trimRange, type Trim } from './trim';
import { ExportCanceled } from './video';

/**
 * A recording (or a cut of it) as a GIF: frames decoded by mediabunny at exactly the GIF's
 * frame times (no seeking of a <video>), scaled on the way, and fed to our encoder (./gif/).
 */
export type GifQuality = 'high' | 'balanced' | 'small';

export interface GifSettings {
  width: number;
  /** Frames a second, 5–30. */
  fps: number;
  loop: GifLoop;
  quality: GifQuality;
}

export const GIF_FPS_RANGE = { min: 5, max: 30 } as const;
export const GIF_WIDTH_RANGE = { min: 32, max: 1920 } as const;
export const GIF_WIDTH_PRESETS = [320, 480, 640, 800] as const;

/**
 * What each quality costs: palette size, dithering, and how much change counts as noise (at
 * most `threshold`, else `noiseFactor` × the noise measured in the clip: ./gif/denoise.ts).
 */
const QUALITY: Record<GifQuality, { colors: number; dither: number; threshold: number; noiseFactor: number }> = {
  high: { colors: 256, dither: 0.75, threshold: 6, noiseFactor: 2 },
  balanced: { colors: 256, dither: 0.4, threshold: 8, noiseFactor: 2.5 },
  small: { colors: 96, dither: 0.25, threshold: 18, noiseFactor: 3.5 },
};

export function encoderSettings(quality: GifQuality) {
  const { colors, dither, threshold, noiseFactor } = QUALITY[quality];
  return { colors, dither, denoise: { threshold, noiseFactor } };
}

/** Settings made valid: fps and width within bounds, whole numbers. */
export function cleanGifSettings(settings: GifSettings): GifSettings {
  return {
    ...settings,
    fps: Math.min(GIF_FPS_RANGE.max, Math.max(GIF_FPS_RANGE.min, Math.round(settings.fps))),
    width: Math.min(GIF_WIDTH_RANGE.max, Math.max(GIF_WIDTH_RANGE.min, Math.round(settings.width))),
  };
}

/** The GIF's height for a width, keeping the video's shape. */
export function gifHeight(width: number, video: { width: number; height: number }): number {
  return Math.max(1, Math.round((width * video.height) / video.width));
}

/** The times (seconds into the source) of a GIF's frames over `range`. */
export function frameTimes(range: { start: number; end: number }, fps: number): number[] {
  const count = Math.max(1, Math.round((range.end - range.start) * fps));
  return Array.from({ length: count }, (_, i) => range.start + i / fps);
}

export interface GifSource {
  input: Input;
  track: InputVideoTrack;
  range: { start: number; end: number };
  size: { width: number; height: number };
}

export async function openGifSource(file: Blob, trim: Trim | null): Promise<GifSource> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) {
    input.dispose();
    throw new Error('this file has no video to make a GIF of');
  }
  const duration = await input.computeDuration();
  const range = (trim && trimRange(trim, duration)) ?? { start: 0, end: duration };
  return { input, track, range, size: { width: track.displayWidth, height: track.displayHeight } };
}

/** Decoded RGBA frames at `times`, at the GIF's size. */
async function* framesAt(source: GifSource, times: number[], width: number, height: number): AsyncGenerator<Uint8ClampedArray> {
  const sink = new CanvasSink(source.track, { width, height, fit: 'fill', poolSize: 2 });
  let last: Uint8ClampedArray | null = null;
  for await (const wrapped of sink.canvasesAtTimestamps(times)) {
    // Before the first frame there is nothing to show: repeat what comes next (or black).
    if (wrapped) {
      const context = wrapped.canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
      last = context.getImageData(0, 0, width, height).data;
    }
    yield last ?? new Uint8ClampedArray(width * height * 4);
  }
}

export interface GifRun {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  pool?: FramePool;
}

/** Encodes the GIF into `write`; returns how many frames it holds after merging still ones. */
export async function encodeGif(source: GifSource, settings: GifSettings, write: (bytes: Uint8Array) => Promise<void>, run: GifRun = {}): Promise<number> {
  const { width, fps, loop, quality } = cleanGifSettings(settings);
  const height = gifHeight(width, source.size);
  const times = frameTimes(source.range, fps);
  const encoder = new GifEncoder({ width, height, loop, ...encoderSettings(quality) }, write, run.pool ?? inlinePool);
  let i = 0;
  for await (const rgba of framesAt(source, times, width, height)) {
    if (run.signal?.aborted) throw new ExportCanceled();
    await encoder.add(rgba, i / fps);
    run.onProgress?.(++i / times.length);
  }
  await encoder.finish(times.length / fps);
  return encoder.framesWritten;
}

/** Samples the GIF would take at these settings: `SAMPLES` pairs of neighbouring frames. */
const SAMPLES = 4;

/**
 * The GIF's size in bytes, estimated before encoding it: a few pairs of neighbouring frames
 * are encoded for real; the first frame is drawn whole, every later one costs about what a
 * sampled second frame did.
 */
export async function estimateGifBytes(source: GifSource, settings: GifSettings): Promise<number> {
  const clean = cleanGifSettings(settings);
  const times = frameTimes(source.range, clean.fps);
  const height = gifHeight(clean.width, source.size);
  let first = 0;
  let later = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const at = times[Math.floor((s * times.length) / SAMPLES)]!;
    const pair = [at, Math.min(source.range.end - 1e-3, at + 1 / clean.fps)];
    const sizes: number[] = [];
    const encoder = new GifEncoder({ width: clean.width, height, loop: clean.loop, ...encoderSettings(clean.quality) }, async (bytes) => void sizes.push(bytes.length), inlinePool);
    let i = 0;
    for await (const rgba of framesAt(source, pair, clean.width, height)) await encoder.add(rgba, i++ / clean.fps);
    await encoder.finish(2 / clean.fps);
    // Written: header, frame 1, [frame 2], trailer.
    first += sizes[1] ?? 0;
    later += sizes.length === 4 ? sizes[2]! : 0;
  }
  return Math.round(first / SAMPLES + ((times.length - 1) * later) / SAMPLES + 32);
}

/**
 * Settings whose GIF should fit in `maxBytes`: a GIF's size grows with its area and about
 * linearly with its frame rate, so the width shrinks first (down to 160 px), then the frame
 * rate (down to 8 fps), each by what the estimate says is needed, with a margin.
 */
export function fitSettings(settings: GifSettings, estimatedBytes: number, maxBytes: number): GifSettings {
  const target = maxBytes * 0.85;
  if (estimatedBytes <= target) return settings;
  let ratio = target / estimatedBytes;
  const minWidth = Math.min(settings.width, 160);
  const width = Math.max(minWidth, Math.floor(settings.width * Math.sqrt(ratio)));
  ratio /= (width / settings.width) ** 2;
  const minFps = Math.min(settings.fps, 8);
  const fps = ratio < 1 ? Math.max(minFps, Math.floor(settings.fps * ratio)) : settings.fps;
  return cleanGifSettings({ ...settings, width, fps });
}

/** The first second (at most) of the GIF these settings make, encoded for real: the preview before export. */
export async function previewGif(source: GifSource, settings: GifSettings, pool?: FramePool): Promise<Blob> {
  const preview = { ...source, range: { start: source.range.start, end: Math.min(source.range.end, source.range.start + 1) } };
  const parts: Uint8Array[] = [];
  await encodeGif(preview, { ...settings, loop: { kind: 'forever' } }, async (bytes) => void parts.push(bytes), { pool });
  return new Blob(parts as BlobPart[], { type: 'image/gif' });
}
