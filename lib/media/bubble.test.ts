import { describe, expect, it } from 'vitest';
import { bubbleRect } from './bubble';

describe('where the camera bubble goes', () => {
  it('sits in the corner chosen, 4 % of the height in from both edges', () => {
    const placement = { size: 'medium', shape: 'circle', mirror: false } as const;
    expect(bubbleRect(1280, 720, { ...placement, corner: 'bottom-right' })).toEqual({ x: 1280 - 29 - 202, y: 720 - 29 - 202, w: 202, h: 202 });
    expect(bubbleRect(1280, 720, { ...placement, corner: 'top-left' })).toEqual({ x: 29, y: 29, w: 202, h: 202 });
    expect(bubbleRect(1280, 720, { ...placement, corner: 'top-right' })).toMatchObject({ x: 1280 - 29 - 202, y: 29 });
    expect(bubbleRect(1280, 720, { ...placement, corner: 'bottom-left' })).toMatchObject({ x: 29, y: 720 - 29 - 202 });
  });

  it('is a square for a circle and 4:3 for a rounded rectangle, sized by the picture height', () => {
    const at = { corner: 'top-left', mirror: true } as const;
    expect(bubbleRect(1920, 1080, { ...at, size: 'small', shape: 'circle' })).toMatchObject({ w: 216, h: 216 });
    expect(bubbleRect(1920, 1080, { ...at, size: 'large', shape: 'rounded' })).toMatchObject({ w: 547, h: 410 });
  });
});
