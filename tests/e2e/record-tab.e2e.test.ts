import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchStudio, sleep, type Studio } from './harness';
import { downloadFromLibrary, playAndSeek } from './library-helpers';
import { decodeErrors, frameColorAt, hasCues, probe, toneStrength } from './media';
import { startPageServer } from './page-server';

describe('recording the current tab', () => {
  let studio: Studio;
  let pages: Awaited<ReturnType<typeof startPageServer>>;

  beforeAll(async () => {
    pages = await startPageServer();
    studio = await launchStudio('none');
  });
  afterAll(async () => {
    await studio?.close();
    await pages?.close();
  });

  it('records picture and sound from the toolbar into a seekable WebM in the Library', async () => {
    const page = await studio.openPage(pages.url('animated.html'));
    await page.waitForFunction('window.toneRunning()');
    const popup = await studio.openPopup(page);
    await popup.click('[data-action="record-tab"]');
    const started = await studio.waitForState((s) => s.status === 'recording');
    expect(started.source).toBe('tab');

    await sleep(3000);
    const badge = await studio.badge();
    expect(badge.text).toMatch(/^0:0[2-4]$/);
    expect(badge.title).toMatch(/^REC 0:0[2-4]/);
    // A second click on the icon shows the running recording.
    const live = await studio.openPopup(page);
    await live.waitForSelector('[data-testid="elapsed"]');
    expect(await live.$eval('[data-testid="elapsed"]', (e) => e.textContent)).toMatch(/^0:0[2-4]$/);
    expect(await live.$eval('[data-testid="size"]', (e) => e.textContent)).toMatch(/\d+(\.\d)? (KB|MB)/);
    // The tab stays audible to the user while it is recorded.
    expect(await page.evaluate('window.toneRunning()')).toBe(true);

    await live.click('[data-action="stop"]');
    const done = await studio.waitForState((s) => s.status === 'idle' && s.lastRecordingId !== null);
    expect(done.error).toBeNull();
    expect((await studio.badge()).text).toBe('');

    const { library, file } = await downloadFromLibrary(studio, done.lastRecordingId!);
    expect(file).toMatch(/\.webm$/);
    const info = probe(file);
    expect(info.formatName).toContain('webm');
    expect(info.video).not.toBeNull();
    expect(info.audio?.codec).toBe('opus');
    expect(info.duration).toBeGreaterThan(2.5);
    expect(info.duration).toBeLessThan(3.5);
    expect(info.video!.frames).toBeGreaterThanOrEqual(10);
    expect(hasCues(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
    // The page's blue field and its 440 Hz tone are in the file.
    const [r, g, b] = frameColorAt(file, 1.5);
    expect(b).toBeGreaterThan(150);
    expect(r + g).toBeLessThan(150);
    const tone = toneStrength(file, 440);
    expect(tone.rmsDb).toBeGreaterThan(-30);
    expect(tone.share).toBeGreaterThan(0.5);

    const played = await playAndSeek(library, done.lastRecordingId!, 2);
    expect(played.duration).toBeGreaterThan(2.5);
    expect(played.duration).toBeLessThan(3.5);
    expect(played.seekedTo).toBeCloseTo(2, 0);
    await library.close();
    await page.close();
  });
});
