import { chroma, keyDistances, luma, type ChromaKeySettings } from './key';
import { SMOOTHNESS, SPILL } from './presets';

/**
 * Auto-key: the key colour and a similarity found in the frame itself, so a person gets a clean
 * key without touching a slider. The screen is what fills the frame's border: the border's
 * dominant chroma (the fullest cell of a CbCr histogram, away from grey) says which pixels are
 * the screen, at any brightness; the key colour is the mean of its brightest ones, and the
 * similarity is set just above the noise of the border's distances from it — uneven light is
 * measured rather than guessed (on such a screen OBS's fixed 0.40 keys only ~80 % of pixels right).
 */

/** The border band, as a share of the frame's smaller side. */
const BORDER = 0.06;
const BINS = 32;
/** A dominant chroma this close to grey is no screen (a wall, a room): nothing is keyed. */
const MIN_SATURATION = 0.08;
/** Border pixels this far from the screen's colour (at their brightness) are not the screen. */
const SCREEN_RADIUS = 0.06;
/** The key is the mean of the screen's brightest pixels, above this share of them. */
const BRIGHT_SHARE = 0.8;
/** The similarity, in medians of the border's distances from the key. */
const NOISE_TAIL = 2.2;
const MARGIN = 0.005;
/** Border pixels looked at, at most (a grid over a larger border). */
const MAX_SAMPLES = 20_000;

/** A screen asked for by its colour (the presets) is looked for this far from it in CbCr. */
const NEAR_RADIUS = 0.2;
/**
 * The settings for the screen in this frame, or null when its border shows no coloured screen
 * (or, with `near`, none of about that colour: a preset — green or blue — says which to look for).
 */
export function autoKey(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, near?: readonly [number, number, number]): ChromaKeySettings | null {
  const band = Math.max(2, Math.round(BORDER * Math.min(width, height)));
  // The border's colours are statistics: a sample on a grid is enough for a large frame (and
  // this runs before its first keyed frame shows).
  const area = width * height - Math.max(0, width - 2 * band) * Math.max(0, height - 2 * band);
  const step = Math.max(1, Math.ceil(Math.sqrt(area / MAX_SAMPLES)));
  const border: number[] = [];
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) if (y < band || y >= height - band || x < band || x >= width - band) border.push(y * width + x);
  }
  const cbcr = border.map((i) => chroma(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!));
  const histogram = new Uint32Array(BINS * BINS);
  const bin = (v: number) => Math.min(BINS - 1, Math.max(0, Math.floor(v * BINS)));
  for (const [cb, cr] of cbcr) histogram[bin(cb) * BINS + bin(cr)]!++;
  const [nearCb, nearCr] = near ? chroma(...near) : [0, 0];
  let peak = -1;
  for (let i = 0; i < histogram.length; i++) {
    const cb = (Math.floor(i / BINS) + 0.5) / BINS;
    const cr = ((i % BINS) + 0.5) / BINS;
    if (Math.hypot(cb - 0.5, cr - 0.5) < MIN_SATURATION) continue;
    if (near && Math.hypot(cb - nearCb, cr - nearCr) > NEAR_RADIUS) continue;
    if (peak < 0 || histogram[i]! > histogram[peak]!) peak = i;
  }
  if (peak < 0 || histogram[peak] === 0) return null;
  const peakCb = (Math.floor(peak / BINS) + 0.5) / BINS;
  const peakCr = ((peak % BINS) + 0.5) / BINS;

  // The screen's pixels in the border: those of the fullest histogram cell's colour at any
  // brightness (the screen in shadow is the same colour scaled down).
  const peakPixels = border.filter((_, j) => Math.abs(cbcr[j]![0] - peakCb) <= 1.5 / BINS && Math.abs(cbcr[j]![1] - peakCr) <= 1.5 / BINS);
  const peakColor = meanColor(rgba, peakPixels);
  const [screenCb, screenCr] = chroma(...peakColor).map((c) => c - 0.501961) as [number, number];
  const peakLuma = luma(...peakColor);
  const screen = border.filter((i, j) => {
    const scale = luma(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!) / peakLuma;
    return Math.hypot(cbcr[j]![0] - 0.501961 - scale * screenCb, cbcr[j]![1] - 0.501961 - scale * screenCr) < SCREEN_RADIUS;
  });
  // The key is the screen where it is brightest, so its shadows fall within the key's SHADOW range.
  const lumas = screen.map((i) => luma(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!));
  const bright = [...lumas].sort((a, b) => a - b)[Math.floor(lumas.length * BRIGHT_SHARE)]!;
  const keyColor = meanColor(rgba, screen.filter((_, j) => lumas[j]! >= bright));

  // The border is mostly screen: its median distance from the key is the screen's noise, and
  // the similarity is set where that noise ends (a few times the median: the tail of a 2-D
  // noise's distance), measured as the key measures (box-filtered, at each pixel's brightness).
  const spread = borderDistances(rgba, width, height, band, keyColor).sort();
  const median = spread[Math.floor(spread.length / 2)]!;
  return { keyColor, similarity: NOISE_TAIL * median + MARGIN, smoothness: SMOOTHNESS, spill: SPILL };
}

/**
 * The key's distances over the border band only, its four strips keyed each on its own: a fifth
 * of the work of the whole frame (this runs before the first keyed frame shows). A strip's inner
 * edge sees no further in, which does not move a median.
 */
function borderDistances(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, band: number, keyColor: readonly [number, number, number]): Float32Array {
  const strips = [
    { x: 0, y: 0, w: width, h: band },
    { x: 0, y: height - band, w: width, h: band },
    { x: 0, y: band, w: band, h: height - 2 * band },
    { x: width - band, y: band, w: band, h: height - 2 * band },
  ].filter((strip) => strip.w > 0 && strip.h > 0);
  const distances = new Float32Array(strips.reduce((sum, { w, h }) => sum + w * h, 0));
  let at = 0;
  for (const { x, y, w, h } of strips) {
    const strip = new Uint8ClampedArray(w * h * 4);
    for (let row = 0; row < h; row++) strip.set(rgba.subarray(((y + row) * width + x) * 4, ((y + row) * width + x + w) * 4), row * w * 4);
    distances.set(keyDistances(strip, w, h, keyColor), at);
    at += w * h;
  }
  return distances;
}

function meanColor(rgba: Uint8Array | Uint8ClampedArray, pixels: number[]): [number, number, number] {
  const sum = [0, 0, 0];
  for (const i of pixels) for (let c = 0; c < 3; c++) sum[c]! += rgba[i * 4 + c]!;
  return sum.map((v) => Math.round(v / Math.max(1, pixels.length))) as [number, number, number];
}
