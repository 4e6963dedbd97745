// The chroma key of ../key.ts as WebAssembly SIMD (AssemblyScript, compiled at build time by
// scripts/chroma-wasm.ts; not TypeScript — excluded from tsc). Same steps, same constants, same
// output within a level or two of the JS reference (f32 here, f64 there).
//
// Two things make it fast besides four pixels per instruction:
// - One pass down the frame. Every step reads only its own row and the rows just above and below,
//   so each step keeps its last few rows in a small ring and runs a fixed number of rows behind
//   the step before it. The working set is ~40 rows, which stays in cache; whole-frame arrays
//   went to memory and back once per step.
// - How much of a pixel is kept goes through the closing and the choke as one byte, 16 pixels an
//   instruction: 0 keyed, 255 kept, and 1–254 the ramp between (1 + ⌊254·alpha⌋). The mapping keeps
//   order (so the most and least of bytes are the bytes of the most and least) and the three
//   lines the composite tests (above 0, below ½, below 1); decoding costs at most 1/508 of alpha.
// - Rows are padded by one value each side, copied from the row's ends: "the pixel beside" at a
//   frame's edge is then the edge pixel itself, which is what the reference's clamped indices do.

const SHADOW: f32 = 0.35;
const HIGHLIGHT: f32 = 1.6;

/** Pixels in, pixels out and the picture behind (RGBA, the frame's size), placed by prepare(). */
let input: usize = 0;
let output: usize = 0;
let picture: usize = 0;
let width: i32 = 0;
let height: i32 = 0;
/** A ring row's length in bytes: f32 rows (the row rounded up to 4 values) and byte rows (to 16), plus padding. */
let stride: usize = 0;
let byteStride: usize = 0;
/** The rings, 4 rows each (saturations 8: used 5 rows after they are made). f32: */
let diffCb: usize = 0;
let diffCr: usize = 0;
let acrossCb: usize = 0;
let acrossCr: usize = 0;
let saturations: usize = 0;
/** Bytes: the ramp's level, on a thin line (0xff) or not, and the closing's and choke's levels. */
let levels: usize = 0;
let lines: usize = 0;
let dilated: usize = 0;
let eroded: usize = 0;
let alphas: usize = 0;

const PAD: usize = 16; // one v128 of padding before each row

@inline function row4(ring: usize, y: i32): usize {
  return ring + <usize>(y & 3) * stride + PAD;
}
@inline function row8(ring: usize, y: i32): usize {
  return ring + <usize>(y & 7) * stride + PAD;
}
@inline function byteRow(ring: usize, y: i32): usize {
  return ring + <usize>(y & 3) * byteStride + PAD;
}
@inline function clampRow(y: i32): i32 {
  return y < 0 ? 0 : y >= height ? height - 1 : y;
}
/** The padding beside a finished row: its end values repeated. */
@inline function pad(row: usize): void {
  store<f32>(row - 4, load<f32>(row));
  store<f32>(row + (<usize>width << 2), load<f32>(row + (<usize>(width - 1) << 2)));
}
@inline function padBytes(row: usize): void {
  store<u8>(row - 1, load<u8>(row));
  store<u8>(row + <usize>width, load<u8>(row + <usize>(width - 1)));
}

/** Lays out memory for frames of this size; returns where the input pixels go (0: no memory for it). */
export function prepare(w: i32, h: i32): usize {
  width = w;
  height = h;
  const frameBytes = ((<usize>w * <usize>h * 4 + 64) + 15) & ~15;
  stride = (((<usize>w + 3) & ~3) << 2) + 2 * PAD;
  byteStride = ((<usize>w + 15) & ~15) + 2 * PAD;
  let at = (__heap_base + 15) & ~15;
  input = at;
  at += frameBytes;
  output = at;
  at += frameBytes;
  picture = at;
  at += frameBytes;
  const ring: usize = 4 * stride;
  diffCb = at; at += ring;
  diffCr = at; at += ring;
  acrossCb = at; at += ring;
  acrossCr = at; at += ring;
  saturations = at; at += 2 * ring;
  const byteRing: usize = 4 * byteStride;
  levels = at; at += byteRing;
  lines = at; at += byteRing;
  dilated = at; at += byteRing;
  eroded = at; at += byteRing;
  alphas = at; at += byteRing;
  const pages = <i32>((at + 0xffff) >> 16);
  if (pages > memory.size() && memory.grow(pages - memory.size()) < 0) return 0;
  return input;
}
export function outputPointer(): usize {
  return output;
}
export function picturePointer(): usize {
  return picture;
}

