import { describe, expect, it } from 'vitest';
import { sleep } from './harness';
import { startTabRecording, stopFromPopup, useStudio } from './session';
import { downloadFromLibrary, playAndSeek } from './library-helpers';
import { decodeErrors, frameColorAt, hasIndex, lastFrameColor, probe, toneStrength } from './media';
import { waitUntil } from './wait';

describe('recording the current tab', () => {
  const session = useStudio('none');

  it('records picture and sound from the toolbar into a seekable MP4 (H.264, the default) in the Library', async () => {
    const page = await session.studio.openPage(session.pages.url('animated.html'));
    await waitUntil(page, 'the test page to play its tone', () => (window as unknown as { toneRunning(): boolean }).toneRunning());
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="record-tab"]');
    const started = await session.studio.waitForState('the recording to start', (s) => s.status === 'recording');
    expect(started.source).toBe('tab');

    // The badge blinks REC and shows the elapsed time; its tooltip always says both.
    const badgeTexts = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await sleep(500);
      badgeTexts.add((await session.studio.badge()).text);
    }
    expect([...badgeTexts]).toContain('REC');
    expect([...badgeTexts].filter((t) => /^0:0[1-6]$/.test(t)).length).toBeGreaterThanOrEqual(3);
    expect((await session.studio.badge()).title).toMatch(/^REC 0:0[5-7]/);
    // A second click on the icon shows the running recording.
    const live = await session.studio.openPopup(page);
    await live.waitForSelector('[data-testid="elapsed"]');
    expect(await live.$eval('[data-testid="elapsed"]', (e) => e.textContent)).toMatch(/^0:0[5-8]$/);
    expect(await live.$eval('[data-testid="size"]', (e) => e.textContent)).toMatch(/\d+(\.\d)? (KB|MB)/);
    // The tab stays audible to the user while it is recorded.
    expect(await page.evaluate('window.toneRunning()')).toBe(true);

    const recordedSeconds = (Date.now() - started.activeSince!) / 1000;
    await live.click('[data-action="stop"]');
    const done = await session.studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== null);
    expect(done.error).toBeNull();
    expect((await session.studio.badge()).text).toBe('');
    // The finished recording opens in the Library, ready to play.
    const shown = await session.studio.waitForPage('the Library opened on the new recording', (u) => u === session.studio.url(`library.html#${done.lastRecordingId}`));
    await shown.waitForSelector('video[data-testid="player"]', { timeout: 10_000 });
    expect(await shown.$eval('.player h2', (e) => e.textContent)).toBe('Tab · 127.0.0.1');
    // Its card is in view too, not below the fold; the title says what, the card says when, once.
    const card = `[data-recording-id="${done.lastRecordingId}"]`;
    await waitUntil(shown, 'the new card to scroll into view', (sel) => {
      const box = document.querySelector(sel)?.getBoundingClientRect();
      // Scrolling lands on whole pixels; the card's edges may not (half a pixel either way is in view).
      return box !== undefined && box.top >= -1 && box.bottom <= window.innerHeight + 1;
    }, card);
    const year = String(new Date().getFullYear());
    expect(await shown.$eval(`${card} .meta`, (e, y) => e.textContent!.split(y).length - 1, year)).toBe(1);
    await shown.close();

    const { library, file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    expect(file).toMatch(/\.mp4$/);
    const info = probe(file);
    expect(info.formatName).toContain('mp4');
    expect(info.video?.codec).toBe('h264');
    expect(info.audio?.codec).toBe('opus');
    expect(info.duration).toBeGreaterThan(recordedSeconds - 0.5);
    expect(info.duration).toBeLessThan(recordedSeconds + 0.5);
    expect(info.video!.frames).toBeGreaterThanOrEqual(20);
    expect(hasIndex(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
    // The page's blue field and its 440 Hz tone are in the file.
    const [r, g, b] = frameColorAt(file, 1.5);
    expect(b).toBeGreaterThan(150);
    expect(r + g).toBeLessThan(150);
    const tone = toneStrength(file, 440);
    expect(tone.rmsDb).toBeGreaterThan(-30);
    expect(tone.share).toBeGreaterThan(0.5);

    // The Library's card has a thumbnail; its player knows the duration and seeks.
    expect(await library.$eval(`[data-recording-id="${done.lastRecordingId}"] .thumb img`, (img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    const played = await playAndSeek(library, done.lastRecordingId!, 2);
    expect(played.duration).toBeCloseTo(info.duration, 1);
    expect(played.seekedTo).toBeCloseTo(2, 0);
    await library.close();
    await page.close();
  });
});

describe('what ends or interrupts a tab recording', () => {
  const session = useStudio('none');

  it('leaves a pause out of the recording', async () => {
    const page = (await startTabRecording(session)).page;
    const startedAt = (await session.studio.state()).activeSince!;
    await sleep(1500);
    let popup = await session.studio.openPopup(page);
    await popup.click('[data-action="pause"]');
    const paused = await session.studio.waitForState('the recording to pause', (s) => s.status === 'paused');
    expect((await session.studio.badge()).text).toBe('❚❚');
    await sleep(1500);
    popup = await session.studio.openPopup(page);
    expect(await popup.$eval('[data-testid="status"]', (e) => e.textContent)).toBe('Paused');
    await popup.click('[data-action="resume"]');
    const resumed = await session.studio.waitForState('the recording to start', (s) => s.status === 'recording');
    const pauseMs = resumed.activeSince! - (startedAt + paused.accumulatedMs);
    expect(pauseMs).toBeGreaterThan(1400);
    await sleep(1500);
    popup = await session.studio.openPopup(page);
    const stopAt = Date.now();
    await popup.click('[data-action="stop"]');
    const done = await session.studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== null && s.lastRecordingId !== paused.lastRecordingId);

    const { library, file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    const info = probe(file);
    const recordedSeconds = (stopAt - startedAt - pauseMs) / 1000;
    expect(info.duration).toBeGreaterThan(recordedSeconds - 0.5);
    expect(info.duration).toBeLessThan(recordedSeconds + 0.5);
    expect(decodeErrors(file)).toBe('');
    await library.close();
    await page.close();
  });

  it('finishes the recording cleanly when the recorded tab is closed', async () => {
    const before = (await session.studio.state()).lastRecordingId;
    const page = (await startTabRecording(session)).page;
    await sleep(2000);
    await page.close();
    const done = await session.studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== before);
    expect(done.error).toBeNull();
    expect(await session.studio.offscreenDocument()).toBeNull();

    const { library, file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    const info = probe(file);
    expect(info.duration).toBeGreaterThan(1.5);
    expect(info.video).not.toBeNull();
    expect(hasIndex(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
    await library.close();
  });

  it('follows the tab to another page: navigating loses nothing', async () => {
    const { page, started } = await startTabRecording(session);
    await sleep(2000);
    await page.goto(session.pages.url('green.html'));
    await sleep(2000);
    expect((await session.studio.state()).status).toBe('recording');
    const recordedSeconds = (Date.now() - started.activeSince!) / 1000;
    const done = await stopFromPopup(session, page);
    const { library, file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    const info = probe(file);
    expect(info.duration).toBeGreaterThan(recordedSeconds - 0.5);
    expect(decodeErrors(file)).toBe('');
    // The first page (blue) at the start, the second (green) at the end.
    const [r1, g1, b1] = frameColorAt(file, 0.5);
    expect(b1).toBeGreaterThan(150);
    expect(r1 + g1).toBeLessThan(150);
    const [r2, g2, b2] = lastFrameColor(file);
    expect(g2).toBeGreaterThan(150);
    expect(r2 + b2).toBeLessThan(120);
    await library.close();
    await page.close();
  });

  it('carries on when Chrome stops the service worker mid-recording', async () => {
    const before = (await session.studio.state()).lastRecordingId;
    const page = (await startTabRecording(session)).page;
    await sleep(1500);
    const worker = await session.studio.serviceWorker();
    await worker.close();
    await sleep(2500);
    // The recorder's next reports wake a new worker, which finds the state where it left it and
    // follows the recording on (an MP4 recorder hands over data a keyframe behind, about once a second).
    await session.studio.waitForState('the recording to report 3 chunks to the restarted service worker', (s) => s.status === 'recording' && s.chunks >= 3);
    expect(['REC', '0:03', '0:04', '0:05', '0:06', '0:07']).toContain((await session.studio.badge()).text);
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="stop"]');
    const done = await session.studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== before);
    expect(done.error).toBeNull();
    const { library, file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    expect(probe(file).duration).toBeGreaterThan(3.5);
    await library.close();
    await page.close();
  });

  it('recovers a recording whose offscreen document was killed, up to the last seconds', async () => {
    const page = (await startTabRecording(session)).page;
    // Four chunks on disk (MP4 hands its data over a fragment at a time, later on a busy machine).
    const stored = await session.studio.waitForState('four chunks of the recording to be stored', (s) => s.chunks >= 4, 20_000);
    const offscreen = await session.studio.offscreenDocument();
    expect(offscreen).not.toBeNull();
    const recordedBeforeKill = (Date.now() - stored.activeSince!) / 1000 + stored.accumulatedMs / 1000;
    await offscreen!.close();
    // The service worker notices the recorder is gone and clears the REC badge.
    const interrupted = await session.studio.waitForState('the service worker to notice the recorder died', (s) => s.status === 'idle' && s.notice === 'recording-interrupted', 10_000);
    expect((await session.studio.badge()).text).toBe('');

    const popup = await session.studio.openPopup(page);
    expect(await popup.$eval('.notice-message', (e) => e.textContent)).toContain('interrupted');
    await popup.click('[data-action="open-library"]');
    const library = await session.studio.waitForPage('the Library', (u) => u === session.studio.url('library.html'));
    await library.waitForSelector('.card .badge', { timeout: 30_000 });
    // The card appears as soon as the recording is rebuilt; the notice once recovery is done.
    await waitUntil(library, 'the recovered notice', () => document.querySelector('.notice-message')?.textContent?.includes('Recovered 1 recording'));
    const id = await library.$eval('.card', (e) => e.getAttribute('data-recording-id'));
    expect(id).not.toBe(interrupted.lastRecordingId);

    const { file } = await downloadFromLibrary(session.studio, id!);
    const info = probe(file);
    // What was stored comes back: at least the four chunks (a second each, less the last one's lag).
    expect(info.duration).toBeGreaterThanOrEqual(stored.chunks - 1.5);
    expect(info.duration).toBeLessThanOrEqual(recordedBeforeKill + 0.5);
    expect(info.video).not.toBeNull();
    expect(info.audio).not.toBeNull();
    expect(hasIndex(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
    await page.close();
  });

  it('says to choose in Chrome\'s share dialog, and cancels a screen start that waits for it', async () => {
    // Headless Chrome's share picker never answers: a start that would wait for ever.
    const page = await session.studio.openPage('about:blank');
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="record-screen"]');
    await session.studio.waitForState('the screen recording to wait for the picker', (s) => s.status === 'starting' && s.source === 'screen', 10_000);
    await waitUntil(popup, 'the share-dialog hint', () => document.querySelector('[data-testid="status"]')?.textContent === "Choose what to share in Chrome's dialog.");
    expect((await session.studio.badge()).text).toBe('…');
    await popup.click('[data-action="cancel-start"]');
    const cancelled = await session.studio.waitForState('the start to be cancelled', (s) => s.status === 'idle', 10_000);
    expect(cancelled.error).toBeNull();
    expect((await session.studio.badge()).text).toBe('');
    // Nothing is left running: the offscreen document (and the picker with it) is gone.
    for (let i = 0; i < 50 && (await session.studio.offscreenDocument()); i++) await sleep(100);
    expect(await session.studio.offscreenDocument()).toBeNull();
    // The popup offers a new start straight away.
    await popup.waitForSelector('[data-action="record-tab"]', { timeout: 5000 });
    await page.close();
  });

  it('registers the keyboard shortcuts with Chrome', async () => {
    const commands = await (await session.studio.serviceWorker()).evaluate(() => chrome.commands.getAll());
    const byName = Object.fromEntries(commands.map((c) => [c.name, c]));
    expect(byName['toggle-recording']).toMatchObject({ shortcut: 'Alt+Shift+S', description: 'Start or stop recording this tab' });
    expect(byName['toggle-pause']).toMatchObject({ shortcut: 'Alt+Shift+K', description: 'Pause or resume the recording' });
  });

  it('explains when Chrome refuses to capture the tab', async () => {
    const page = await session.studio.openPage(session.pages.url('animated.html'));
    await page.bringToFront();
    // Opened by the extension itself, not by a click on the icon: Chrome grants no tab access.
    await (await session.studio.serviceWorker()).evaluate(() => chrome.action.openPopup());
    const popup = await session.studio.waitForPage('the popup opened without a click', (u) => u === session.studio.url('popup.html'));
    await popup.waitForSelector('[data-action="record-tab"]');
    await popup.click('[data-action="record-tab"]');
    await popup.waitForSelector('.notice-error');
    expect(await popup.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/^Chrome did not let WebRTC Studio capture this tab/);
    expect(await popup.$eval('.notice-error .notice-detail', (e) => e.textContent)).toMatch(/invoked|activeTab|cannot be captured/i);
    expect((await session.studio.state()).status).toBe('idle');
    expect((await session.studio.badge()).text).toBe('!');
    await popup.click('.notice-error button.link');
    await session.studio.waitForState('the error to be dismissed', (s) => s.error === null);
    expect((await session.studio.badge()).text).toBe('');
    await page.close();
  });

});
