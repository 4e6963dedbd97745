// The chroma key of ../key.ts as WebAssembly SIMD (AssemblyScript, compiled at build time by
// scripts/chroma-wasm.ts; not TypeScript — excluded from tsc). Same steps, same constants, same
// output within a level or two of the JS reference (f32 here, f64 there).
//
// What makes it fast besides four pixels per instruction:
// - One pass down the frame. Every step reads only its own row and the rows just above and below,
//   so each step keeps its last few rows in a small ring and runs a fixed number of rows behind
//   the step before it. The working set is ~40 rows, which stays in cache; whole-frame arrays
//   went to memory and back once per step.
// - How much of a pixel is kept goes through the closing and the choke as one byte, 16 pixels an
//   instruction: 0 keyed, 255 kept, and 1–254 the ramp between (1 + ⌊254·alpha⌋). The mapping keeps
//   order (so the most and least of bytes are the bytes of the most and least) and the three
//   lines the composite tests (above 0, below ½, below 1); decoding costs at most 1/508 of alpha.
// - Most of a frame is all screen or all person: four pixels all screen skip the square roots and
//   ramps, four all beyond both ramps too; sixteen all keyed or all kept skip the composite's
//   blending (all kept and fully saturated: copied).
// - Code V8 compiles well: a row's values reached from one pointer (see the rings below), loop
//   pointers stepped rather than offsets added, constants loaded from memory, fused multiply-adds
//   (relaxed SIMD), no unsigned conversions (two's-complement ones are one instruction on x86;
//   the values are bytes), and the run across made from registers.
// - Rows are padded by one value each side, copied from the row's ends: "the pixel beside" at a
//   frame's edge is then the edge pixel itself, which is what the reference's clamped indices do.

const SHADOW: f32 = 0.35;
const HIGHLIGHT: f32 = 1.6;

// The loops' constants, in memory: V8 builds a v128 constant afresh at each use inside a loop
// (three instructions; a dozen constants in some loops) but loads one from memory in one.
// Each is one value four times, at its offset; fillConstants() writes them.
const CONSTANTS: usize = memory.data(16 * 20, 16);
const BYTE: usize = 0; // i32 0xff
const OPAQUE: usize = 16; // i32 0xff000000
const HALF_BYTE: usize = 32; // i32 128
const FULL: usize = 48; // i32 255
const ONE: usize = 64;
const LUMA_R: usize = 80;
const LUMA_G: usize = 96;
const LUMA_B: usize = 112;
const CB_SCALE: usize = 128;
const CR_SCALE: usize = 144;
const SHADOWS: usize = 160;
const HIGHLIGHTS: usize = 176;
const NINTH: usize = 192;
const STEPS: usize = 208; // 254, the ramp's steps
const BYTE_MAX: usize = 224; // 255.0
const HALF: usize = 240;
const PER_STEP: usize = 256; // 1 / 254
const PER_BYTE: usize = 272; // 1 / 255
const ROUNDER: usize = 288; // 2²³
const THREE: usize = 304;
@inline function constant(offset: usize): v128 {
  return v128.load(CONSTANTS + offset);
}
function fillConstants(): void {
  v128.store(CONSTANTS + BYTE, i32x4.splat(0xff));
  v128.store(CONSTANTS + OPAQUE, i32x4.splat(0xff000000));
  v128.store(CONSTANTS + HALF_BYTE, i32x4.splat(128));
  v128.store(CONSTANTS + FULL, i32x4.splat(255));
  v128.store(CONSTANTS + ONE, f32x4.splat(1));
  // BT.709 (studio range, as ../key.ts): luma 0–255; Cb, Cr (−½…½) = (B − Y) and (R − Y) scaled.
  v128.store(CONSTANTS + LUMA_R, f32x4.splat(0.2126));
  v128.store(CONSTANTS + LUMA_G, f32x4.splat(0.7152));
  v128.store(CONSTANTS + LUMA_B, f32x4.splat(0.0722));
  v128.store(CONSTANTS + CB_SCALE, f32x4.splat(<f32>(0.439216 / (1 - 0.0722) / 255)));
  v128.store(CONSTANTS + CR_SCALE, f32x4.splat(<f32>(0.439216 / (1 - 0.2126) / 255)));
  v128.store(CONSTANTS + SHADOWS, f32x4.splat(SHADOW));
  v128.store(CONSTANTS + HIGHLIGHTS, f32x4.splat(HIGHLIGHT));
  v128.store(CONSTANTS + NINTH, f32x4.splat(<f32>1 / 9));
  v128.store(CONSTANTS + STEPS, f32x4.splat(254));
  v128.store(CONSTANTS + BYTE_MAX, f32x4.splat(255));
  v128.store(CONSTANTS + HALF, f32x4.splat(0.5));
  v128.store(CONSTANTS + PER_STEP, f32x4.splat(<f32>1 / 254));
  v128.store(CONSTANTS + PER_BYTE, f32x4.splat(<f32>1 / 255));
  v128.store(CONSTANTS + ROUNDER, f32x4.splat(8388608));
  v128.store(CONSTANTS + THREE, f32x4.splat(3));
}

