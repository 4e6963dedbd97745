/**
 * Colour quantization for the GIF encoder: Wu's method (Graphics Gems II, 1991) — a 32×32×32
 * histogram with cumulative moments, cut box by box where the cut removes the most variance.
 * It costs the same whatever the number of colours in the picture (unlike pairwise-nearest
 * neighbour, whose cost grows with them), which keeps a palette per frame cheap.
 */

const SIDE = 33; // 32 levels per channel, plus a zero row for the cumulative sums
const CELLS = SIDE * SIDE * SIDE;

const at = (r: number, g: number, b: number) => (r * SIDE + g) * SIDE + b;

interface Moments {
  /** Non-empty cells before the sums: [index, weight, r, g, b] sums, for refining the palette. */
  cells: Float64Array;
  weight: Float64Array;
  red: Float64Array;
  green: Float64Array;
  blue: Float64Array;
  square: Float64Array;
}

interface Cube {
  r0: number;
  r1: number;
  g0: number;
  g1: number;
  b0: number;
  b1: number;
  volume: number;
}

function histogram(rgba: Uint8Array | Uint8ClampedArray, include: Uint8Array | null): Moments {
  const m: Moments = {
    cells: new Float64Array(0),
    weight: new Float64Array(CELLS),
    red: new Float64Array(CELLS),
    green: new Float64Array(CELLS),
    blue: new Float64Array(CELLS),
    square: new Float64Array(CELLS),
  };
  const pixels = rgba.length >> 2;
  for (let p = 0; p < pixels; p++) {
    if (include && !include[p]) continue;
    const r = rgba[p * 4]!;
    const g = rgba[p * 4 + 1]!;
    const b = rgba[p * 4 + 2]!;
    const i = at((r >> 3) + 1, (g >> 3) + 1, (b >> 3) + 1);
    m.weight[i]! += 1;
    m.red[i]! += r;
    m.green[i]! += g;
    m.blue[i]! += b;
    m.square[i]! += r * r + g * g + b * b;
  }
  const cells: number[] = [];
  for (let i = 0; i < CELLS; i++) {
    if (m.weight[i]! > 0) cells.push(m.weight[i]!, m.red[i]!, m.green[i]!, m.blue[i]!);
  }
  m.cells = Float64Array.from(cells);
  // Cumulative sums over the three axes: any box's moments are then eight lookups.
  for (let r = 1; r < SIDE; r++) {
    const area = { w: new Float64Array(SIDE * SIDE), r: new Float64Array(SIDE * SIDE), g: new Float64Array(SIDE * SIDE), b: new Float64Array(SIDE * SIDE), s: new Float64Array(SIDE * SIDE) };
    for (let g = 1; g < SIDE; g++) {
      let lw = 0, lr = 0, lg = 0, lb = 0, ls = 0;
      for (let b = 1; b < SIDE; b++) {
        const i = at(r, g, b);
        lw += m.weight[i]!;
        lr += m.red[i]!;
        lg += m.green[i]!;
        lb += m.blue[i]!;
        ls += m.square[i]!;
        const a = g * SIDE + b;
        area.w[a] = area.w[a - SIDE]! + lw;
        area.r[a] = area.r[a - SIDE]! + lr;
        area.g[a] = area.g[a - SIDE]! + lg;
        area.b[a] = area.b[a - SIDE]! + lb;
        area.s[a] = area.s[a - SIDE]! + ls;
        const below = i - SIDE * SIDE;
        m.weight[i] = m.weight[below]! + area.w[a]!;
        m.red[i] = m.red[below]! + area.r[a]!;
        m.green[i] = m.green[below]! + area.g[a]!;
        m.blue[i] = m.blue[below]! + area.b[a]!;
        m.square[i] = m.square[below]! + area.s[a]!;
      }
    }
  }
  return m;
}

function volume(c: Cube, m: Float64Array): number {
  return (
    m[at(c.r1, c.g1, c.b1)]! - m[at(c.r1, c.g1, c.b0)]! - m[at(c.r1, c.g0, c.b1)]! + m[at(c.r1, c.g0, c.b0)]! -
    m[at(c.r0, c.g1, c.b1)]! + m[at(c.r0, c.g1, c.b0)]! + m[at(c.r0, c.g0, c.b1)]! - m[at(c.r0, c.g0, c.b0)]!
  );
}

type Axis = 'r' | 'g' | 'b';

