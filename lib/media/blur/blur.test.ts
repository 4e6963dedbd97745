import { describe, expect, it } from 'vitest';
import { maskAlpha } from './blur';

const alphaOf = (rgba: Uint8ClampedArray) => [...rgba].filter((_, i) => i % 4 === 3);

describe('the person mask as alpha', () => {
  it('blurs a pixel that is surely background, keeps one surely the person, and gives the edge between a soft ramp', () => {
    const alpha = new Uint8ClampedArray(5 * 4);
    maskAlpha(Float32Array.of(0, 0.25, 0.5, 0.75, 1), null, alpha);
    expect(alphaOf(alpha)).toEqual([0, 0, 128, 255, 255]);
  });

  it('follows a changing mask most of the way each frame, so an edge that flickers is calmed', () => {
    const alpha = new Uint8ClampedArray(4);
    let held = maskAlpha(Float32Array.of(1), null, alpha);
    expect(alphaOf(alpha)).toEqual([255]);
    // The model loses the pixel for one frame: it fades rather than vanishing...
    held = maskAlpha(Float32Array.of(0), held, alpha);
    expect(held[0]).toBeCloseTo(0.3, 5);
    expect(alphaOf(alpha)[0]).toBe(26);
    // ...and is back at once when found again.
    held = maskAlpha(Float32Array.of(1), held, alpha);
    expect(held[0]).toBeCloseTo(0.79, 5);
    expect(alphaOf(alpha)).toEqual([255]);
  });
});
