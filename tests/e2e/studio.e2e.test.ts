import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './fixtures';
import { launchStudio, type Studio } from './harness';
import { startPageServer } from './page-server';
import { saveEvidenceOnFailure, useStudio } from './session';
import { chooseFilters, expectColourNear, openStudio, previewColours, previewSettings, savedPicture, showUnmirrored, snap, type Rgb } from './studio-helpers';
import { waitUntil } from './wait';

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
  actual.forEach((colour, i) => expectColourNear(colour, expected[i]!, tolerance, `${what}, patch ${i}`));
}

describe('the camera Studio', () => {
  const session = useStudio('devices', { cameraClip: FIXTURES.patchesVideo, windowSize: { width: 1200, height: 900 } });

  it('snaps through the filters with the colours the filters promise, at the camera’s full resolution', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    // Not mirrored, so the patches are where the clip has them.
    await showUnmirrored(page);
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

  it('takes bursts, an all-filters sheet, and answers Space and the arrow keys', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await chooseFilters(page, []);
    const count = () => page.$$eval('[data-testid="shots"] li', (items) => items.length);
    await page.select('select[data-setting="burst"]', '3');
    const before = await count();
    await page.click('[data-action="snap"]');
    await waitUntil(page, 'three shots from one press', (n) => document.querySelectorAll('[data-testid="shots"] li').length === n + 3, before);
    await page.select('select[data-setting="burst"]', '1');
    // The keyboard (focus on the page, not in a control): Space snaps once; → and ← step through single filters.
    await page.click('h1');
    await page.keyboard.press('Space');
    await waitUntil(page, 'one shot from Space', (n) => document.querySelectorAll('[data-testid="shots"] li').length === n + 4, before);
    await waitUntil(page, 'the shot saved', () => !(document.querySelector('[data-action="snap"]') as HTMLButtonElement).disabled);
    expect(await count()).toBe(before + 4);
    const previewFilter = () => page.$eval('video[data-testid="preview"]', (v) => (v as HTMLElement).style.filter);
    await page.keyboard.press('ArrowRight');
    await waitUntil(page, 'the first filter', () => (document.querySelector('video[data-testid="preview"]') as HTMLElement).style.filter === 'blur(5px)');
    await page.keyboard.press('ArrowRight');
    await waitUntil(page, 'the second filter', () => (document.querySelector('video[data-testid="preview"]') as HTMLElement).style.filter === 'brightness(0.5)');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await waitUntil(page, 'no filter', () => ['none', ''].includes((document.querySelector('video[data-testid="preview"]') as HTMLElement).style.filter));
    expect(['none', '']).toContain(await previewFilter());
    // "All filters": one picture, the shot through each of the eleven and none, four across.
    const sheetId = await snap(page, 'snap-sheet');
    expect(await page.$eval(`[data-testid="shots"] li[data-item-id="${sheetId}"] img`, (i) => (i as HTMLImageElement).alt)).toBe('All filters');
    const sheet = await savedPicture(page, sheetId, [[10, 10]]);
    expect({ width: sheet.width, height: sheet.height }).toEqual({ width: 4 * (480 + 8) + 8, height: 3 * (270 + 36 + 8) + 8 });
    await page.close();
  });

  it('says so when the camera chosen last time is gone, and uses another', async () => {
    await (await session.studio.serviceWorker()).evaluate(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings?: { camera?: object } };
      await chrome.storage.local.set({ settings: { ...settings, camera: { ...settings?.camera, deviceId: 'unplugged-usb-camera' } } });
    });
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await waitUntil(page, 'the fallback notice', () => document.querySelector('.notice-info .notice-message')?.textContent?.startsWith('The camera chosen last time is not connected'));
    expect((await previewSettings(page)).width).toBe(640);
    await page.select('select[data-setting="camera"]', '');
    await page.close();
  });

  it('saves what the preview shows, for filters combined', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await chooseFilters(page, ['contrast', 'hue-rotate', 'sepia']);
    const shown = await previewColours(page, PATCH_CENTRES);
    const saved = await savedPicture(page, await snap(page), PATCH_CENTRES);
    expectClose(saved.colours, shown, 10, 'saved against shown');
    await chooseFilters(page, []);
    await page.close();
  });

  it('says honestly when the camera cannot give the resolution asked for', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await page.select('select[data-setting="resolution"]', '1080p');
    await waitUntil(page, 'the asked-for and obtained sizes', () => document.querySelector('[data-testid="asked-vs-got"]')?.textContent?.includes('1920×1080'));
    expect(await page.$eval('[data-testid="asked-vs-got"]', (e) => e.textContent)).toMatch(/^Asked for 1920×1080 · 30 fps; the camera gives 640×360 · \d+ fps\.$/);
    expect(await previewSettings(page)).toMatchObject({ width: 640, height: 360 });
    expect(await page.$eval('[data-fact="width"] [data-field="obtained"]', (e) => e.textContent)).toBe('640 px');
    await page.select('select[data-setting="resolution"]', '720p');
    await page.close();
  });

  it('says the device has no back camera, and keeps the preview running', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    const before = await previewSettings(page);
    await page.click('[data-action="facing-environment"]');
    await page.waitForSelector('.notice-error', { timeout: 10_000 });
    expect(await page.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/^This device has no such camera/);
    expect(await page.$eval('.notice-error .notice-detail', (e) => e.textContent)).toContain('facingMode');
    // Still the same camera, still playing.
    expect((await previewSettings(page)).deviceId).toBe(before.deviceId);
    const t0 = await page.$eval('video[data-testid="preview"]', (v) => (v as HTMLVideoElement).currentTime);
    await waitUntil(page, 'the preview to keep playing', (from) => (document.querySelector('video[data-testid="preview"]') as HTMLVideoElement).currentTime > from + 0.3, t0);
    expect(await page.$eval('video[data-testid="preview"]', (v) => ((v as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.readyState)).toBe('live');
    await page.close();
  });
});

