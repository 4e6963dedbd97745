import { describe, expect, it } from 'vitest';
import { fitInto, gridCell } from './compose';

describe('the grid of a recorded call', () => {
  it('puts one person full size, two side by side, three or four in a 2×2 grid', () => {
    expect(gridCell(0, 1, 1280, 720)).toEqual({ x: 0, y: 0, w: 1280, h: 720 });
    expect([0, 1].map((i) => gridCell(i, 2, 1280, 720))).toEqual([
      { x: 0, y: 0, w: 640, h: 720 },
      { x: 640, y: 0, w: 640, h: 720 },
    ]);
    expect([0, 1, 2, 3].map((i) => gridCell(i, 4, 1280, 720))).toEqual([
      { x: 0, y: 0, w: 640, h: 360 },
      { x: 640, y: 0, w: 640, h: 360 },
      { x: 0, y: 360, w: 640, h: 360 },
      { x: 640, y: 360, w: 640, h: 360 },
    ]);
    expect(gridCell(2, 3, 1280, 720)).toEqual({ x: 0, y: 360, w: 640, h: 360 });
  });

  it('fits each picture whole in its cell, centred', () => {
    // 16:9 into a tall half: full width, centred vertically.
    expect(fitInto(640, 360, { x: 640, y: 0, w: 640, h: 720 })).toEqual({ x: 640, y: 180, w: 640, h: 360 });
    // 4:3 into 16:9: full height, centred horizontally.
    expect(fitInto(640, 480, { x: 0, y: 0, w: 1280, h: 720 })).toEqual({ x: 160, y: 0, w: 960, h: 720 });
  });
});