/** The part of a box's moment that does not depend on where the cut along `axis` falls. */
function bottom(c: Cube, axis: Axis, m: Float64Array): number {
  if (axis === 'r') return -m[at(c.r0, c.g1, c.b1)]! + m[at(c.r0, c.g1, c.b0)]! + m[at(c.r0, c.g0, c.b1)]! - m[at(c.r0, c.g0, c.b0)]!;
  if (axis === 'g') return -m[at(c.r1, c.g0, c.b1)]! + m[at(c.r1, c.g0, c.b0)]! + m[at(c.r0, c.g0, c.b1)]! - m[at(c.r0, c.g0, c.b0)]!;
  return -m[at(c.r1, c.g1, c.b0)]! + m[at(c.r1, c.g0, c.b0)]! + m[at(c.r0, c.g1, c.b0)]! - m[at(c.r0, c.g0, c.b0)]!;
}

/** The box's moment up to a cut at `position` along `axis`. */
function top(c: Cube, axis: Axis, position: number, m: Float64Array): number {
  if (axis === 'r') return m[at(position, c.g1, c.b1)]! - m[at(position, c.g1, c.b0)]! - m[at(position, c.g0, c.b1)]! + m[at(position, c.g0, c.b0)]!;
  if (axis === 'g') return m[at(c.r1, position, c.b1)]! - m[at(c.r1, position, c.b0)]! - m[at(c.r0, position, c.b1)]! + m[at(c.r0, position, c.b0)]!;
  return m[at(c.r1, c.g1, position)]! - m[at(c.r1, c.g0, position)]! - m[at(c.r0, c.g1, position)]! + m[at(c.r0, c.g0, position)]!;
}

function variance(c: Cube, m: Moments): number {
  const w = volume(c, m.weight);
  if (w === 0) return 0;
  const r = volume(c, m.red);
  const g = volume(c, m.green);
  const b = volume(c, m.blue);
  return volume(c, m.square) - (r * r + g * g + b * b) / w;
}

function bestCut(c: Cube, axis: Axis, m: Moments, whole: [number, number, number, number]): { gain: number; position: number } {
  const [wholeW, wholeR, wholeG, wholeB] = whole;
  const baseW = bottom(c, axis, m.weight);
  const baseR = bottom(c, axis, m.red);
  const baseG = bottom(c, axis, m.green);
  const baseB = bottom(c, axis, m.blue);
  const [first, last] = axis === 'r' ? [c.r0 + 1, c.r1] : axis === 'g' ? [c.g0 + 1, c.g1] : [c.b0 + 1, c.b1];
  let gain = 0;
  let position = -1;
  for (let i = first; i < last; i++) {
    const w = baseW + top(c, axis, i, m.weight);
    if (w === 0) continue;
    const rest = wholeW - w;
    if (rest === 0) continue;
    const r = baseR + top(c, axis, i, m.red);
    const g = baseG + top(c, axis, i, m.green);
    const b = baseB + top(c, axis, i, m.blue);
    const inner = (r * r + g * g + b * b) / w;
    const outer = ((wholeR - r) ** 2 + (wholeG - g) ** 2 + (wholeB - b) ** 2) / rest;
    if (inner + outer > gain) {
      gain = inner + outer;
      position = i;
    }
  }
  return { gain, position };
}

function cut(a: Cube, m: Moments): Cube | null {
  const whole: [number, number, number, number] = [volume(a, m.weight), volume(a, m.red), volume(a, m.green), volume(a, m.blue)];
  const cuts = (['r', 'g', 'b'] as const).map((axis) => ({ axis, ...bestCut(a, axis, m, whole) }));
  const best = cuts.reduce((x, y) => (y.gain > x.gain ? y : x));
  if (best.position < 0) return null;
  const b: Cube = { ...a };
  if (best.axis === 'r') {
    b.r0 = a.r1 = best.position;
  } else if (best.axis === 'g') {
    b.g0 = a.g1 = best.position;
  } else {
    b.b0 = a.b1 = best.position;
  }
  a.volume = (a.r1 - a.r0) * (a.g1 - a.g0) * (a.b1 - a.b0);
  b.volume = (b.r1 - b.r0) * (b.g1 - b.g0) * (b.b1 - b.b0);
  return b;
}

/** The distinct colours of the included pixels, or null when there are more than `limit`. */
function distinctColours(rgba: Uint8Array | Uint8ClampedArray, include: Uint8Array | null, limit: number): Uint8Array | null {
  const seen = new Set<number>();
  const pixels = rgba.length >> 2;
  for (let p = 0; p < pixels; p++) {
    if (include && !include[p]) continue;
    seen.add((rgba[p * 4]! << 16) | (rgba[p * 4 + 1]! << 8) | rgba[p * 4 + 2]!);
    if (seen.size > limit) return null;
  }
  const palette = new Uint8Array(seen.size * 3);
  let i = 0;
  for (const c of seen) {
    palette[i++] = c >> 16;
    palette[i++] = (c >> 8) & 0xff;
    palette[i++] = c & 0xff;
  }
  return palette;
}

/**
 * Lloyd (k-means) passes over the histogram's cells: each cell goes to its nearest palette
 * colour, each colour moves to the mean of its cells. Wu's cuts are axis-aligned boxes; this
 * lets the colours settle where the pixels are (about +0.5 dB).
 */
