import { describe, expect, it } from 'vitest';
import { autoKey } from './auto-key';
import { keyFrame } from './key';
import { openSimdKey, simdKeyAvailable, type SimdKey } from './key-simd';
import { screenScene } from './test-scene';

/** The largest difference between two RGBA images, in levels, over all channels. */
function largestDifference(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}

describe('the key as WebAssembly SIMD', () => {
  it('runs here (Node and Chromium both have wasm SIMD)', () => {
    expect(simdKeyAvailable()).toBe(true);
  });

  // Widths not a multiple of 4 and odd heights: the SIMD rows' tails and the frame's edges.
  for (const [width, height] of [[320, 200], [318, 201], [97, 61]] as const) {
    for (const [name, screen] of [['green', [40, 200, 60]], ['blue', [30, 70, 210]]] as const) {
      it(`gives the JS key's output within 2 levels, ${name} screen at ${width}×${height}, over a colour, a picture and to transparent`, async () => {
        const simd = await openSimdKey();
        const { rgba } = screenScene(screen, width, height, 5);
        const settings = autoKey(rgba, width, height)!;
        const picture = new Uint8ClampedArray(width * height * 4);
        for (let i = 0; i < width * height; i++) picture.set([i % width, 100, 255 - ((i * 7) % 256), 255], i * 4);
        for (const behind of [[255, 0, 255] as const, picture, null]) {
          const reference = new Uint8ClampedArray(rgba.length);
          keyFrame(rgba, width, height, settings, reference, behind ?? undefined);
          simd.input(width, height).set(rgba);
          const keyed = simd.key(settings, behind);
          expect(largestDifference(keyed, reference)).toBeLessThanOrEqual(2);
        }
      });
    }
  }

  it('takes frames up to 4096 pixels wide and says so of a wider one (the engine chooser keys that with another)', async () => {
    const simd = await openSimdKey();
    expect(differenceOverBlack(simd, 4096, 12)).toBeLessThanOrEqual(2);
    expect(() => simd.input(4097, 2)).toThrow(/at most 4096 pixels wide/);
  });

  it('keys frames of a new size after frames of another (its memory laid out again)', async () => {
    const simd = await openSimdKey();
    for (const [width, height] of [[64, 40], [640, 400], [64, 40]] as const) expect(differenceOverBlack(simd, width, height), `${width}×${height}`).toBeLessThanOrEqual(2);
  });
});

/** A green-screen scene keyed over black by the SIMD key and by the JS key: their largest difference in levels. */
function differenceOverBlack(simd: SimdKey, width: number, height: number): number {
  const { rgba } = screenScene([40, 200, 60], width, height, 2);
  const settings = autoKey(rgba, width, height)!;
  const reference = new Uint8ClampedArray(rgba.length);
  keyFrame(rgba, width, height, settings, reference, [0, 0, 0]);
  simd.input(width, height).set(rgba);
  return largestDifference(simd.key(settings, [0, 0, 0]), reference);
}