/** Pixels in, pixels out and the picture behind (RGBA, the frame's size), placed by prepare(). */
let input: usize = 0;
let output: usize = 0;
let picture: usize = 0;
let width: i32 = 0;
let height: i32 = 0;

// The rings of rows. A ring row holds every value a step keeps for that row, each kind in its own
// section at a fixed distance from the row's start (laid out for the widest frame), so a step
// reaches all of a row's values from one pointer plus a constant: V8 then keeps the loops'
// pointers in registers (a pointer per kind per row spilled and recomputed every iteration).
// Sections are padded by one v128 each side; the padding beside a row holds its end values.
/** The widest frame keyed. */
const MAX_WIDTH: i32 = 4096;
export function maxWidth(): i32 {
  return MAX_WIDTH;
}
const PAD: usize = 16;
const RING: i32 = 8; // rows kept per ring: saturations are read 4 rows after they are made
/** f32 sections: each pixel's CbCr difference from the key, its 3-pixel run across, and how much colour it keeps. */
const FLOATS: usize = <usize>MAX_WIDTH * 4 + 2 * PAD;
const DIFF_CB: usize = PAD;
const DIFF_CR: usize = DIFF_CB + FLOATS;
const ACROSS_CB: usize = DIFF_CR + FLOATS;
const ACROSS_CR: usize = ACROSS_CB + FLOATS;
const SATURATION: usize = ACROSS_CR + FLOATS;
const FLOAT_ROW: usize = SATURATION + FLOATS - PAD;
/** Byte sections: the ramp's level, on a thin line (0xff) or not, and the closing's and choke's levels. */
const BYTES: usize = <usize>MAX_WIDTH + 2 * PAD;
const LEVEL: usize = PAD;
const LINE: usize = LEVEL + BYTES;
const DILATED: usize = LINE + BYTES;
const ERODED: usize = DILATED + BYTES;
const ALPHA: usize = ERODED + BYTES;
const BYTE_ROW: usize = ALPHA + BYTES - PAD;
let floatRows: usize = 0;
let byteRows: usize = 0;

@inline function floatRow(y: i32): usize {
  return floatRows + <usize>(y & (RING - 1)) * FLOAT_ROW;
}
@inline function byteRow(y: i32): usize {
  return byteRows + <usize>(y & (RING - 1)) * BYTE_ROW;
}
@inline function clampRow(y: i32): i32 {
  return y < 0 ? 0 : y >= height ? height - 1 : y;
}
/** The padding beside a finished row of f32 (at `values`): its end values repeated. */
@inline function pad(values: usize): void {
  store<f32>(values - 4, load<f32>(values));
  store<f32>(values + (<usize>width << 2), load<f32>(values + (<usize>(width - 1) << 2)));
}
@inline function padBytes(values: usize): void {
  store<u8>(values - 1, load<u8>(values));
  store<u8>(values + <usize>width, load<u8>(values + <usize>(width - 1)));
}

