import type { Page } from 'puppeteer';
import { describe, expect, it } from 'vitest';
import { CAMERA_SIZE, FIXTURES } from './fixtures';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, frameRgb } from './media';
import { stopFromPopup, useStudio } from './session';
import { openStudio, showUnmirrored, snap } from './studio-helpers';
import { waitUntil } from './wait';

/** Regions of the portrait clip (640×360): the flag's stripes at the left, the model shuttle at the right, the face. */
type Region = { x: number; y: number; width: number; height: number };
const FLAG: Region = { x: 0, y: 20, width: 100, height: 320 };
const SHUTTLE: Region = { x: 450, y: 40, width: 120, height: 260 };
const FACE: Region = { x: 240, y: 70, width: 90, height: 120 };
/** The flag and the grey backdrop beside it, above the shoulder. */
const LEFT: Region = { x: 0, y: 0, width: 180, height: 240 };

type Picture = { width: number; data: Uint8Array; channels: number };

/** How much the picture changes from one pixel to the next in a region (mean over RGB, both directions): blur takes it away. */
function detail(picture: Picture, region: Region): number {
  const { width, data, channels } = picture;
  let sum = 0;
  let count = 0;
  for (let y = region.y; y < region.y + region.height - 1; y++) {
    for (let x = region.x; x < region.x + region.width - 1; x++) {
      const at = (y * width + x) * channels;
      for (let c = 0; c < 3; c++) {
        sum += Math.abs(data[at + c]! - data[at + channels + c]!) + Math.abs(data[at + c]! - data[at + width * channels + c]!);
        count += 2;
      }
    }
  }
  return sum / count;
}

/** The mean colour of a region. */
function meanColour(picture: Picture, region: Region): number[] {
  const sum = [0, 0, 0];
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) for (let c = 0; c < 3; c++) sum[c]! += picture.data[(y * picture.width + x) * picture.channels + c]!;
  }
  return sum.map((v) => v / (region.width * region.height));
}

/** The mean difference between two pictures over a region, per channel. */
function difference(a: Picture, b: Picture, region: Region): number {
  let sum = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[(y * a.width + x) * a.channels + c]! - b.data[(y * b.width + x) * b.channels + c]!);
    }
  }
  return sum / (region.width * region.height * 3);
}

/** A frame of a video at the camera's size (RGB). */
const cameraFrame = (file: string, seconds: number): Picture => ({ width: CAMERA_SIZE.width, data: frameRgb(file, seconds, CAMERA_SIZE.width, CAMERA_SIZE.height), channels: 3 });

/** A snapshot as the Library keeps it (PNG, RGBA). */
async function snapshotPicture(page: Page, id: string): Promise<Picture> {
  const base64 = await page.evaluate(async (itemId) => {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('snapshots');
    const bitmap = await createImageBitmap(await (await folder.getFileHandle(`${itemId}.png`)).getFile());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return btoa(text);
  }, id);
  return { width: CAMERA_SIZE.width, data: new Uint8Array(Buffer.from(base64, 'base64')), channels: 4 };
}

describe('a blurred background (no green screen)', () => {
  const session = useStudio('devices', { cameraClip: FIXTURES.personVideo, windowSize: { width: 1200, height: 900 } });

  it('finds the person in the picture and blurs the room behind them, the person left sharp, in the preview and in snapshots', async () => {
    const source = cameraFrame(FIXTURES.personVideo, 0);
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await showUnmirrored(page);
    const plain = await snapshotPicture(page, await snap(page));
    // Before: the snapshot is the camera's picture, flag and shuttle sharp.
    expect(difference(plain, source, FLAG)).toBeLessThan(8);
    await page.select('select[data-setting="backdrop"]', 'blur');
    await page.click('input[data-setting="background"]');
    await waitUntil(page, 'the blur to be explained', () => document.querySelector('[data-testid="blur-hint"]'));
    // No screen to find: the key's controls are not offered.
    expect(await page.$('[data-testid="key-found"]')).toBeNull();

    // Snapshots until the blur shows (the model loads with the first frame it blurs), 15 s at most.
    const deadline = Date.now() + 15_000;
    let blurred = plain;
    while (detail(blurred, FLAG) > 0.5 * detail(source, FLAG) && Date.now() < deadline) blurred = await snapshotPicture(page, await snap(page));
    const figures = {
      flag: [detail(source, FLAG), detail(blurred, FLAG)],
      shuttle: [detail(source, SHUTTLE), detail(blurred, SHUTTLE)],
      face: [detail(source, FACE), detail(blurred, FACE), difference(blurred, source, FACE)],
    };
    // The room behind loses most of its detail...
    expect(detail(blurred, FLAG), `the flag blurred (${JSON.stringify(figures)})`).toBeLessThan(0.4 * detail(source, FLAG));
    expect(detail(blurred, SHUTTLE), `the shuttle blurred (${JSON.stringify(figures)})`).toBeLessThan(0.5 * detail(source, SHUTTLE));
    // ...but keeps its colours, the flag's red and blue spread into the grey beside it (blurred,
    // not replaced): over the left of the picture, the mean colour stays.
    const [before, after] = [meanColour(source, LEFT), meanColour(blurred, LEFT)];
    before.forEach((value, c) => expect(Math.abs(after[c]! - value), `the mean colour at the left (${after} against ${before})`).toBeLessThan(10));
    // ...and the person is left as they are.
    expect(detail(blurred, FACE), `the face sharp (${JSON.stringify(figures)})`).toBeGreaterThan(0.85 * detail(source, FACE));
    expect(difference(blurred, source, FACE), `the face unchanged (${JSON.stringify(figures)})`).toBeLessThan(6);
    await page.close();
  });
});

describe('a blurred background in a camera recording', () => {
  // Camera access granted in the profile, as after "Allow".
  const session = useStudio('devices', { cameraClip: FIXTURES.personVideo, grantMedia: true });

  it('records the person sharp before their room blurred, in the offscreen document', async () => {
    const options = await session.studio.openPage(session.studio.url('options.html'));
    await options.waitForSelector('select[data-setting="backdrop"]');
    await options.select('select[data-setting="backdrop"]', 'blur');
    await options.click('input[data-setting="background"]');
    await waitUntil(options, 'the setting to be kept', async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings?: { background?: { enabled: boolean; backdrop: string } } };
      return settings?.background?.enabled && settings.background.backdrop === 'blur';
    });
    await options.close();

    const page = await session.studio.openPage(session.pages.url('animated.html'));
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="record-camera"]');
    await session.studio.waitForState('the recording to start', (s) => s.status === 'recording', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const done = await stopFromPopup(session, page);
    expect(done.error).toBeNull();
    const { file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    expect(decodeErrors(file)).toBe('');
    const source = cameraFrame(FIXTURES.personVideo, 0);
    const recorded = cameraFrame(file, 2);
    const figures = JSON.stringify({ flag: [detail(source, FLAG), detail(recorded, FLAG)], face: [detail(source, FACE), detail(recorded, FACE)] });
    // The encoder softens everything a little; the room loses far more than the person.
    expect(detail(recorded, FLAG), `the flag blurred (${figures})`).toBeLessThan(0.45 * detail(source, FLAG));
    expect(detail(recorded, FACE), `the face sharp (${figures})`).toBeGreaterThan(0.7 * detail(source, FACE));
    expect(difference(recorded, source, FACE), `the face as it is (${figures})`).toBeLessThan(10);
  });
});
