import { describe, expect, it } from 'vitest';
import { autoKey } from './auto-key';
import { chroma, keyFrame, keyRamp, type ChromaKeySettings } from './key';
import { KEY_PRESETS, keyForColour } from './presets';
import { noise, screenScene } from './test-scene';

/** OBS's defaults for a green screen. */
const OBS_GREEN_SCREEN: ChromaKeySettings = { keyColor: [0, 255, 0], similarity: 0.4, smoothness: 0.08, spill: 0.1 };

const W = 320;
const H = 200;

const scene = (screen: readonly [number, number, number], seed = 7) => screenScene(screen, W, H, seed);

/** Whether pixel i lies more than 2 px from the foreground's edge. */
function awayFromEdge(foreground: Uint8Array, i: number): boolean {
  const x = i % W;
  const y = Math.floor(i / W);
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const nx = Math.min(W - 1, Math.max(0, x + dx));
      const ny = Math.min(H - 1, Math.max(0, y + dy));
      if (foreground[ny * W + nx] !== foreground[i]) return false;
    }
  }
  return true;
}

/** Share of pixels away from the edge that the key gets right (kept: alpha ≥ 128). */
function accuracy(keyed: Uint8ClampedArray, foreground: Uint8Array): number {
  let counted = 0;
  let right = 0;
  for (let i = 0; i < foreground.length; i++) {
    if (!awayFromEdge(foreground, i)) continue;
    counted++;
    if ((keyed[i * 4 + 3]! >= 128 ? 1 : 0) === foreground[i]) right++;
  }
  return right / counted;
}

describe('chroma key (CbCr distance, smoothness, spill)', () => {
  it('measures colour in CbCr: grey sits in the middle, green and blue far from it and from each other', () => {
    const [greyCb, greyCr] = chroma(128, 128, 128);
    expect(greyCb).toBeCloseTo(0.502, 2);
    expect(greyCr).toBeCloseTo(0.502, 2);
    const green = chroma(0, 255, 0);
    const blue = chroma(0, 0, 255);
    expect(Math.hypot(green[0] - 0.5, green[1] - 0.5)).toBeGreaterThan(0.5);
    expect(Math.hypot(green[0] - blue[0], green[1] - blue[1])).toBeGreaterThan(0.5);
    // Luma does not move it: a darker grey is the same chroma.
    expect(chroma(40, 40, 40)[0]).toBeCloseTo(greyCb, 5);
  });

  it('keys up to the similarity, ramps over the smoothness, and desaturates over the spill range', () => {
    const settings = { similarity: 0.3, smoothness: 0.1, spill: 0.2 };
    expect(keyRamp(0.2, settings)).toEqual({ alpha: 0, saturation: 0 });
    expect(keyRamp(0.35, settings).alpha).toBeCloseTo(0.5 ** 1.5, 5);
    expect(keyRamp(0.4, settings).alpha).toBe(1);
    expect(keyRamp(0.4, settings).saturation).toBeCloseTo(0.5 ** 1.5, 5);
    expect(keyRamp(0.6, settings)).toEqual({ alpha: 1, saturation: 1 });
  });

  it("a fixed similarity (OBS's default, 0.40) does not fit this screen: it keys the dark green shirt too", () => {
    const { rgba, foreground } = scene([40, 200, 60]);
    const keyed = new Uint8ClampedArray(rgba.length);
    keyFrame(rgba, W, H, { ...OBS_GREEN_SCREEN, keyColor: [40, 200, 60] }, keyed);
    expect(accuracy(keyed, foreground)).toBeLessThan(0.995);
  });

  for (const [name, screen] of [
    ['green', [40, 200, 60]],
    ['blue', [30, 70, 210]],
  ] as const) {
    for (const seed of [1, 2, 3]) {
      it(`auto-key finds a ${name} screen and keys it cleanly with no slider touched (noise ${seed})`, () => {
        const { rgba, foreground } = scene(screen, seed);
        const settings = autoKey(rgba, W, H)!;
        expect(settings).not.toBeNull();
        // The key colour is the screen's, at its brightest.
        const [cb, cr] = chroma(...settings.keyColor);
        const [screenCb, screenCr] = chroma(screen[0], screen[1], screen[2]);
        expect(Math.hypot(cb - screenCb, cr - screenCr)).toBeLessThan(0.02);
        const keyed = new Uint8ClampedArray(rgba.length);
        keyFrame(rgba, W, H, settings, keyed);
        expect(accuracy(keyed, foreground)).toBeGreaterThanOrEqual(0.995);
        // The 1-px hair lines over the screen stay (they are all within 2 px of an edge, so
        // outside the count above).
        const hair = [35, 45, 105].flatMap((y) => [120, 124, 200].map((x) => keyed[(y * W + x) * 4 + 3]!));
        expect(Math.min(...hair)).toBeGreaterThanOrEqual(128);
        // Spill: in the foreground's edge band the screen's colour is gone, not a fringe.
        let excess = 0;
        let band = 0;
        const keyChannel = name === 'green' ? 1 : 2;
        for (let i = 0; i < foreground.length; i++) {
          if (!foreground[i] || awayFromEdge(foreground, i) || keyed[i * 4 + 3]! < 128) continue;
          const others = [0, 1, 2].filter((c) => c !== keyChannel).map((c) => keyed[i * 4 + c]!);
          excess += Math.max(0, keyed[i * 4 + keyChannel]! - Math.max(...others));
          band++;
        }
        expect(excess / band).toBeLessThan(12);
      });
    }
  }

  it('lays the person over a background colour, opaque', () => {
    const { rgba, foreground } = scene([40, 200, 60]);
    const out = new Uint8ClampedArray(rgba.length);
    keyFrame(rgba, W, H, autoKey(rgba, W, H)!, out, [255, 0, 255]);
    const at = (x: number, y: number) => [...out.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)];
    expect(at(10, 10)).toEqual([255, 0, 255, 255]);
    expect(at(300, 190)).toEqual([255, 0, 255, 255]);
    // The face keeps its colour (±8 levels of the scene's noise).
    const face = at(160, 80);
    [224, 172, 140].forEach((c, i) => expect(Math.abs(face[i]! - c)).toBeLessThanOrEqual(8));
    expect(face[3]).toBe(255);
    expect(foreground[80 * W + 160]).toBe(1);
  });

  it('leaves no rim of screen colour where a hard edge mixes the person and the screen', () => {
    // Screen on the left, skin on the right, and between them one column half of each (what a
    // camera's 4:2:0 chroma makes of a sharp edge).
    const rgba = new Uint8ClampedArray(W * H * 4);
    const screen = [40, 200, 60];
    const skin = [224, 172, 140];
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      const colour = x < 160 ? screen : x > 160 ? skin : screen.map((c, k) => (c + skin[k]!) / 2);
      rgba.set([...colour, 255], i * 4);
    }
    const out = new Uint8ClampedArray(rgba.length);
    keyFrame(rgba, W, H, { keyColor: [40, 200, 60], similarity: 0.02, smoothness: 0.015, spill: 0.04 }, out, [255, 0, 255]);
    const edge = [...out.subarray((100 * W + 160) * 4, (100 * W + 160) * 4 + 3)];
    // Kept (the mix is far from the screen's colour), but without the screen's green in it.
    expect(edge[1]! - Math.max(edge[0]!, edge[2]!)).toBeLessThan(10);
    // The skin beside it is untouched.
    expect([...out.subarray((100 * W + 170) * 4, (100 * W + 170) * 4 + 3)]).toEqual(skin);
  });

  it('lays the person over a picture, pixel for pixel', () => {
    const { rgba } = scene([40, 200, 60]);
    const picture = new Uint8ClampedArray(W * H * 4);
    for (let i = 0; i < W * H; i++) picture.set([i % W, 100, 255 - (i % W) / 2, 255], i * 4);
    const out = new Uint8ClampedArray(rgba.length);
    keyFrame(rgba, W, H, autoKey(rgba, W, H)!, out, picture);
    for (const [x, y] of [[10, 10], [300, 20], [50, 190]] as const) {
      const at = (y * W + x) * 4;
      expect([...out.subarray(at, at + 4)]).toEqual([...picture.subarray(at, at + 4)]);
    }
  });

  it('finds no screen in a frame without one (a grey room): nothing is keyed', () => {
    const rgba = new Uint8ClampedArray(W * H * 4);
    const rand = noise(3);
    for (let i = 0; i < W * H; i++) {
      const v = 120 + rand() * 30;
      rgba.set([v, v, v + 4, 255], i * 4);
    }
    expect(autoKey(rgba, W, H)).toBeNull();
  });
});

