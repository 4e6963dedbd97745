import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import type { Studio } from './harness';

/** Opens the Library, waits for the recording's card, and downloads it through the page's button. */
export async function downloadFromLibrary(studio: Studio, recordingId: string): Promise<{ library: Page; file: string }> {
  const library = await studio.openPage(studio.url('library.html'));
  const card = `[data-recording-id="${recordingId}"]`;
  await library.waitForSelector(card, { timeout: 30_000 });
  for (const old of readdirSync(studio.downloads)) rmSync(path.join(studio.downloads, old), { force: true });
  await library.click(`${card} [data-action="download"]`);
  return { library, file: await studio.waitForDownload() };
}

/** Plays the recording in the Library's player and seeks into it, as a person would. */
export async function playAndSeek(library: Page, recordingId: string, seekTo: number): Promise<{ duration: number; seekedTo: number }> {
  await library.click(`[data-recording-id="${recordingId}"] [data-action="play"]`);
  const player = `video[data-testid="player"][data-item-id="${recordingId}"]`;
  await library.waitForSelector(player, { timeout: 10_000 });
  return library.$eval(
    player,
    (element, to) =>
      new Promise<{ duration: number; seekedTo: number }>((resolve, reject) => {
        const video = element as HTMLVideoElement;
        const seek = () => {
          video.addEventListener('seeked', () => resolve({ duration: video.duration, seekedTo: video.currentTime }), { once: true });
          video.currentTime = to;
        };
        if (video.readyState >= 1) seek();
        else video.addEventListener('loadedmetadata', seek, { once: true });
        setTimeout(() => reject(new Error(`player never seeked (readyState ${video.readyState}, error ${video.error?.message})`)), 10_000);
      }),
    seekTo,
  );
}

/**
 * Puts a media file served at `url` in the Library as a recording (as the extension keeps one:
 * the file in OPFS, its entry in IndexedDB), streamed so a long file is never whole in memory.
 * The Library page shows it after a reload.
 */
export async function seedRecording(library: Page, url: string, id: string, mimeType: 'video/mp4' | 'video/webm', durationMs: number): Promise<void> {
  await library.evaluate(
    async (src, itemId, mime, ms) => {
      const extension = mime === 'video/mp4' ? 'mp4' : 'webm';
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('recordings', { create: true });
      const handle = await folder.getFileHandle(`${itemId}.${extension}`, { create: true });
      const response = await fetch(src);
      await response.body!.pipeTo(await handle.createWritable());
      const size = (await handle.getFile()).size;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('webrtc-studio');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction('items', 'readwrite');
      tx.objectStore('items').put({ id: itemId, kind: 'recording', parentId: null, title: `Seeded ${itemId}`, createdAt: Date.now(), mimeType: mime, fileName: `${itemId}.${extension}`, size, durationMs: ms, thumbnail: null, source: 'tab', recovered: false });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    },
    url,
    id,
    mimeType,
    durationMs,
  );
}
