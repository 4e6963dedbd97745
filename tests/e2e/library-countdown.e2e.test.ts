import { describe, expect, it } from 'vitest';
import { sleep } from './harness';
import { useStudio, startTabRecording, stopFromPopup } from './session';
import { waitUntil } from './wait';

describe('the Library and the countdown', () => {
  const session = useStudio('none');

  async function record(ms: number) {
    const { page, started } = await startTabRecording(session);
    await sleep(ms);
    const done = await stopFromPopup(session, page);
    return { page, id: done.lastRecordingId!, recordedMs: Date.now() - started.activeSince! };
  }


  it('welcomes a new user with the Library on first install', async () => {
    const welcome = await session.studio.waitForPage('the welcome Library', (u) => u === session.studio.url('library.html?welcome'));
    await welcome.waitForSelector('.notice');
    expect(await welcome.$eval('.notice-message', (e) => e.textContent)).toMatch(/^Welcome to WebRTC Studio\. Pin it/);
    // The notice comes with the page; the empty list once the Library has looked.
    await welcome.waitForSelector('.empty', { timeout: 10_000 });
    expect(await welcome.$eval('.empty', (e) => e.textContent)).toMatch(/No recordings yet/);
    await welcome.close();
  });

  it('counts down before recording, and the count is not in the recording', async () => {
    const page = await session.studio.openPage(session.pages.url('animated.html'));
    const popup = await session.studio.openPopup(page);
    await popup.select('select[data-setting="countdown"]', '3');
    const clickedAt = Date.now();
    await popup.click('[data-action="record-tab"]');
    const counting = await session.studio.waitForState('the countdown to begin', (s) => s.status === 'countdown');
    expect(counting.countdownEndsAt! - clickedAt).toBeGreaterThan(2500);
    expect(['3', '2']).toContain((await session.studio.badge()).text);
    const started = await session.studio.waitForState('the recording to start', (s) => s.status === 'recording', 10_000);
    expect(started.activeSince! - clickedAt).toBeGreaterThanOrEqual(2900);
    await sleep(2000);
    const live = await session.studio.openPopup(page);
    await live.click('[data-action="stop"]');
    const done = await session.studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== null);
    const library = await session.studio.openPage(session.studio.url('library.html'));
    await library.waitForSelector(`[data-recording-id="${done.lastRecordingId}"]`);
    const duration = await library.$eval(`[data-recording-id="${done.lastRecordingId}"] [data-field="duration"]`, (e) => e.textContent);
    // About 2 s recorded; the 3 s count is not part of it.
    expect(duration).toMatch(/^0:0[12]$/);
    await library.close();
    await page.close();
    const reset = await session.studio.openPopup(await session.studio.openPage('about:blank'));
    await reset.select('select[data-setting="countdown"]', '0');
  });

  it('renames, lists newest first and deletes recordings', async () => {
    const first = await record(1200);
    const second = await record(1200);
    const library = await session.studio.openPage(session.studio.url('library.html'));
    await library.waitForSelector(`[data-recording-id="${second.id}"]`);
    const order = await library.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-recording-id')));
    expect(order.indexOf(second.id)).toBeLessThan(order.indexOf(first.id));

    const card = `[data-recording-id="${first.id}"]`;
    await library.click(`${card} [data-action="rename"]`);
    await library.$eval(`${card} form.rename input`, (input) => ((input as HTMLInputElement).value = ''));
    await library.type(`${card} form.rename input`, '<img src=x onerror=alert(1)> Demo / take 2');
    await library.click(`${card} [data-action="save-title"]`);
    await waitUntil(library, 'the new title on the card', (sel) => document.querySelector(`${sel} [data-field="title"]`)?.textContent?.includes('Demo'), card);
    // Shown as text, never as markup; kept after a reload.
    expect(await library.$(`${card} img[src="x"]`)).toBeNull();
    await library.reload();
    await library.waitForSelector(card);
    expect(await library.$eval(`${card} [data-field="title"]`, (e) => e.textContent)).toBe('<img src=x onerror=alert(1)> Demo / take 2');

    library.once('dialog', (dialog) => void dialog.accept());
    await library.click(`${card} [data-action="delete"]`);
    await waitUntil(library, 'the deleted card to go', (sel) => !document.querySelector(sel), card);
    await library.reload();
    await library.waitForSelector(`[data-recording-id="${second.id}"]`);
    expect(await library.$(card)).toBeNull();
    await library.close();
    await first.page.close();
    await second.page.close();
  });
});
