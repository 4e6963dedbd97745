import { GifReader } from 'omggif';
import { describe, expect, it } from 'vitest';
import { TemporalDenoiser } from './denoise';
import { GifEncoder, inlinePool } from './encoder';
import { LzwEncoder } from './lzw';
import { NearestColour, quantize } from './quantize';
import { frameDelays } from './writer';

const W = 32;
const H = 16;

/** A frame: a horizontal gradient with a 4×4 square at `squareX`, plus ±noise on every pixel. */
function frame(squareX: number, noise = 0, seed = 1): Uint8Array {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  const rgba = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      const inSquare = x >= squareX && x < squareX + 4 && y >= 6 && y < 10;
      const base = inSquare ? [230, 30, 30] : [x * 8, 100, 255 - x * 8];
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.max(0, Math.min(255, Math.round(base[c]! + random() * noise)));
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

async function encode(frames: Uint8Array[], fps: number, options: { dither?: number; loop?: 'forever' | 'none' } = {}) {
  const chunks: Uint8Array[] = [];
  const encoder = new GifEncoder(
    { width: W, height: H, loop: options.loop === 'none' ? { kind: 'none' } : { kind: 'forever' }, dither: options.dither ?? 0, colors: 256 },
    async (bytes) => void chunks.push(bytes),
    inlinePool,
  );
  for (const [i, f] of frames.entries()) await encoder.add(f, i / fps);
  await encoder.finish(frames.length / fps);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return { bytes, framesWritten: encoder.framesWritten };
}

/** Every frame as a player shows it (each drawn over the one before). */
function decodeAll(bytes: Uint8Array): { frames: Uint8Array[]; delays: number[]; loop: number | null } {
  const reader = new GifReader(bytes);
  const screen = new Uint8Array(reader.width * reader.height * 4);
  const frames: Uint8Array[] = [];
  const delays: number[] = [];
  for (let i = 0; i < reader.numFrames(); i++) {
    reader.decodeAndBlitFrameRGBA(i, screen);
    frames.push(Uint8Array.from(screen));
    delays.push(reader.frameInfo(i).delay);
  }
  return { frames, delays, loop: reader.loopCount() ?? null };
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += (a[i + c]! - b[i + c]!) ** 2;
    n += 3;
  }
  return sum === 0 ? 99 : 10 * Math.log10((255 * 255) / (sum / n));
}

describe('quantize', () => {
  it('keeps every colour of a picture with fewer colours than the palette', () => {
    const rgba = frame(4);
    const palette = quantize(rgba, null, 256);
    const nearest = new NearestColour().use(palette);
    for (let i = 0; i < rgba.length; i += 4) {
      const k = nearest.index(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!) * 3;
      // 5-bit histogram cells: colours closer than a cell may share one entry.
      expect(Math.abs(palette[k]! - rgba[i]!)).toBeLessThanOrEqual(4);
      expect(Math.abs(palette[k + 2]! - rgba[i + 2]!)).toBeLessThanOrEqual(4);
    }
  });

  it('spends a small palette where the pixels are', () => {
    // Half the picture pure red, half a blue ramp: two colours must be red and ramp-ish.
    const rgba = new Uint8Array(64 * 4);
    for (let p = 0; p < 64; p++) rgba.set(p < 32 ? [255, 0, 0, 255] : [0, 0, 128 + p * 2, 255], p * 4);
    const palette = quantize(rgba, null, 2);
    expect(palette.length).toBe(6);
    const colours = [Array.from(palette.subarray(0, 3)), Array.from(palette.subarray(3, 6))];
    expect(colours).toContainEqual([255, 0, 0]);
  });

  it('counts only the pixels it is told to', () => {
    const rgba = new Uint8Array(4 * 4);
    rgba.set([10, 200, 10, 255, 10, 200, 10, 255, 250, 250, 250, 255, 250, 250, 250, 255]);
    expect(Array.from(quantize(rgba, Uint8Array.of(1, 1, 0, 0), 4))).toEqual([10, 200, 10]);
  });
});