let keyCb: v128;
let keyCr: v128;
let toKeyScale: v128; // 1 / (the key's luma × 255)
let similarity: v128;
let similaritySquared: v128;
let perSmoothness: v128;
let perSpill: v128;

/** Each pixel's CbCr difference from the key at its brightness (row y), and its 3-pixel run across. */
function differences(y: i32): void {
  const cb = row4(diffCb, y);
  const cr = row4(diffCr, y);
  const source = input + (<usize>y * <usize>width << 2);
  const byte = i32x4.splat(0xff);
  const shadow = f32x4.splat(SHADOW);
  const highlight = f32x4.splat(HIGHLIGHT);
  for (let x = 0; x < width; x += 4) {
    const pixels = v128.load(source + (<usize>x << 2));
    const r = f32x4.convert_i32x4_u(v128.and(pixels, byte));
    const g = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(pixels, 8), byte));
    const b = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(pixels, 16), byte));
    const grey = f32x4.add(f32x4.add(f32x4.mul(r, f32x4.splat(0.2126)), f32x4.mul(g, f32x4.splat(0.7152))), f32x4.mul(b, f32x4.splat(0.0722)));
    const scale = f32x4.pmin(highlight, f32x4.pmax(shadow, f32x4.mul(grey, toKeyScale)));
    const pixelCb = f32x4.add(f32x4.add(f32x4.mul(r, f32x4.splat(-0.100644 / 255)), f32x4.mul(g, f32x4.splat(-0.338572 / 255))), f32x4.mul(b, f32x4.splat(0.439216 / 255)));
    const pixelCr = f32x4.add(f32x4.add(f32x4.mul(r, f32x4.splat(0.439216 / 255)), f32x4.mul(g, f32x4.splat(-0.398942 / 255))), f32x4.mul(b, f32x4.splat(-0.040274 / 255)));
    v128.store(cb + (<usize>x << 2), f32x4.sub(pixelCb, f32x4.mul(scale, keyCb)));
    v128.store(cr + (<usize>x << 2), f32x4.sub(pixelCr, f32x4.mul(scale, keyCr)));
  }
  pad(cb);
  pad(cr);
  const outCb = row4(acrossCb, y);
  const outCr = row4(acrossCr, y);
  for (let x = 0; x < width; x += 4) {
    const at = <usize>x << 2;
    v128.store(outCb + at, f32x4.add(f32x4.add(v128.load(cb + at - 4), v128.load(cb + at)), v128.load(cb + at + 4)));
    v128.store(outCr + at, f32x4.add(f32x4.add(v128.load(cr + at - 4), v128.load(cr + at)), v128.load(cr + at + 4)));
  }
}

/** OBS's eased ramp, t·√t of the share of the span that `base` is into it (`perSpan`: 1 / span), 0 below and 1 above. */
@inline function ramp(base: v128, perSpan: v128): v128 {
  const t = f32x4.pmin(f32x4.pmax(f32x4.mul(base, perSpan), f32x4.splat(0)), f32x4.splat(1));
  return f32x4.mul(t, f32x4.sqrt(t));
}

/** Four i32 lanes of 0–255 as four bytes (one u32: four pixels' bytes). */
@inline function lowBytes(v: v128): u32 {
  const halves = i16x8.narrow_i32x4_s(v, v);
  return i32x4.extract_lane(i8x16.narrow_i16x8_u(halves, halves), 0);
}

