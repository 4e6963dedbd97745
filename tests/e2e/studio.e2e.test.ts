import { describe, expect, it } from 'vitest';
import { FIXTURES } from './fixtures';
import { useStudio } from './session';
import { chooseFilters, openStudio, savedPicture, snap, type Rgb } from './studio-helpers';

/** The patch clip: red, green, blue, light grey, left to right, 160 px each, 640×360. */
const PATCH_CENTRES: [number, number][] = [
  [80, 180],
  [240, 180],
  [400, 180],
  [560, 180],
];

const luminance = ([r, g, b]: Rgb) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
const clamp = (v: number) => Math.max(0, Math.min(255, v));
/** The Filter Effects spec's matrices, applied to the unfiltered colours the camera gave. */
const EXPECTED: Record<string, (c: Rgb) => Rgb> = {
  grayscale: (c) => [luminance(c), luminance(c), luminance(c)],
  invert: ([r, g, b]) => [255 - r, 255 - g, 255 - b],
  sepia: ([r, g, b]) => [
    clamp(0.393 * r + 0.769 * g + 0.189 * b),
    clamp(0.349 * r + 0.686 * g + 0.168 * b),
    clamp(0.272 * r + 0.534 * g + 0.131 * b),
  ],
  brightness: ([r, g, b]) => [r * 0.5, g * 0.5, b * 0.5],
};

function expectClose(actual: Rgb[], expected: Rgb[], tolerance: number, what: string) {
  actual.forEach((colour, i) => colour.forEach((v, c) => expect(Math.abs(v - expected[i]![c]!), `${what}, patch ${i}, channel ${c}: ${colour} vs ${expected[i]!.map(Math.round)}`).toBeLessThanOrEqual(tolerance)));
}

describe('the camera Studio', () => {
  const session = useStudio('devices', { cameraClip: FIXTURES.patchesVideo, windowSize: { width: 1200, height: 900 } });

  it('snaps through the filters with the colours the filters promise, at the camera’s full resolution', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    // Not mirrored, so the patches are where the clip has them.
    if (await page.$eval('input[data-setting="mirror"]', (e) => (e as HTMLInputElement).checked)) await page.click('input[data-setting="mirror"]');
    const obtained = await page.$eval('video[data-testid="preview"]', (v) => {
      const settings = ((v as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.getSettings();
      return { width: settings.width, height: settings.height };
    });

    await chooseFilters(page, []);
    const plain = await savedPicture(page, await snap(page), PATCH_CENTRES);
    expect({ width: plain.width, height: plain.height }).toEqual(obtained);
    expectClose(plain.colours, [[255, 0, 0], [0, 255, 0], [0, 0, 255], [192, 192, 192]], 12, 'the clip as it is');

    for (const filter of ['grayscale', 'invert', 'sepia', 'brightness'] as const) {
      await chooseFilters(page, [filter]);
      const shot = await savedPicture(page, await snap(page), PATCH_CENTRES);
      expectClose(shot.colours, plain.colours.map(EXPECTED[filter]!), 6, filter);
    }
    await page.close();
  });
});
