import { describe, expect, it } from 'vitest';
import { sleep } from './harness';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, hasIndex, probe } from './media';
import { startTabRecording, stopFromPopup, useStudio } from './session';
import { waitUntil } from './wait';

describe('choosing the recording format', () => {
  const session = useStudio('none');

  it('offers only what the browser records, lists the whole probe, and records the type chosen', async () => {
    const options = await session.studio.openPage(session.studio.url('options.html'));
    await options.waitForSelector('[data-section="format"] select[data-setting="container"]');
    const choices = (setting: string) => options.$$eval(`select[data-setting="${setting}"] option`, (list) => list.map((o) => (o as HTMLOptionElement).value));
    // Chromium 156 records H.264 (in MP4 or Matroska), VP8, VP9 and AV1, with Opus; no AAC.
    expect(await choices('container')).toEqual(['mp4', 'webm', 'mkv']);
    expect(await choices('videoCodec')).toContain('h264');
    expect(await choices('audioCodec')).toEqual(['opus']);
    expect(await options.$eval('[data-field="recorded-type"]', (e) => e.textContent)).toContain('video/mp4;codecs=avc1,opus');
    // The diagnostics table lists every combination with the browser's answer.
    await options.click('.diagnostics summary');
    const probeRows = await options.$$eval('[data-testid="format-probe"] tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(probeRows).toHaveLength(24);
    expect(probeRows).toContainEqual(['video/mp4;codecs=avc1,mp4a.40.2', 'no', 'no']);
    expect(probeRows).toContainEqual(['video/webm;codecs=vp9,opus', 'yes', 'yes']);
    expect(probeRows.find((r) => r[0] === 'video/webm;codecs=h264,opus')?.[2]).toMatch(/^No — /);

    // WebM: H.264 is not offered there; the codec moves to one WebM holds.
    await options.select('select[data-setting="container"]', 'webm');
    await waitUntil(options, 'the WebM codecs', () => document.querySelector<HTMLSelectElement>('select[data-setting="videoCodec"]')?.value === 'vp8');
    expect(await choices('videoCodec')).toEqual(['vp8', 'vp9', 'av1']);
    await options.select('select[data-setting="videoCodec"]', 'vp9');
    await options.select('select[data-setting="frameRate"]', '15');
    await waitUntil(options, 'the chosen type', () => document.querySelector('[data-field="recorded-type"]')?.textContent?.includes('video/webm;codecs=vp9,opus'));

    const { page } = await startTabRecording(session);
    await sleep(3000);
    const done = await stopFromPopup(session, page);
    const { file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    expect(file).toMatch(/\.webm$/);
    const info = probe(file);
    expect(info.video?.codec).toBe('vp9');
    expect(info.audio?.codec).toBe('opus');
    // At most 15 frames a second were asked of the capture.
    expect(info.video!.frames / info.duration).toBeLessThan(16);
    expect(hasIndex(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');

    // Matroska holds the cheap H.264 too.
    await options.bringToFront();
    await options.select('select[data-setting="container"]', 'mkv');
    await options.select('select[data-setting="videoCodec"]', 'h264');
    await waitUntil(options, 'the chosen type', () => document.querySelector('[data-field="recorded-type"]')?.textContent?.includes('video/x-matroska;codecs=avc1,opus'));
    const second = await startTabRecording(session);
    await sleep(2500);
    const mkv = await stopFromPopup(session, second.page);
    const saved = await downloadFromLibrary(session.studio, mkv.lastRecordingId!);
    expect(saved.file).toMatch(/\.mkv$/);
    expect(probe(saved.file)).toMatchObject({ video: { codec: 'h264' }, audio: { codec: 'opus' } });
    expect(hasIndex(saved.file)).toBe(true);
    expect(decodeErrors(saved.file)).toBe('');
  });
});