/** Row y's distance (the 3 × 3 box's, or a 3-pixel run's where a thin line makes that longer) and its ramps. */
function distances(y: i32): void {
  const up = clampRow(y - 1);
  const down = clampRow(y + 1);
  const cbUp = row4(diffCb, up), cb = row4(diffCb, y), cbDown = row4(diffCb, down);
  const crUp = row4(diffCr, up), cr = row4(diffCr, y), crDown = row4(diffCr, down);
  const aCbUp = row4(acrossCb, up), aCb = row4(acrossCb, y), aCbDown = row4(acrossCb, down);
  const aCrUp = row4(acrossCr, up), aCr = row4(acrossCr, y), aCrDown = row4(acrossCr, down);
  const levelRow = byteRow(levels, y);
  const lineRow = byteRow(lines, y);
  const satRow = row8(saturations, y);
  const three = f32x4.splat(3);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  // Sums rather than averages (no divisions here): the box's sum is 9× its average, a run's 3×.
  // The reference compares a run's squared length / 3 with the box's: ×81 both, 3·run² with box².
  const limit = f32x4.mul(similaritySquared, f32x4.splat(81));
  for (let x = 0; x < width; x += 4) {
    const at = <usize>x << 2;
    const downCb = f32x4.add(f32x4.add(v128.load(cbUp + at), v128.load(cb + at)), v128.load(cbDown + at));
    const downCr = f32x4.add(f32x4.add(v128.load(crUp + at), v128.load(cr + at)), v128.load(crDown + at));
    const acrossB = v128.load(aCb + at);
    const acrossR = v128.load(aCr + at);
    const boxCb = f32x4.add(f32x4.add(v128.load(aCbUp + at), acrossB), v128.load(aCbDown + at));
    const boxCr = f32x4.add(f32x4.add(v128.load(aCrUp + at), acrossR), v128.load(aCrDown + at));
    const box = f32x4.add(f32x4.mul(boxCb, boxCb), f32x4.mul(boxCr, boxCr));
    const acrossLength = f32x4.add(f32x4.mul(acrossB, acrossB), f32x4.mul(acrossR, acrossR));
    const downLength = f32x4.add(f32x4.mul(downCb, downCb), f32x4.mul(downCr, downCr));
    const run = f32x4.mul(f32x4.pmax(acrossLength, downLength), three);
    const line = f32x4.gt(run, box);
    store<u32>(lineRow + <usize>x, lowBytes(v128.and(line, i32x4.splat(0xff))));
    // The length taken is the run's on a line and the box's elsewhere: the larger, squared.
    const squared = f32x4.pmax(box, run);
    if (!v128.any_true(f32x4.gt(squared, limit))) {
      // All four are screen: keyed, and grey (most of a frame; no square roots).
      store<u32>(levelRow + <usize>x, 0);
      v128.store(satRow + at, zero);
      continue;
    }
    const distance = f32x4.sub(f32x4.mul(f32x4.sqrt(squared), f32x4.splat(<f32>1 / 9)), similarity);
    const spread = ramp(distance, perSmoothness);
    const level = f32x4.add(f32x4.floor(f32x4.mul(spread, f32x4.splat(254))), one);
    const levelOrEnds = v128.bitselect(f32x4.splat(255), v128.bitselect(zero, level, f32x4.eq(spread, zero)), f32x4.ge(spread, one));
    store<u32>(levelRow + <usize>x, lowBytes(i32x4.trunc_sat_f32x4_u(levelOrEnds)));
    v128.store(satRow + at, ramp(distance, perSpill));
  }
  padBytes(levelRow);
}

/** The most (or least) of each pixel's level and its four neighbours', row y of `from` into `to`: 16 pixels at a time. */
function cross(from: usize, to: usize, y: i32, most: bool): void {
  const above = byteRow(from, clampRow(y - 1));
  const row = byteRow(from, y);
  const below = byteRow(from, clampRow(y + 1));
  const out = byteRow(to, y);
  for (let x = 0; x < width; x += 16) {
    const at = <usize>x;
    if (most) {
      v128.store(out + at, i8x16.max_u(i8x16.max_u(i8x16.max_u(v128.load(row + at - 1), v128.load(row + at)), i8x16.max_u(v128.load(row + at + 1), v128.load(above + at))), v128.load(below + at)));
    } else {
      v128.store(out + at, i8x16.min_u(i8x16.min_u(i8x16.min_u(v128.load(row + at - 1), v128.load(row + at)), i8x16.min_u(v128.load(row + at + 1), v128.load(above + at))), v128.load(below + at)));
    }
  }
  padBytes(out);
}