describe('TemporalDenoiser', () => {
  it('holds pixels that only change by noise, and shows real changes', () => {
    const denoiser = new TemporalDenoiser(W, H, { threshold: 10, noiseFactor: 100 });
    denoiser.push(frame(2, 4, 1));
    const still = denoiser.push(frame(2, 4, 2));
    expect(still.box).toBeNull();
    const moved = denoiser.push(frame(10, 4, 3));
    expect(moved.box).not.toBeNull();
    // The square left x 2–5 and arrived at x 10–13; nothing outside rows 6–9 changed.
    expect(moved.box).toEqual({ x: 2, y: 6, width: 12, height: 4 });
  });

  it('shows a small change that lasts, after a few frames, at its average', () => {
    const denoiser = new TemporalDenoiser(1, 1, { threshold: 10, noiseFactor: 100 });
    denoiser.push(Uint8Array.of(100, 100, 100, 255));
    const shown = [108, 108, 108, 108, 108, 108].map((v) => denoiser.push(Uint8Array.of(v, v, v, 255)));
    expect(shown.map((f) => f.box !== null)).toEqual([false, false, false, false, true, false]);
    expect(shown[4]!.rgba[0]).toBe(106);
  });
});

describe('the adaptive noise threshold', () => {
  it('shows the smallest change in clean content, and holds the grain of noisy content', () => {
    const clean = new TemporalDenoiser(W, H);
    clean.push(frame(4));
    const nudged = frame(4);
    nudged[0] = nudged[0]! + 3;
    const shown = clean.push(nudged);
    expect(shown.threshold).toBe(0);
    expect(shown.box).toEqual({ x: 0, y: 0, width: 1, height: 1 });

    const noisy = new TemporalDenoiser(W, H);
    noisy.push(frame(4, 5, 1));
    const grain = noisy.push(frame(4, 5, 2));
    expect(grain.threshold).toBeGreaterThan(3);
    expect(grain.changed.reduce((n, c) => n + c, 0)).toBeLessThan(W * H * 0.1);
  });
});

describe('LzwEncoder', () => {
  it('writes what a GIF decoder reads back, across table resets', async () => {
    // Random indices fill the 4096-code table several times over.
    const frames = [0, 1, 2].map((seed) => frame(seed * 8, 60, seed + 7));
    const { bytes } = await encode(frames, 10);
    const decoded = decodeAll(bytes);
    expect(decoded.frames).toHaveLength(3);
    for (const [i, f] of decoded.frames.entries()) expect(psnr(f, frames[i]!)).toBeGreaterThan(28);
  });

  it('ends with the end-of-information code and an empty sub-block', () => {
    const data = new LzwEncoder().encode(new Uint8Array(10), 2);
    expect(data[data.length - 1]).toBe(0);
    expect(data[0]).toBe(data.length - 2);
  });
});

describe('GifEncoder', () => {
  it('encodes moving content faithfully, with the loop and delays asked for', async () => {
    const frames = Array.from({ length: 10 }, (_, i) => frame(i * 2, 3, i + 1));
    const { bytes, framesWritten } = await encode(frames, 10);
    const decoded = decodeAll(bytes);
    expect(decoded.frames).toHaveLength(framesWritten);
    expect(decoded.loop).toBe(0);
    expect(decoded.delays.reduce((a, b) => a + b, 0)).toBe(100);
    for (const [i, f] of decoded.frames.entries()) expect(psnr(f, frames[i]!)).toBeGreaterThan(30);
  });

  it('merges frames where nothing changed and keeps the total time', async () => {
    const frames = [frame(0, 2, 1), frame(0, 2, 2), frame(0, 2, 3), frame(12, 2, 4)];
    const { bytes, framesWritten } = await encode(frames, 10);
    expect(framesWritten).toBe(2);
    const decoded = decodeAll(bytes);
    expect(decoded.delays).toEqual([30, 10]);
  });

  it('does not shimmer: still pixels stay the same from frame to frame', async () => {
    const frames = Array.from({ length: 8 }, (_, i) => frame(i * 3, 3, i + 1));
    const decoded = decodeAll((await encode(frames, 10, { dither: 1 })).bytes);
    // Rows 0–5 never change in the source (only noise): they must not change in the GIF.
    for (let i = 1; i < decoded.frames.length; i++) {
      expect(decoded.frames[i]!.subarray(0, W * 6 * 4)).toEqual(decoded.frames[i - 1]!.subarray(0, W * 6 * 4));
    }
  });

  it('writes no loop extension for a GIF that plays once', async () => {
    const { bytes } = await encode([frame(0), frame(8)], 5, { loop: 'none' });
    expect(new TextDecoder().decode(bytes).includes('NETSCAPE2.0')).toBe(false);
    expect(decodeAll(bytes).loop).toBeNull();
  });
});

describe('frameDelays', () => {
  it('rounds on the running total so 30 fps keeps its length', () => {
    const times = Array.from({ length: 30 }, (_, i) => i / 30);
    const delays = frameDelays(times, 1);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(100);
    expect(new Set(delays)).toEqual(new Set([3, 4]));
  });
});
