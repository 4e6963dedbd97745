import { LzwEncoder } from './lzw';
import { NearestColour, quantize } from './quantize';

/** One frame's work, done in a worker: its own palette, dithering, LZW. */
export interface FrameJob {
  index: number;
  /** The changed area, cut out of the frame. */
  box: { x: number; y: number; width: number; height: number };
  rgba: Uint8Array;
  /** 1 where the pixel changed, REFINED where it is drawn again closer; null on the first frame (every pixel is drawn). */
  changed: Uint8Array | null;
  /** Error-diffusion strength, 0 (none) to 1 (full Floyd–Steinberg). */
  dither: number;
  /** Colours in the palette, 2–256 (one goes to transparency on frames after the first). */
  colors: number;
}

export interface EncodedFrame {
  index: number;
  box: FrameJob['box'];
  /** RGB triplets, a power of two long. */
  palette: Uint8Array;
  transparentIndex: number | null;
  minCodeSize: number;
  /** LZW data as sub-blocks. */
  data: Uint8Array;
  /** The palette index of every pixel in the box: what the frame shows, for refining later frames. */
  indices: Uint8Array;
}

/** A still pixel drawn again to correct its colour: dithering it would only add the error back. */
export const REFINED = 2;

const lzw = new LzwEncoder();
const nearestColour = new NearestColour();

export function encodeFrame(job: FrameJob): EncodedFrame {
  const { box, rgba, changed, dither } = job;
  const transparent = changed !== null;
  const colors = Math.max(2, Math.min(256, job.colors)) - (transparent ? 1 : 0);
  let palette = quantize(rgba, changed, colors);
  const used = palette.length / 3;
  const transparentIndex = transparent ? used : null;
  const tableSize = Math.max(2, 1 << Math.ceil(Math.log2(used + (transparent ? 1 : 0))));
  const padded = new Uint8Array(tableSize * 3);
  padded.set(palette);
  palette = padded;

  const nearest = nearestColour.use(palette.subarray(0, used * 3));
  const indices = new Uint8Array(box.width * box.height);
  const { width, height } = box;
  // Floyd–Steinberg, serpentine, over changed pixels only: held pixels neither take nor pass on error.
  const errors = dither > 0 ? [new Float32Array((width + 2) * 3), new Float32Array((width + 2) * 3)] : null;
  for (let y = 0; y < height; y++) {
    const leftToRight = (y & 1) === 0;
    const current = errors?.[y & 1];
    const below = errors?.[(y + 1) & 1];
    below?.fill(0);
    for (let step = 0; step < width; step++) {
      const x = leftToRight ? step : width - 1 - step;
      const p = y * width + x;
      if (changed && !changed[p]) {
        indices[p] = transparentIndex!;
        continue;
      }
      const i = p * 4;
      let r = rgba[i]!;
      let g = rgba[i + 1]!;
      let b = rgba[i + 2]!;
      if (changed && changed[p] === REFINED) {
        indices[p] = nearest.index(r, g, b);
        continue;
      }
      if (current) {
        const e = (x + 1) * 3;
        r = clamp(r + current[e]! * dither);
        g = clamp(g + current[e + 1]! * dither);
        b = clamp(b + current[e + 2]! * dither);
      }
      const index = nearest.index(r, g, b);
      indices[p] = index;
      if (current && below) {
        const er = r - palette[index * 3]!;
        const eg = g - palette[index * 3 + 1]!;
        const eb = b - palette[index * 3 + 2]!;
        const ahead = (x + (leftToRight ? 2 : 0)) * 3;
        const behind = (x + (leftToRight ? 0 : 2)) * 3;
        const here = (x + 1) * 3;
        spread(current, ahead, er, eg, eb, 7 / 16);
        spread(below, behind, er, eg, eb, 3 / 16);
        spread(below, here, er, eg, eb, 5 / 16);
        spread(below, ahead, er, eg, eb, 1 / 16);
      }
    }
  }
  const minCodeSize = Math.max(2, Math.log2(tableSize));
  return { index: job.index, box, palette, transparentIndex, minCodeSize, data: lzw.encode(indices, minCodeSize), indices };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

function spread(row: Float32Array, at: number, r: number, g: number, b: number, weight: number): void {
  row[at] = row[at]! + r * weight;
  row[at + 1] = row[at + 1]! + g * weight;
  row[at + 2] = row[at + 2]! + b * weight;
}