/** Row y's alpha: the closing's, choked — except on a thin line, which keeps its own. */
function choke(y: i32): void {
  cross(eroded, alphas, y, false);
  const out = byteRow(alphas, y);
  const levelRow = byteRow(levels, y);
  const lineRow = byteRow(lines, y);
  for (let x = 0; x < width; x += 16) {
    const at = <usize>x;
    v128.store(out + at, v128.bitselect(v128.load(levelRow + at), v128.load(out + at), v128.load(lineRow + at)));
  }
  padBytes(out);
}

let hueR: v128;
let hueG: v128;
let hueB: v128;
let hueScale: v128; // 1 / the hue's squared length
let backR: v128;
let backG: v128;
let backB: v128;
let backPacked: v128; // the colour as four RGBA pixels
/** 0: over the colour; 1: over the picture; 2: transparent (alpha out). */
let mode: i32 = 0;

/**
 * A level 0–255, rounded half to even as a Uint8ClampedArray does: clamped, then 2²³ added, which
 * leaves the rounded integer in the float's low mantissa bits (cheaper than nearest + convert).
 */
@inline function toByte(v: v128): v128 {
  const clamped = f32x4.pmin(f32x4.pmax(v, f32x4.splat(0)), f32x4.splat(255));
  return v128.and(f32x4.add(clamped, f32x4.splat(8388608)), i32x4.splat(0xff));
}

/** Row y composited: desaturated near the key, the key's hue taken out along the edge, laid over what is behind. */
function composite(y: i32): void {
  const above = byteRow(alphas, clampRow(y - 1));
  const row = byteRow(alphas, y);
  const below = byteRow(alphas, clampRow(y + 1));
  const satRow = row8(saturations, y);
  const offset = <usize>y * <usize>width << 2;
  const source = input + offset;
  const behind = picture + offset;
  const target = output + offset;
  const byte = i32x4.splat(0xff);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const opaque = i32x4.splat(0xff000000);
  for (let x = 0; x < width; x += 4) {
    const at = <usize>x << 2;
    const levelBits = load<u32>(row + <usize>x);
    const pixels = v128.load(source + at);
    // Most of a frame is all screen or all person: those four pixels are simply what is behind,
    // or the camera's own (kept whole, nothing to desaturate or take out).
    if (mode != 2 && levelBits == 0) {
      v128.store(target + at, mode == 1 ? v128.or(v128.load(behind + at), opaque) : backPacked);
      continue;
    }
    const neighbours = i8x16.min_u(i8x16.min_u(v128.load32_zero(row + <usize>x - 1), v128.load32_zero(row + <usize>x + 1)), i8x16.min_u(v128.load32_zero(above + <usize>x), v128.load32_zero(below + <usize>x)));
    const nearKeyed = i32x4.lt_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(neighbours)), i32x4.splat(128));
    const saturation = v128.load(satRow + at);
    if (levelBits == 0xffffffff && !v128.any_true(v128.or(v128.or(nearKeyed, f32x4.ne(saturation, one)), i32x4.ne(v128.and(pixels, opaque), opaque)))) {
      v128.store(target + at, pixels);
      continue;
    }
    const level = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(row + <usize>x)));
    const keyed = i32x4.eq(level, i32x4.splat(0));
    const kept = i32x4.eq(level, byte);
    const edge = v128.andnot(v128.or(v128.not(kept), nearKeyed), keyed);
    const alpha = v128.bitselect(zero, v128.bitselect(one, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_u(level), f32x4.splat(0.5)), f32x4.splat(1.0 / 254)), kept), keyed);
    const r = f32x4.convert_i32x4_u(v128.and(pixels, byte));
    const g = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(pixels, 8), byte));
    const b = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(pixels, 16), byte));
    const sourceAlpha = f32x4.convert_i32x4_u(i32x4.shr_u(pixels, 24));
    const grey = f32x4.add(f32x4.add(f32x4.mul(r, f32x4.splat(0.2126)), f32x4.mul(g, f32x4.splat(0.7152))), f32x4.mul(b, f32x4.splat(0.0722)));
    const chromaR = f32x4.mul(f32x4.sub(r, grey), saturation);
    const chromaG = f32x4.mul(f32x4.sub(g, grey), saturation);
    const chromaB = f32x4.mul(f32x4.sub(b, grey), saturation);
    const towardsKey = f32x4.mul(f32x4.add(f32x4.add(f32x4.mul(chromaR, hueR), f32x4.mul(chromaG, hueG)), f32x4.mul(chromaB, hueB)), hueScale);
    const takeOut = v128.and(f32x4.pmax(towardsKey, zero), edge);
    let kr = f32x4.add(grey, f32x4.sub(chromaR, f32x4.mul(takeOut, hueR)));
    let kg = f32x4.add(grey, f32x4.sub(chromaG, f32x4.mul(takeOut, hueG)));
    let kb = f32x4.add(grey, f32x4.sub(chromaB, f32x4.mul(takeOut, hueB)));
    let outAlpha = i32x4.splat(255);
    if (mode == 2) {
      outAlpha = toByte(f32x4.mul(sourceAlpha, alpha));
    } else {
      const a = f32x4.mul(alpha, f32x4.mul(sourceAlpha, f32x4.splat(1.0 / 255)));
      const rest = f32x4.sub(one, a);
      let br = backR, bg = backG, bb = backB;
      if (mode == 1) {
        const back = v128.load(behind + at);
        br = f32x4.convert_i32x4_u(v128.and(back, byte));
        bg = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(back, 8), byte));
        bb = f32x4.convert_i32x4_u(v128.and(i32x4.shr_u(back, 16), byte));
      }
      kr = f32x4.add(f32x4.mul(kr, a), f32x4.mul(br, rest));
      kg = f32x4.add(f32x4.mul(kg, a), f32x4.mul(bg, rest));
      kb = f32x4.add(f32x4.mul(kb, a), f32x4.mul(bb, rest));
    }
    v128.store(target + at, v128.or(v128.or(toByte(kr), i32x4.shl(toByte(kg), 8)), v128.or(i32x4.shl(toByte(kb), 16), i32x4.shl(outAlpha, 24))));
  }
}