describe('the Studio with two cameras', () => {
  const session = useStudio('two-cameras', { windowSize: { width: 1200, height: 900 }, grantMedia: true });

  it('switches camera without stopping, remembers the choice, and gets the resolutions it asks for', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await waitUntil(page, 'two cameras in the picker', () => document.querySelectorAll('select[data-setting="camera"] option').length === 3);
    const ids = await page.$$eval('select[data-setting="camera"] option', (options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const first = (await previewSettings(page)).deviceId;
    const other = ids.find((id) => id !== first)!;
    await page.select('select[data-setting="camera"]', other);
    await waitUntil(page, 'the other camera in the preview', (id) => ((document.querySelector('video[data-testid="preview"]') as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.getSettings().deviceId === id, other);
    // The choice survives a reload.
    await page.reload();
    await openStudio(page);
    expect((await previewSettings(page)).deviceId).toBe(other);
    expect(await page.$eval('select[data-setting="camera"]', (s) => (s as HTMLSelectElement).value)).toBe(other);
    // Chromium's fake cameras deliver up to 720p: those presets are met exactly…
    for (const [preset, width, height] of [['360p', 640, 360], ['720p', 1280, 720]] as const) {
      await page.select('select[data-setting="resolution"]', preset);
      await waitUntil(page, `the preview at ${preset}`, (w) => ((document.querySelector('video[data-testid="preview"]') as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.getSettings().width === w, width);
      expect(await previewSettings(page)).toMatchObject({ width, height });
    }
    // …and for 4K the page says what it asked for and what it got, in the camera's own figures.
    await page.select('select[data-setting="resolution"]', '4k');
    await waitUntil(page, 'the asked-for and obtained sizes', () => document.querySelector('[data-testid="asked-vs-got"]')?.textContent?.includes('3840×2160'));
    const got = await previewSettings(page);
    expect(got.width).toBeLessThan(3840);
    expect(await page.$eval('[data-testid="asked-vs-got"]', (e) => e.textContent)).toContain(`the camera gives ${got.width}×${got.height}`);
    await page.close();
  });
});

describe('a snapshot of the tab, and the gallery', () => {
  const profile = mkdtempSync(path.join(tmpdir(), 'studio-gallery-profile-'));
  let studio: Studio | null = null;
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  beforeAll(async () => {
    pages = await startPageServer();
    studio = await launchStudio('none', { profileDir: profile });
  });
  saveEvidenceOnFailure(() => studio);
  afterAll(async () => {
    await studio?.close();
    await pages?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('takes one frame of the tab into the Library, keeps it across a browser restart, and frees its bytes on delete', async () => {
    const page = await studio!.openPage(pages.url('patches.html'));
    const popup = await studio!.openPopup(page);
    await popup.click('[data-action="snapshot-tab"]');
    let library = await studio!.waitForPage('the Library opened on the snapshot', (u) => u.startsWith(studio!.url('library.html#')));
    const id = decodeURIComponent(new URL(library.url()).hash.slice(1));
    await library.waitForSelector(`img[data-testid="viewer"][data-item-id="${id}"]`, { timeout: 10_000 });
    const size = await library.evaluate(async (itemId) => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('snapshots');
      const bitmap = await createImageBitmap(await (await folder.getFileHandle(`${itemId}.png`)).getFile());
      return { width: bitmap.width, height: bitmap.height };
    }, id);
    const quarters = [
      [size.width / 4, size.height / 4],
      [(3 * size.width) / 4, size.height / 4],
      [size.width / 4, (3 * size.height) / 4],
      [(3 * size.width) / 4, (3 * size.height) / 4],
    ].map(([x, y]) => [Math.round(x!), Math.round(y!)] as [number, number]);
    const picture = await savedPicture(library, id, quarters);
    // Tab capture passes through 4:2:0 video, which moves pure colours by a few tens of levels.
    expectClose(picture.colours, [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]], 40, 'the page’s quarters');

    // A second photo, then the browser closes and starts again: both are in the gallery.
    const second = await studio!.openPopup(page);
    await second.click('[data-action="snapshot-tab"]');
    await studio!.waitForPage('the Library opened on the second snapshot', (u) => u.startsWith(studio!.url('library.html#')) && !u.endsWith(encodeURIComponent(id)));
    await studio!.close();
    studio = await launchStudio('none', { profileDir: profile });
    library = await studio.openPage(studio.url('library.html'));
    await library.waitForSelector('[data-filter="snapshot"]', { timeout: 10_000 });
    await library.click('[data-filter="snapshot"]');
    await library.waitForSelector(`[data-recording-id="${id}"]`, { timeout: 10_000 });
    const photos = await library.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-recording-id')!));
    expect(photos).toHaveLength(2);

    // Download as JPEG: a real JPEG, named for the photo and its time.
    for (const old of readdirSync(studio.downloads)) rmSync(path.join(studio.downloads, old), { force: true });
    await library.select(`[data-recording-id="${id}"] select[data-action="download-as"]`, 'jpeg');
    const jpeg = await studio.waitForDownload();
    expect(path.basename(jpeg)).toMatch(/^Photo · 127\.0\.0\.1 \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}\.jpg$/);
    expect([...readFileSync(jpeg).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

    // Deleting both at once removes their bytes.
    const usage = () => library.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    const before = await usage();
    for (const photo of photos) await library.click(`[data-recording-id="${photo}"] input[data-action="select"]`);
    library.once('dialog', (dialog) => void dialog.accept());
    await library.click('[data-action="delete-selected"]');
    await waitUntil(library, 'the deleted photos to go', () => document.querySelectorAll('.card').length === 0);
    const left = await library.evaluate(async () => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('snapshots');
      const names: string[] = [];
      for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      return names;
    });
    expect(left).toEqual([]);
    expect(await usage()).toBeLessThan(before);
  });
});
