import { describe, expect, it } from 'vitest';
import { pointInPicture } from './picture-point';

describe('a click on a video, in its picture', () => {
  it('takes out the bars of a letterboxed picture', () => {
    // A 1280 × 720 picture in a 800 × 600 box: shown 800 × 450, bars of 75 px above and below.
    expect(pointInPicture({ x: 400, y: 300 }, { width: 800, height: 600 }, { width: 1280, height: 720 }, false)).toEqual({ x: 0.5, y: 0.5 });
    expect(pointInPicture({ x: 0, y: 75 }, { width: 800, height: 600 }, { width: 1280, height: 720 }, false)).toEqual({ x: 0, y: 0 });
    expect(pointInPicture({ x: 200, y: 30 }, { width: 800, height: 600 }, { width: 1280, height: 720 }, false)).toBeNull();
  });

  it('turns a mirrored picture back: a click on the left is the camera\'s right', () => {
    expect(pointInPicture({ x: 80, y: 300 }, { width: 800, height: 600 }, { width: 1280, height: 720 }, true)).toEqual({ x: 0.9, y: 0.5 });
  });

  it('has no point before the picture has a size', () => {
    expect(pointInPicture({ x: 1, y: 1 }, { width: 800, height: 600 }, { width: 0, height: 0 }, false)).toBeNull();
  });
});
