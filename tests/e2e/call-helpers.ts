import type { Page } from 'puppeteer';
import type { Studio } from './harness';
import { waitUntil } from './wait';

/** The call page as the call tests drive it: opened with a signaling server, joined, its remote picture read. */

/** Opens the call page with the signaling server set in the settings, as Options would keep it. */
export async function openCallPage(studio: Studio, signalingUrl: string, displayName: string, room: string, call: { relayOnly?: boolean; videoCodec?: string } = {}): Promise<Page> {
  const page = await studio.openPage(studio.url(`call.html?room=${room}`));
  await countDescriptions(page);
  await page.evaluate(
    async (url, name, extra) => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings?: Record<string, unknown> };
      await chrome.storage.local.set({ settings: { ...settings, call: { signalingUrl: url, displayName: name, ...extra } } });
    },
    signalingUrl,
    displayName,
    call,
  );
  await page.reload();
  await page.waitForSelector('[data-action="join"]');
  await waitUntil(page, 'the camera preview to play', () => (document.querySelector<HTMLVideoElement>('[data-testid="local-preview"]')?.videoWidth ?? 0) > 0, undefined, 15_000);
  return page;
}

/** The colour of the other person's video at a point given as fractions of its size (the middle by default), as drawn on this page. */
export function remoteColour(page: Page, at: [number, number] = [0.5, 0.5]): Promise<[number, number, number]> {
  return page.evaluate(([fx, fy]) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')!;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(video, 0, 0);
    const [r, g, b] = context.getImageData(Math.floor(canvas.width * fx), Math.floor(canvas.height * fy), 1, 1).data;
    return [r!, g!, b!] as [number, number, number];
  }, at);
}

/** Waits (up to 10 s) until the other person's video shows a colour `matches` accepts, at `at` (the middle by default). */
export async function waitUntilColour(page: Page, what: string, matches: (rgb: [number, number, number]) => boolean, at?: [number, number]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: [number, number, number] = [0, 0, 0];
  while (Date.now() < deadline) {
    last = await remoteColour(page, at);
    if (matches(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`waited 10 s for ${what} on ${page.url()}; the colour stayed rgb(${last.join(', ')})`);
}

/** Offers and answers this page has sent through the signaling server so far (counted on the wire). */
export function descriptionsSent(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { descriptionsSent: number }).descriptionsSent);
}

/** Counts the descriptions a page sends, from before its scripts run. */
export async function countDescriptions(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { descriptionsSent: number };
    w.descriptionsSent = 0;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (typeof data === 'string' && data.includes('"kind":"description"')) w.descriptionsSent++;
      return send.call(this, data);
    };
  });
}

/** Clicks Join and waits until the page is in the room. */
export async function join(page: Page, who: string): Promise<void> {
  await page.click('[data-action="join"]');
  await waitUntil(page, `${who} to be in the room`, () => document.querySelector('[data-testid="signaling-state"]')?.className.includes('signaling-joined'));
}

export async function waitForRemoteVideo(page: Page): Promise<void> {
  await waitUntil(page, 'the other person\'s video to play', () => (document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')?.videoWidth ?? 0) > 0, undefined, 20_000);
}
