/**
 * The chroma key (the model: OBS Studio's chroma key v2, as described in
 * shared/notes/prior-art.md; our own code): each pixel's distance from the key colour is
 * measured in the CbCr plane only (BT.709), averaged over its neighbours to calm noise (see
 * keyDistances); `similarity` is the distance up to which a pixel is fully keyed,
 * `smoothness` the ramp above it to fully kept, and `spill` the ramp over which colours near the
 * key are desaturated (no green fringe).
 *
 * One step beyond OBS: a screen in shadow is the key colour scaled down — its chroma shrinks
 * towards grey with its brightness — so the distance is taken from the key colour *at the
 * pixel's brightness* (its chroma scaled by the pixel's luma over the key's, within
 * SHADOW..HIGHLIGHT). A screen's dark side then sits as close to the key as its bright side,
 * while a dark green shirt, less saturated than the screen at its brightness, does not; at the
 * key's own brightness it is OBS's distance. Very dark pixels are compared with the screen at
 * SHADOW, so black hair and clothes are not keyed. This is the CPU path on RGBA pixels; plain
 * code, no DOM.
 */

/** The darkest and brightest a screen can be lit, relative to its key colour. */
export const SHADOW = 0.35;
export const HIGHLIGHT = 1.6;

export interface ChromaKeySettings {
  /** The screen's colour, sRGB 0–255. */
  keyColor: readonly [number, number, number];
  /** CbCr distance (0–1 units) up to which a pixel is background. */
  similarity: number;
  /** Distance over which a pixel goes from keyed to kept. */
  smoothness: number;
  /** Distance over which colours near the key are desaturated. */
  spill: number;
}

/** BT.709 Cb and Cr of an sRGB colour (components 0–255), each 0–1 with grey at ~0.5. */
export function chroma(r: number, g: number, b: number): [number, number] {
  return [(-0.100644 * r - 0.338572 * g + 0.439216 * b) / 255 + 0.501961, (0.439216 * r - 0.398942 * g - 0.040274 * b) / 255 + 0.501961];
}