/**
 * Keys the frame at the input pointer into the output. The key's chroma is relative to grey
 * (Cb − ½, Cr − ½); `keyLuma` 0–1; `background` sRGB; `behind` as for `mode` above.
 */
export function key(cb: f32, cr: f32, keyLuma: f32, similar: f32, smooth: f32, spill: f32, keyR: f32, keyG: f32, keyB: f32, backgroundR: f32, backgroundG: f32, backgroundB: f32, behind: i32): void {
  keyCb = f32x4.splat(cb);
  keyCr = f32x4.splat(cr);
  toKeyScale = f32x4.splat(1 / (keyLuma * 255));
  similarity = f32x4.splat(similar);
  similaritySquared = f32x4.splat(similar * similar);
  // A ramp of no width is a step (the reference's `base >= width`): kept just above it.
  perSmoothness = f32x4.splat(<f32>1 / (smooth > 0 ? smooth : <f32>1e-9));
  perSpill = f32x4.splat(<f32>1 / (spill > 0 ? spill : <f32>1e-9));
  const keyGrey: f32 = <f32>0.2126 * keyR + <f32>0.7152 * keyG + <f32>0.0722 * keyB;
  const hr: f32 = keyR - keyGrey, hg: f32 = keyG - keyGrey, hb: f32 = keyB - keyGrey;
  const hueLength2: f32 = hr * hr + hg * hg + hb * hb;
  hueR = f32x4.splat(hr);
  hueG = f32x4.splat(hg);
  hueB = f32x4.splat(hb);
  hueScale = f32x4.splat(hueLength2 > 0 ? <f32>1 / hueLength2 : <f32>1);
  backR = f32x4.splat(backgroundR);
  backG = f32x4.splat(backgroundG);
  backB = f32x4.splat(backgroundB);
  backPacked = i32x4.splat(<i32>backgroundR | (<i32>backgroundG << 8) | (<i32>backgroundB << 16) | 0xff000000);
  mode = behind;
  // Each step runs this many rows behind the frame's: a step needs the row below its own done.
  for (let t = 0; t < height + 5; t++) {
    if (t < height) differences(t);
    if (t >= 1 && t - 1 < height) distances(t - 1);
    if (t >= 2 && t - 2 < height) cross(levels, dilated, t - 2, true);
    if (t >= 3 && t - 3 < height) cross(dilated, eroded, t - 3, false);
    if (t >= 4 && t - 4 < height) choke(t - 4);
    if (t >= 5) composite(t - 5);
  }
}