function refine(palette: Uint8Array, cells: Float64Array, passes: number): Uint8Array {
  const k = palette.length / 3;
  const centre = Float64Array.from(palette);
  for (let pass = 0; pass < passes; pass++) {
    const sums = new Float64Array(k * 4);
    for (let c = 0; c < cells.length; c += 4) {
      const w = cells[c]!;
      const r = cells[c + 1]! / w, g = cells[c + 2]! / w, b = cells[c + 3]! / w;
      let best = 0;
      let bestDistance = Infinity;
      for (let j = 0; j < k; j++) {
        const dr = centre[j * 3]! - r, dg = centre[j * 3 + 1]! - g, db = centre[j * 3 + 2]! - b;
        const d = dr * dr + dg * dg + db * db;
        if (d < bestDistance) {
          bestDistance = d;
          best = j;
        }
      }
      sums[best * 4] = sums[best * 4]! + w;
      sums[best * 4 + 1] = sums[best * 4 + 1]! + cells[c + 1]!;
      sums[best * 4 + 2] = sums[best * 4 + 2]! + cells[c + 2]!;
      sums[best * 4 + 3] = sums[best * 4 + 3]! + cells[c + 3]!;
    }
    for (let j = 0; j < k; j++) {
      const w = sums[j * 4]!;
      if (w === 0) continue;
      centre[j * 3] = sums[j * 4 + 1]! / w;
      centre[j * 3 + 1] = sums[j * 4 + 2]! / w;
      centre[j * 3 + 2] = sums[j * 4 + 3]! / w;
    }
  }
  return Uint8Array.from(centre, (v) => Math.round(v));
}

const REFINE_PASSES = 2;

/**
 * A palette of at most `maxColors` colours (RGB triplets) for the pixels of `rgba` that
 * `include` marks (all when null): the colours themselves when there are that few (screen
 * content often has), else Wu's cuts refined by k-means.
 */
export function quantize(rgba: Uint8Array | Uint8ClampedArray, include: Uint8Array | null, maxColors: number): Uint8Array {
  const exact = distinctColours(rgba, include, maxColors);
  if (exact) return exact.length > 0 ? exact : Uint8Array.of(0, 0, 0);
  const m = histogram(rgba, include);
  const cubes: Cube[] = [{ r0: 0, r1: 32, g0: 0, g1: 32, b0: 0, b1: 32, volume: 32 ** 3 }];
  const spread = [variance(cubes[0]!, m)];
  while (cubes.length < maxColors) {
    let next = -1;
    let most = 0;
    for (let i = 0; i < cubes.length; i++) {
      if (spread[i]! > most && cubes[i]!.volume > 1) {
        most = spread[i]!;
        next = i;
      }
    }
    if (next < 0) break;
    const added = cut(cubes[next]!, m);
    if (!added) {
      spread[next] = 0;
      continue;
    }
    cubes.push(added);
    spread[next] = variance(cubes[next]!, m);
    spread.push(variance(added, m));
  }
  const palette: number[] = [];
  for (const c of cubes) {
    const w = volume(c, m.weight);
    if (w === 0) continue;
    palette.push(Math.round(volume(c, m.red) / w), Math.round(volume(c, m.green) / w), Math.round(volume(c, m.blue) / w));
  }
  if (palette.length === 0) palette.push(0, 0, 0);
  return refine(Uint8Array.from(palette), m.cells, REFINE_PASSES);
}

/**
 * Nearest palette colour by squared RGB distance, remembered per 7-bit colour cell (off by at
 * most one level) so that a frame's thousands of distinct colours cost one search each. One
 * lookup serves frame after frame: `use` stamps a new generation instead of clearing 8 MB.
 */
export class NearestColour {
  private readonly cache = new Int32Array(1 << 21);
  private generation = 0;
  private palette: Uint8Array = new Uint8Array(3);

  use(palette: Uint8Array): this {
    this.palette = palette;
    this.generation++;
    if (this.generation >= 1 << 22) {
      this.cache.fill(0);
      this.generation = 1;
    }
    return this;
  }

  index(r: number, g: number, b: number): number {
    const key = ((r >> 1) << 14) | ((g >> 1) << 7) | (b >> 1);
    const known = this.cache[key]!;
    if (known >>> 9 === this.generation) return known & 0x1ff;
    const p = this.palette;
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < p.length; i += 3) {
      const dr = p[i]! - r;
      const dg = p[i + 1]! - g;
      const db = p[i + 2]! - b;
      const d = dr * dr + dg * dg + db * db;
      if (d < bestDistance) {
        bestDistance = d;
        best = i / 3;
        if (d === 0) break;
      }
    }
    this.cache[key] = (this.generation << 9) | best;
    return best;
  }
}