/** BT.709 luma of an sRGB colour (components 0–255), 0–1. */
export function luma(r: number, g: number, b: number): number {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/**
 * What every engine compares pixels with, from the key's colour: its chroma relative to grey
 * (Cb − ½, Cr − ½), its luma (at least one level, as a divisor), and its hue as an RGB offset of
 * zero luma — what a pixel's colour has of the screen's hue.
 */
export function keyTerms(keyColor: readonly [number, number, number]): { cb: number; cr: number; luma: number; hue: readonly [number, number, number] } {
  const [cb, cr] = chroma(...keyColor);
  const [r, g, b] = keyColor;
  const grey = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { cb: cb - 0.501961, cr: cr - 0.501961, luma: Math.max(luma(...keyColor), 1 / 255), hue: [r - grey, g - grey, b - grey] };
}

/** Working arrays for one frame size, kept between frames (a camera sends 30 a second). */
function makeScratch(size: number) {
  const vectors = () => new Float32Array(2 * size);
  const levels = () => new Float32Array(size);
  return { size, difference: vectors(), across: vectors(), down: vectors(), distances: levels(), lines: new Uint8Array(size), spread: levels(), closed: levels(), alphas: levels() };
}
let scratch = makeScratch(0);

function scratchFor(size: number) {
  if (scratch.size !== size) scratch = makeScratch(size);
  return scratch;
}

/**
 * Each pixel's CbCr distance from the key colour at the pixel's brightness, averaged over its
 * neighbours. The array returned is reused by the next call, and beside it (for keyFrame's
 * choke) which pixels a run along a thin line decided.
 */
export function keyDistances(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, keyColor: readonly [number, number, number]): Float32Array {
  const { cb: keyCb, cr: keyCr, luma: keyLuma } = keyTerms(keyColor);
  const size = width * height;
  const { difference, across, down, distances, lines } = scratchFor(size);
  // Each pixel's difference from the key (a CbCr vector), averaged before its length is taken:
  // a screen's noise points every way and cancels out, while a real colour difference — a
  // dark shirt, one hair — adds up. (Written out, not through chroma(): no array per pixel.)
  for (let i = 0, p = 0; i < size; i++, p += 4) {
    const r = rgba[p]!;
    const g = rgba[p + 1]!;
    const b = rgba[p + 2]!;
    const scale = Math.min(HIGHLIGHT, Math.max(SHADOW, (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 / keyLuma));
    difference[2 * i] = (-0.100644 * r - 0.338572 * g + 0.439216 * b) / 255 - scale * keyCb;
    difference[2 * i + 1] = (0.439216 * r - 0.398942 * g - 0.040274 * b) / 255 - scale * keyCr;
  }
  // Averages over a 3-pixel run across (each row) and down (each column), and over the 3 × 3
  // box (the run across, averaged down). The box calms noise most and keeps a shirt that is
  // only a little off the screen's colour; a run along a 1-px hair keeps all of the hair
  // (the box keeps a third), its length scaled by 1/√3 to the box's noise. The larger wins.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = Math.max(0, y - 1) * width;
    const below = Math.min(height - 1, y + 1) * width;
    for (let x = 0; x < width; x++) {
      const i = 2 * (row + x);
      const left = 2 * (row + Math.max(0, x - 1));
      const right = 2 * (row + Math.min(width - 1, x + 1));
      across[i] = (difference[left]! + difference[i]! + difference[right]!) / 3;
      across[i + 1] = (difference[left + 1]! + difference[i + 1]! + difference[right + 1]!) / 3;
      down[i] = (difference[2 * (up + x)]! + difference[i]! + difference[2 * (below + x)]!) / 3;
      down[i + 1] = (difference[2 * (up + x) + 1]! + difference[i + 1]! + difference[2 * (below + x) + 1]!) / 3;
    }
  }
  // Lengths compared squared (a run's scaled by 1/3, its 1/√3 squared): one square root a pixel.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = 2 * Math.max(0, y - 1) * width;
    const below = 2 * Math.min(height - 1, y + 1) * width;
    for (let x = 0, i = 2 * row; x < width; x++, i += 2) {
      const boxCb = (across[up + 2 * x]! + across[i]! + across[below + 2 * x]!) / 3;
      const boxCr = (across[up + 2 * x + 1]! + across[i + 1]! + across[below + 2 * x + 1]!) / 3;
      const box = boxCb * boxCb + boxCr * boxCr;
      const acrossCb = across[i]!;
      const acrossCr = across[i + 1]!;
      const downCb = down[i]!;
      const downCr = down[i + 1]!;
      const run = Math.max(acrossCb * acrossCb + acrossCr * acrossCr, downCb * downCb + downCr * downCr) / 3;
      const line = run > box;
      distances[row + x] = Math.sqrt(line ? run : box);
      lines[row + x] = line ? 1 : 0;
    }
  }
  return distances;
}

/** The ramp from keyed (0) to kept (1) over `width` above the similarity, eased as OBS does (^1.5). */
const ramp = (base: number, width: number) => {
  if (base <= 0) return 0;
  if (base >= width) return 1;
  const t = base / width;
  return t * Math.sqrt(t);
};

/** How much of a pixel is kept (0 keyed … 1 kept) and how much of its colour (0 grey … 1 all), from its distance. */
export function keyRamp(distance: number, settings: Pick<ChromaKeySettings, 'similarity' | 'smoothness' | 'spill'>): { alpha: number; saturation: number } {
  const base = distance - settings.similarity;
  return { alpha: ramp(base, settings.smoothness), saturation: ramp(base, settings.spill) };
}