/** Lays out memory for frames of this size; returns where the input pixels go (0: too wide, or no memory for it). */
export function prepare(w: i32, h: i32): usize {
  if (w > MAX_WIDTH) return 0;
  fillConstants();
  width = w;
  height = h;
  // (+64: the composite works in blocks of 16 pixels, up to 15 past a row's end.)
  const frameBytes = ((<usize>w * <usize>h * 4 + 64) + 15) & ~15;
  let at = (__heap_base + 15) & ~15;
  input = at;
  at += frameBytes;
  output = at;
  at += frameBytes;
  picture = at;
  at += frameBytes;
  floatRows = at;
  at += <usize>RING * FLOAT_ROW;
  byteRows = at;
  at += <usize>RING * BYTE_ROW;
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
/** The squared length of a box's sum (9 pixels' differences) at the similarity: 81·similarity². */
let screenLimit: v128;
/** The same beyond the similarity plus the wider of the two ramps (smoothness, spill). */
let personLimit: v128;
let perSmoothness: v128;
let perSpill: v128;

/** Each pixel's CbCr difference from the key at its brightness (row y), and its 3-pixel run across. */
function differences(y: i32): void {
  const row = floatRow(y);
  const source = input + (<usize>y * <usize>width << 2);
  let from = source, to = row;
  // The run across is made a group behind, from the groups in registers (a load across two
  // fresh stores would wait for them); the first group's and the last's are made after the
  // loop, from memory, once the row's padding is in place.
  let beforeCb = f32x4.splat(0), beforeCr = beforeCb, earlierCb = beforeCb, earlierCr = beforeCb;
  for (let x = 0; x < width; x += 4) {
    const pixels = v128.load(from);
    const r = channel(pixels, 0);
    const g = channel(pixels, 8);
    const b = channel(pixels, 16);
    const grey = luma(r, g, b);
    const scale = f32x4.pmin(constant(HIGHLIGHTS), f32x4.pmax(constant(SHADOWS), f32x4.mul(grey, toKeyScale)));
    // BT.709's Cb and Cr are the blue's and the red's distance from the luma, scaled.
    const pixelCb = f32x4.mul(f32x4.sub(b, grey), constant(CB_SCALE));
    const pixelCr = f32x4.mul(f32x4.sub(r, grey), constant(CR_SCALE));
    const cb = f32x4.relaxed_nmadd(scale, keyCb, pixelCb);
    const cr = f32x4.relaxed_nmadd(scale, keyCr, pixelCr);
    v128.store(to, cb, DIFF_CB);
    v128.store(to, cr, DIFF_CR);
    // (For the first group this writes into the padding before the row.)
    v128.store(to - 16, acrossRun(earlierCb, beforeCb, cb), ACROSS_CB);
    v128.store(to - 16, acrossRun(earlierCr, beforeCr, cr), ACROSS_CR);
    earlierCb = beforeCb;
    earlierCr = beforeCr;
    beforeCb = cb;
    beforeCr = cr;
    from += 16;
    to += 16;
  }
  pad(row + DIFF_CB);
  pad(row + DIFF_CR);
  acrossFour(row);
  acrossFour(row + (<usize>((width - 1) >> 2) << 4));
}

/** The 3-pixel runs across of group `at`, whose neighbours are the last of `earlier` and the first of `after`. */
@inline function acrossRun(earlier: v128, at: v128, after: v128): v128 {
  return f32x4.add(f32x4.add(v128.shuffle<f32>(earlier, at, 3, 4, 5, 6), at), v128.shuffle<f32>(at, after, 1, 2, 3, 4));
}

/** The same from memory, for the four pixels at `at` in a padded row. */
@inline function acrossFour(at: usize): void {
  v128.store(at, f32x4.add(f32x4.add(v128.load(at, DIFF_CB - 4), v128.load(at, DIFF_CB)), v128.load(at, DIFF_CB + 4)), ACROSS_CB);
  v128.store(at, f32x4.add(f32x4.add(v128.load(at, DIFF_CR - 4), v128.load(at, DIFF_CR)), v128.load(at, DIFF_CR + 4)), ACROSS_CR);
}

/** One channel (at bit `shift`: 0 red, 8 green, 16 blue) of four RGBA pixels, 0–255. */
@inline function channel(pixels: v128, shift: i32): v128 {
  return f32x4.convert_i32x4_s(v128.and(i32x4.shr_u(pixels, shift), constant(BYTE)));
}

/**
 * r·cr + g·cg + b·cb with fused multiply-adds (relaxed SIMD: fused where the processor fuses,
 * which only moves the last bit; every browser this extension runs in, Chrome 116+, has it).
 */
@inline function dot(r: v128, g: v128, b: v128, cr: v128, cg: v128, cb: v128): v128 {
  return f32x4.relaxed_madd(b, cb, f32x4.relaxed_madd(g, cg, f32x4.mul(r, cr)));
}
/** BT.709 luma, 0–255. */
@inline function luma(r: v128, g: v128, b: v128): v128 {
  return dot(r, g, b, constant(LUMA_R), constant(LUMA_G), constant(LUMA_B));
}

/** OBS's eased ramp, t·√t of the share of the span that `base` is into it (`perSpan`: 1 / span), 0 below and 1 above. */
@inline function ramp(base: v128, perSpan: v128): v128 {
  const t = f32x4.pmin(f32x4.pmax(f32x4.mul(base, perSpan), f32x4.splat(0)), constant(ONE));
  return f32x4.mul(t, f32x4.sqrt(t));
}

/** Four i32 lanes of 0–255 as four bytes (one u32: four pixels' bytes). */
@inline function lowBytes(v: v128): u32 {
  const halves = i16x8.narrow_i32x4_s(v, v);
  return i32x4.extract_lane(i8x16.narrow_i16x8_u(halves, halves), 0);
}

/** Four lanes each all set or all clear as four bytes 0xff / 0. */
@inline function maskBytes(v: v128): u32 {
  const halves = i16x8.narrow_i32x4_s(v, v);
  return i32x4.extract_lane(i8x16.narrow_i16x8_s(halves, halves), 0);
}

/** Row y's distance (the 3 × 3 box's, or a 3-pixel run's where a thin line makes that longer) and its ramps. */
function distances(y: i32): void {
  const up = clampRow(y - 1);
  const down = clampRow(y + 1);
  const above = floatRow(up);
  const row = floatRow(y);
  const below = floatRow(down);
  const bytes = byteRow(y);
  const zero = f32x4.splat(0);
  const one = constant(ONE);
  // Pointers stepped along the rows rather than offsets added to them: V8 recomputes a row's
  // start inside the loop otherwise.
  let u = above - 16, r = row - 16, d = below - 16, b = bytes - 4;
  for (let x = 0; x < width; x += 4) {
    u += 16;
    r += 16;
    d += 16;
    b += 4;
    const downCb = f32x4.add(f32x4.add(v128.load(u, DIFF_CB), v128.load(r, DIFF_CB)), v128.load(d, DIFF_CB));
    const downCr = f32x4.add(f32x4.add(v128.load(u, DIFF_CR), v128.load(r, DIFF_CR)), v128.load(d, DIFF_CR));
    const acrossB = v128.load(r, ACROSS_CB);
    const acrossR = v128.load(r, ACROSS_CR);
    const boxCb = f32x4.add(f32x4.add(v128.load(u, ACROSS_CB), acrossB), v128.load(d, ACROSS_CB));
    const boxCr = f32x4.add(f32x4.add(v128.load(u, ACROSS_CR), acrossR), v128.load(d, ACROSS_CR));
    const box = f32x4.relaxed_madd(boxCb, boxCb, f32x4.mul(boxCr, boxCr));
    const acrossLength = f32x4.relaxed_madd(acrossB, acrossB, f32x4.mul(acrossR, acrossR));
    const downLength = f32x4.relaxed_madd(downCb, downCb, f32x4.mul(downCr, downCr));
    const run = f32x4.mul(f32x4.pmax(acrossLength, downLength), constant(THREE));
    const line = f32x4.gt(run, box);
    store<u32>(b, maskBytes(line), LINE);
    // The length taken is the run's on a line and the box's elsewhere: the larger, squared.
    const squared = f32x4.pmax(box, run);
    if (!v128.any_true(f32x4.gt(squared, screenLimit))) {
      // All four are screen: keyed, and grey (most of a frame; no square roots).
      store<u32>(b, 0, LEVEL);
      v128.store(r, zero, SATURATION);
      continue;
    }
    if (i32x4.all_true(f32x4.ge(squared, personLimit))) {
      // All four are beyond both ramps: kept whole, at full colour (most of a person).
      store<u32>(b, 0xffffffff, LEVEL);
      v128.store(r, one, SATURATION);
      continue;
    }
    const distance = f32x4.sub(f32x4.mul(f32x4.sqrt(squared), constant(NINTH)), similarity);
    const spread = ramp(distance, perSmoothness);
    const level = f32x4.add(f32x4.floor(f32x4.mul(spread, constant(STEPS))), one);
    const levelOrEnds = v128.bitselect(constant(BYTE_MAX), v128.bitselect(zero, level, f32x4.eq(spread, zero)), f32x4.ge(spread, one));
    store<u32>(b, lowBytes(i32x4.trunc_sat_f32x4_s(levelOrEnds)), LEVEL);
    v128.store(r, ramp(distance, perSpill), SATURATION);
  }
  padBytes(bytes + LEVEL);
}

/** The most (or least) of each pixel's level and its four neighbours', row y of `from` into `to`: 16 pixels at a time. */
function cross(from: usize, to: usize, y: i32, most: bool): void {
  let above = byteRow(clampRow(y - 1)) + from - 16;
  let row = byteRow(y) + from - 16;
  let below = byteRow(clampRow(y + 1)) + from - 16;
  const out = byteRow(y) + to;
  const step = out - row - 16; // from a pixel's level in `from` to its own in `to`
  for (let x = 0; x < width; x += 16) {
    above += 16;
    row += 16;
    below += 16;
    v128.store(row + step, most ? most5(row, above, below) : least5(row, above, below));
  }
  padBytes(out);
}

/** The most of each of 16 bytes and its four neighbours' (left and right in its row, above and below). */
@inline function most5(row: usize, above: usize, below: usize): v128 {
  return i8x16.max_u(i8x16.max_u(i8x16.max_u(v128.load(row - 1), v128.load(row)), i8x16.max_u(v128.load(row + 1), v128.load(above))), v128.load(below));
}
@inline function least5(row: usize, above: usize, below: usize): v128 {
  return i8x16.min_u(i8x16.min_u(i8x16.min_u(v128.load(row - 1), v128.load(row)), i8x16.min_u(v128.load(row + 1), v128.load(above))), v128.load(below));
}

/** Row y's alpha: the closing's, choked (the least of the cross) — except on a thin line, which keeps its own level. */
function choke(y: i32): void {
  let above = byteRow(clampRow(y - 1)) - 16;
  let row = byteRow(y) - 16;
  let below = byteRow(clampRow(y + 1)) - 16;
  for (let x = 0; x < width; x += 16) {
    above += 16;
    row += 16;
    below += 16;
    const choked = least5(row + ERODED, above + ERODED, below + ERODED);
    v128.store(row, v128.bitselect(v128.load(row, LEVEL), choked, v128.load(row, LINE)), ALPHA);
  }
  padBytes(byteRow(y) + ALPHA);
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
  const clamped = f32x4.pmin(f32x4.pmax(v, f32x4.splat(0)), constant(BYTE_MAX));
  return v128.and(f32x4.add(clamped, constant(ROUNDER)), constant(BYTE));
}

/** Row y composited: desaturated near the key, the key's hue taken out along the edge, laid over what is behind. */
function composite(y: i32): void {
  const above = byteRow(clampRow(y - 1)) + ALPHA;
  const row = byteRow(y) + ALPHA;
  const below = byteRow(clampRow(y + 1)) + ALPHA;
  const satRow = floatRow(y) + SATURATION;
  const offset = <usize>y * <usize>width << 2;
  const source = input + offset;
  const behind = picture + offset;
  const target = output + offset;
  const one = constant(ONE);
  const opaque = constant(OPAQUE);
  // Sixteen pixels at a time first: most of a frame is all screen or all person, and those are
  // simply what is behind, or the camera's own (kept whole: nothing to desaturate or take out).
  for (let x = 0; x < width; x += 16) {
    const at = <usize>x << 2;
    const levels = v128.load(row + <usize>x);
    if (mode != 2 && !v128.any_true(levels)) {
      if (mode == 1) {
        v128.store(target + at, v128.or(v128.load(behind + at), opaque));
        v128.store(target + at, v128.or(v128.load(behind + at, 16), opaque), 16);
        v128.store(target + at, v128.or(v128.load(behind + at, 32), opaque), 32);
        v128.store(target + at, v128.or(v128.load(behind + at, 48), opaque), 48);
      } else {
        v128.store(target + at, backPacked);
        v128.store(target + at, backPacked, 16);
        v128.store(target + at, backPacked, 32);
        v128.store(target + at, backPacked, 48);
      }
      continue;
    }
    if (!v128.any_true(v128.not(levels))) {
      const neighbours = i8x16.min_u(i8x16.min_u(v128.load(row + <usize>x - 1), v128.load(row + <usize>x + 1)), i8x16.min_u(v128.load(above + <usize>x), v128.load(below + <usize>x)));
      const p0 = v128.load(source + at), p1 = v128.load(source + at, 16), p2 = v128.load(source + at, 32), p3 = v128.load(source + at, 48);
      const saturated = v128.and(v128.and(f32x4.eq(v128.load(satRow + at), one), f32x4.eq(v128.load(satRow + at, 16), one)), v128.and(f32x4.eq(v128.load(satRow + at, 32), one), f32x4.eq(v128.load(satRow + at, 48), one)));
      const opaques = v128.and(v128.and(p0, p1), v128.and(p2, p3));
      // No neighbour below half (the bytes' top bits all set) and all opaque: the camera's own,
      // as it is where fully saturated, else only desaturated (no edge: nothing taken out).
      if (i8x16.bitmask(neighbours) == 0xffff && i32x4.all_true(i32x4.eq(v128.and(opaques, opaque), opaque))) {
        if (i32x4.all_true(saturated)) {
          v128.store(target + at, p0);
          v128.store(target + at, p1, 16);
          v128.store(target + at, p2, 32);
          v128.store(target + at, p3, 48);
        } else {
          v128.store(target + at, desaturated(p0, v128.load(satRow + at)));
          v128.store(target + at, desaturated(p1, v128.load(satRow + at, 16)), 16);
          v128.store(target + at, desaturated(p2, v128.load(satRow + at, 32)), 32);
          v128.store(target + at, desaturated(p3, v128.load(satRow + at, 48)), 48);
        }
        continue;
      }
    }
    for (let i = 0; i < 16; i += 4) compositeFour(x + i, above, row, below, satRow, source, behind, target);
  }
}

/** Four opaque pixels with their colour scaled by `saturation` (towards their grey). */
@inline function desaturated(pixels: v128, saturation: v128): v128 {
  const r = channel(pixels, 0);
  const g = channel(pixels, 8);
  const b = channel(pixels, 16);
  const grey = luma(r, g, b);
  const kr = f32x4.relaxed_madd(f32x4.sub(r, grey), saturation, grey);
  const kg = f32x4.relaxed_madd(f32x4.sub(g, grey), saturation, grey);
  const kb = f32x4.relaxed_madd(f32x4.sub(b, grey), saturation, grey);
  return v128.or(v128.or(toByte(kr), i32x4.shl(toByte(kg), 8)), v128.or(i32x4.shl(toByte(kb), 16), constant(OPAQUE)));
}

/** Four pixels of a row composited (see composite()): the alpha rows above, at and below; the row's saturations; its pixels in, behind and out. */
@inline function compositeFour(x: i32, above: usize, row: usize, below: usize, satRow: usize, source: usize, behind: usize, target: usize): void {
  const at = <usize>x << 2;
  const byte = constant(BYTE);
  const zero = f32x4.splat(0);
  const one = constant(ONE);
  const pixels = v128.load(source + at);
  const neighbours = i8x16.min_u(i8x16.min_u(v128.load32_zero(row + <usize>x - 1), v128.load32_zero(row + <usize>x + 1)), i8x16.min_u(v128.load32_zero(above + <usize>x), v128.load32_zero(below + <usize>x)));
  const nearKeyed = i32x4.lt_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(neighbours)), constant(HALF_BYTE));
  const saturation = v128.load(satRow + at);
  const level = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(row + <usize>x)));
  const keyed = i32x4.eq(level, i32x4.splat(0));
  const kept = i32x4.eq(level, byte);
  const edge = v128.andnot(v128.or(v128.not(kept), nearKeyed), keyed);
  const alpha = v128.bitselect(zero, v128.bitselect(one, f32x4.mul(f32x4.sub(f32x4.convert_i32x4_s(level), constant(HALF)), constant(PER_STEP)), kept), keyed);
  const r = channel(pixels, 0);
  const g = channel(pixels, 8);
  const b = channel(pixels, 16);
  const sourceAlpha = f32x4.convert_i32x4_s(i32x4.shr_u(pixels, 24));
  const grey = luma(r, g, b);
  const chromaR = f32x4.mul(f32x4.sub(r, grey), saturation);
  const chromaG = f32x4.mul(f32x4.sub(g, grey), saturation);
  const chromaB = f32x4.mul(f32x4.sub(b, grey), saturation);
  const towardsKey = f32x4.mul(dot(chromaR, chromaG, chromaB, hueR, hueG, hueB), hueScale);
  const takeOut = v128.and(f32x4.pmax(towardsKey, zero), edge);
  let kr = f32x4.relaxed_nmadd(takeOut, hueR, f32x4.add(grey, chromaR));
  let kg = f32x4.relaxed_nmadd(takeOut, hueG, f32x4.add(grey, chromaG));
  let kb = f32x4.relaxed_nmadd(takeOut, hueB, f32x4.add(grey, chromaB));
  let outAlpha = constant(FULL);
  if (mode == 2) {
    outAlpha = toByte(f32x4.mul(sourceAlpha, alpha));
  } else {
    const a = f32x4.mul(alpha, f32x4.mul(sourceAlpha, constant(PER_BYTE)));
    const rest = f32x4.sub(one, a);
    let br = backR, bg = backG, bb = backB;
    if (mode == 1) {
      const back = v128.load(behind + at);
      br = channel(back, 0);
      bg = channel(back, 8);
      bb = channel(back, 16);
    }
    kr = f32x4.relaxed_madd(kr, a, f32x4.mul(br, rest));
    kg = f32x4.relaxed_madd(kg, a, f32x4.mul(bg, rest));
    kb = f32x4.relaxed_madd(kb, a, f32x4.mul(bb, rest));
  }
  v128.store(target + at, v128.or(v128.or(toByte(kr), i32x4.shl(toByte(kg), 8)), v128.or(i32x4.shl(toByte(kb), 16), i32x4.shl(outAlpha, 24))));
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
  // Sums rather than averages (no divisions in the loop): the box's sum is 9× its average, a run's
  // 3×. The reference compares a run's squared length / 3 with the box's: ×81 both, 3·run² with box².
  screenLimit = f32x4.splat(81 * similar * similar);
  const beyondRamps: f32 = 9 * (similar + (smooth > spill ? smooth : spill));
  personLimit = f32x4.splat(beyondRamps * beyondRamps);
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
    if (t >= 2 && t - 2 < height) cross(LEVEL, DILATED, t - 2, true);
    if (t >= 3 && t - 3 < height) cross(DILATED, ERODED, t - 3, false);
    if (t >= 4 && t - 4 < height) choke(t - 4);
    if (t >= 5) composite(t - 5);
  }
}
