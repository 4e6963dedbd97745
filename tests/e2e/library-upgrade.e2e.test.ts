import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './fixtures';
import { downloadFromLibrary, playAndSeek } from './library-helpers';
import { decodeErrors, probe } from './media';
import { useStudio } from './session';
import { waitUntil } from './wait';

describe('a Library kept by version 1 of the extension', () => {
  const session = useStudio('none');

  it('opens in this version with every recording, playable, and long titles stay inside the page', async () => {
    const { studio } = session;
    // Close what this version opened on install, so the database can be set back to version 1.
    const welcome = await studio.waitForPage('the welcome Library', (u) => u.startsWith(studio.url('library.html')));
    await welcome.close();
    const longTitle = `A very long title ${'x'.repeat(5000)}`;
    const bytes = readFileSync(FIXTURES.v1Recording).toString('base64');
    const options = await studio.openPage(studio.url('options.html'));
    // Version 1's database exactly: sessions, chunks and recordings stores; the file in OPFS.
    await options.evaluate(
      async (base64, title) => {
        await new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase('webrtc-studio');
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error);
          request.onblocked = () => reject(new Error('database still open'));
        });
        const file = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('recordings', { create: true });
        for (const id of ['v1-a', 'v1-b']) {
          const writable = await (await folder.getFileHandle(`${id}.webm`, { create: true })).createWritable();
          await writable.write(file);
          await writable.close();
        }
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('webrtc-studio', 1);
          request.onupgradeneeded = () => {
            const created = request.result;
            created.createObjectStore('sessions', { keyPath: 'id' });
            created.createObjectStore('chunks', { keyPath: ['sessionId', 'index'] });
            created.createObjectStore('recordings', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
          };
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const tx = db.transaction('recordings', 'readwrite');
        const entry = { source: 'tab', durationMs: 2000, size: file.length, mimeType: 'video/webm', thumbnail: null, recovered: false };
        tx.objectStore('recordings').put({ ...entry, id: 'v1-a', title: 'Tab · example.com — 24 Nov 2026, 14:03', createdAt: 1_764_000_000_000, fileName: 'v1-a.webm' });
        tx.objectStore('recordings').put({ ...entry, id: 'v1-b', title, createdAt: 1_764_000_100_000, fileName: 'v1-b.webm' });
        await new Promise((resolve) => (tx.oncomplete = resolve));
        db.close();
      },
      bytes,
      longTitle,
    );
    await options.close();

    const library = await studio.openPage(studio.url('library.html#v1-b'));
    await library.waitForSelector('[data-recording-id="v1-a"]', { timeout: 10_000 });
    expect(await library.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-recording-id')))).toEqual(['v1-b', 'v1-a']);
    expect(await library.$eval('[data-recording-id="v1-a"] [data-field="title"]', (e) => e.textContent)).toBe('Tab · example.com — 24 Nov 2026, 14:03');
    expect(await library.$eval('[data-recording-id="v1-a"] [data-field="duration"]', (e) => e.textContent)).toBe('0:02');

    // A 5,000-character title wraps: the page is no wider than the window, card and player alike.
    await waitUntil(library, 'the player of the long-titled recording', () => document.querySelector('.player h2')?.textContent?.startsWith('A very long title'));
    const widths = await library.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);

    const played = await playAndSeek(library, 'v1-a', 1);
    expect(played.duration).toBeCloseTo(2, 0);
    const { file } = await downloadFromLibrary(studio, 'v1-a');
    expect(readFileSync(file).equals(readFileSync(FIXTURES.v1Recording))).toBe(true);
    expect(probe(file).video?.codec).toBe('vp8');
    expect(decodeErrors(file)).toBe('');
  });
});