/**
 * Keys an RGBA frame into `out` (RGBA, the same size): alpha from the key (times the source's),
 * colour desaturated towards its BT.709 luma near the key. Along the edge — a kept pixel next to
 * a keyed one, half screen and half person — the key's own hue is taken out of the colour
 * (its chroma along the key's, removed at the same luma), so no line of screen colour rims the
 * person; inside, a green shirt keeps its green. With `background` (sRGB), the picture is laid
 * over it instead, opaque; or over a picture (RGBA of the frame's size).
 */
export function keyFrame(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, settings: ChromaKeySettings, out: Uint8ClampedArray, background?: readonly [number, number, number] | Uint8ClampedArray): void {
  // A colour, or a picture as RGBA pixels of the frame's size.
  const picture = background instanceof Uint8ClampedArray ? background : null;
  const colour = picture ? null : background;
  const distances = keyDistances(rgba, width, height, settings.keyColor);
  const { similarity, smoothness, spill } = settings;
  const { lines, spread, closed, alphas } = scratchFor(distances.length);
  for (let i = 0; i < distances.length; i++) spread[i] = ramp(distances[i]! - similarity, smoothness);
  const cross = (from: Float32Array, to: Float32Array, pick: (a: number, b: number) => number) => {
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        let v = from[i]!;
        if (x > 0) v = pick(v, from[i - 1]!);
        if (x < width - 1) v = pick(v, from[i + 1]!);
        if (y > 0) v = pick(v, from[i - width]!);
        if (y < height - 1) v = pick(v, from[i + width]!);
        to[i] = v;
      }
    }
  };
  // Noise keys a stray pixel here and there inside the person (a speck of the background showing
  // through a dark shirt): filled by a closing (the most alpha of the pixel and its neighbours,
  // then the least). Then the averaging's widening of the person by a pixel is choked back (the
  // least alpha again), except on a thin line, which the averaging did not widen.
  cross(spread, alphas, Math.max);
  cross(alphas, closed, Math.min);
  cross(closed, alphas, Math.min);
  for (let i = 0; i < distances.length; i++) if (lines[i]) alphas[i] = spread[i]!;
  const { hue } = keyTerms(settings.keyColor);
  const hueLength2 = hue[0] ** 2 + hue[1] ** 2 + hue[2] ** 2 || 1;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const p = 4 * i;
      const alpha = alphas[i]!;
      const saturation = ramp(distances[i]! - similarity, spill);
      const r = rgba[p]!;
      const g = rgba[p + 1]!;
      const b = rgba[p + 2]!;
      const grey = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      let kr = grey + (r - grey) * saturation;
      let kg = grey + (g - grey) * saturation;
      let kb = grey + (b - grey) * saturation;
      const edge = alpha > 0 && (alpha < 1 || (x > 0 && alphas[i - 1]! < 0.5) || (x < width - 1 && alphas[i + 1]! < 0.5) || (y > 0 && alphas[i - width]! < 0.5) || (y < height - 1 && alphas[i + width]! < 0.5));
      if (edge) {
        const towardsKey = ((kr - grey) * hue[0] + (kg - grey) * hue[1] + (kb - grey) * hue[2]) / hueLength2;
        if (towardsKey > 0) {
          kr -= towardsKey * hue[0];
          kg -= towardsKey * hue[1];
          kb -= towardsKey * hue[2];
        }
      }
      // (A clamped array rounds what it is given.)
      if (background) {
        const a = alpha * (rgba[p + 3]! / 255);
        out[p] = kr * a + (picture ? picture[p]! : colour![0]) * (1 - a);
        out[p + 1] = kg * a + (picture ? picture[p + 1]! : colour![1]) * (1 - a);
        out[p + 2] = kb * a + (picture ? picture[p + 2]! : colour![2]) * (1 - a);
        out[p + 3] = 255;
      } else {
        out[p] = kr;
        out[p + 1] = kg;
        out[p + 2] = kb;
        out[p + 3] = rgba[p + 3]! * alpha;
      }
    }
  }
}