describe('presets and picking the screen by hand', () => {
  /** A green screen on the left three fifths, a blue curtain on the rest. */
  function twoScreens(): Uint8ClampedArray {
    const rgba = new Uint8ClampedArray(W * H * 4);
    const rand = noise(9);
    for (let i = 0; i < W * H; i++) {
      const colour = i % W < W * 0.6 ? [40, 200, 60] : [30, 70, 210];
      rgba.set([...colour.map((c) => c + rand() * 16), 255], i * 4);
    }
    return rgba;
  }
  const distanceFrom = (key: ChromaKeySettings, colour: readonly [number, number, number]) => {
    const [cb, cr] = chroma(...key.keyColor);
    const [otherCb, otherCr] = chroma(...colour);
    return Math.hypot(cb - otherCb, cr - otherCr);
  };

  it('a preset says which screen to key: green or blue, of two in the picture', () => {
    const rgba = twoScreens();
    expect(distanceFrom(autoKey(rgba, W, H)!, [40, 200, 60])).toBeLessThan(0.02);
    expect(distanceFrom(autoKey(rgba, W, H, KEY_PRESETS.green)!, [40, 200, 60])).toBeLessThan(0.02);
    expect(distanceFrom(autoKey(rgba, W, H, KEY_PRESETS.blue)!, [30, 70, 210])).toBeLessThan(0.02);
  });

  it('a preset finds nothing where there is no screen of its colour', () => {
    expect(autoKey(scene([40, 200, 60]).rgba, W, H, KEY_PRESETS.blue)).toBeNull();
  });

  it('a colour picked by hand becomes the key, and the sliders already set stay', () => {
    expect(keyForColour([10, 180, 40], null)).toMatchObject({ keyColor: [10, 180, 40] });
    const set = { keyColor: [0, 0, 255] as [number, number, number], similarity: 0.2, smoothness: 0.05, spill: 0.3 };
    expect(keyForColour([10, 180, 40], set)).toEqual({ ...set, keyColor: [10, 180, 40] });
  });
});
