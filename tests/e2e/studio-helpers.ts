import { expect } from 'vitest';
import type { Page } from 'puppeteer';
import { FILTERS, filterCss, type FilterId } from '../../lib/media/filters';
import { waitUntil } from './wait';

export type Rgb = [number, number, number];

/** Each channel of a colour within `tolerance` levels of the one expected. */
export function expectColourNear(actual: Rgb, expected: Rgb, tolerance: number, what: string): void {
  actual.forEach((v, c) => expect(Math.abs(v - expected[c]!), `${what}, channel ${c}: ${actual} vs ${expected.map(Math.round)}`).toBeLessThanOrEqual(tolerance));
}

/** Average colour of a 9×9 square around each point of a picture saved in the Library (read from OPFS in the page). */
export async function savedPicture(page: Page, itemId: string, points: [number, number][]): Promise<{ width: number; height: number; colours: Rgb[]; alphas: number[] }> {
  return page.evaluate(
    async (id, at) => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('snapshots');
      const file = await (await folder.getFileHandle(`${id}.png`)).getFile();
      const bitmap = await createImageBitmap(file);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const means = at.map(([x, y]) => {
        const { data } = context.getImageData(x - 4, y - 4, 9, 9);
        const sum = [0, 0, 0, 0];
        for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 4; c++) sum[c]! += data[i + c]!;
        return sum.map((v) => Math.round(v / (data.length / 4)));
      });
      return { width: bitmap.width, height: bitmap.height, colours: means.map((m) => m.slice(0, 3) as Rgb), alphas: means.map((m) => m[3]!) };
    },
    itemId,
    points,
  );
}

/** Opens the Studio and starts the camera as a first-time user would; returns once the preview shows a picture. */
export async function openStudio(page: Page): Promise<void> {
  await page.waitForSelector('[data-action="start-camera"], video[data-testid="preview"]', { timeout: 10_000 });
  const start = await page.$('[data-action="start-camera"]');
  if (start) await start.click();
  await waitUntil(page, 'the camera preview', () => (document.querySelector('video[data-testid="preview"]') as HTMLVideoElement | null)?.videoWidth);
}

/** Switches the preview's mirror off (if on), so points of the camera's clip show where the clip has them. */
export async function showUnmirrored(page: Page): Promise<void> {
  if (await page.$eval('input[data-setting="mirror"]', (e) => (e as HTMLInputElement).checked)) await page.click('input[data-setting="mirror"]');
}

/** Clicks the shutter (once it can be pressed) and returns the new snapshot's Library id. */
export async function snap(page: Page, action: 'snap' | 'snap-sheet' = 'snap'): Promise<string> {
  const before = await page.$$eval('[data-testid="shots"] li', (items) => items.map((li) => li.getAttribute('data-item-id')));
  // (The shutter waits while the last snapshot is saved, or the camera's picture is switched.)
  await page.waitForSelector(`[data-action="${action}"]:not([disabled])`, { timeout: 10_000 });
  await page.click(`[data-action="${action}"]`);
  await waitUntil(page, 'a new snapshot in the strip', (known) => [...document.querySelectorAll('[data-testid="shots"] li')].some((li) => !known.includes(li.getAttribute('data-item-id'))), before);
  return page.$eval('[data-testid="shots"] li', (li) => li.getAttribute('data-item-id')!);
}

/** Turns exactly these filters on (at their default strengths), as a person would, and waits until the preview shows them. */
export async function chooseFilters(page: Page, ids: FilterId[]): Promise<void> {
  const want = filterCss(Object.fromEntries(ids.map((id) => [id, FILTERS.find((f) => f.id === id)!.default])));
  for (const id of await page.$$eval('[data-filter]', (rows) => rows.map((r) => r.getAttribute('data-filter')!))) {
    const box = `[data-filter="${id}"] input[type="checkbox"]`;
    const on = await page.$eval(box, (b) => (b as HTMLInputElement).checked);
    if (on !== ids.includes(id as FilterId)) {
      await page.click(box);
    }
  }
  await waitUntil(page, `the preview to show ${want}`, (css) => (document.querySelector('[data-testid="preview"]') as HTMLElement).style.filter === css, want);
}

/** What the preview shows on screen (CSS filter and all), sampled at points given in video pixels. */
export async function previewColours(page: Page, points: [number, number][]): Promise<Rgb[]> {
  const preview = (await page.$('video[data-testid="preview"]'))!;
  const shot = await preview.screenshot({ encoding: 'base64' });
  return page.evaluate(
    async (png, at) => {
      const video = document.querySelector('video[data-testid="preview"]') as HTMLVideoElement;
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const scale = bitmap.width / video.videoWidth;
      return at.map(([x, y]) => {
        const { data } = context.getImageData(Math.round(x * scale) - 4, Math.round(y * scale) - 4, 9, 9);
        const sum = [0, 0, 0];
        for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
        return sum.map((v) => Math.round(v / (data.length / 4))) as [number, number, number];
      });
    },
    shot,
    points,
  );
}

/** The settings of the live track the preview shows (waiting out a camera switch under way). */
export async function previewSettings(page: Page): Promise<MediaTrackSettings> {
  const live = () => {
    const track = ((document.querySelector('video[data-testid="preview"]') as HTMLVideoElement).srcObject as MediaStream | null)?.getVideoTracks()[0];
    return track?.readyState === 'live' && track.getSettings().width ? track.getSettings() : null;
  };
  await waitUntil(page, 'a live preview track', live);
  return (await page.evaluate(live))!;
}
