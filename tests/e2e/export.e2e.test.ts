import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GifReader } from 'omggif';
import type { Page } from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import { sleep, type Studio } from './harness';
import { ARTIFACTS, FIXTURES, LONG_RECORDING_SECONDS } from './fixtures';
import { seedRecording } from './library-helpers';
import { decodeErrors, hasCues, mp4Boxes, probe } from './media';
import { startFileServer } from './page-server';
import { startTabRecording, stopFromPopup, useStudio } from './session';
import { waitUntil } from './wait';

/** Times of the video's keyframes, from the packets' key flags. */
function keyframeTimes(file: string): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.split(','))
    .filter(([time, flags]) => time && flags?.includes('K'))
    .map(([time]) => Number(time));
}

function gifFacts(file: string): { width: number; height: number; frames: number; delaysCs: number[]; loop: number | null } {
  const reader = new GifReader(readFileSync(file));
  const delaysCs = Array.from({ length: reader.numFrames() }, (_, i) => reader.frameInfo(i).delay);
  return { width: reader.width, height: reader.height, frames: reader.numFrames(), delaysCs, loop: reader.loopCount() ?? null };
}

interface ExportChoice {
  format: 'mp4' | 'webm' | 'gif';
  trim?: { start: number; end: number; mode: 'fast' | 'exact' };
  gif?: { width?: number; fps?: number; loop?: 'forever' | 'none' | number; fitMb?: number };
}

async function setValue(page: Page, selector: string, value: string, event: 'input' | 'change'): Promise<void> {
  await page.$eval(
    selector,
    (element, v, e) => {
      const input = element as HTMLInputElement | HTMLSelectElement;
      input.value = v;
      input.dispatchEvent(new Event(e, { bubbles: true }));
    },
    value,
    event,
  );
}

/** Opens the recording's export panel and sets it up as a person would. */
async function prepareExport(library: Page, recordingId: string, choice: ExportChoice): Promise<void> {
  await library.click(`[data-recording-id="${recordingId}"] [data-action="export"]`);
  await library.waitForSelector('[data-testid="export-panel"] [data-action="start-export"]:not([disabled])', { timeout: 20_000 });
  await library.click(`input[data-format="${choice.format}"]`);
  if (choice.trim) {
    await setValue(library, '[data-action="trim-end"]', String(choice.trim.end), 'input');
    await setValue(library, '[data-action="trim-start"]', String(choice.trim.start), 'input');
    await setValue(library, '[data-action="trim-mode"]', choice.trim.mode, 'change');
    await waitUntil(library, 'the trim handles to show the cut', (want) => document.querySelector('[data-field="trim-start"]')?.textContent === want, `${choice.trim.start.toFixed(1)} s`);
  }
  const gif = choice.gif;
  if (gif?.width) await setValue(library, '[data-action="gif-width"]', String(gif.width), 'change');
  if (gif?.fps) await setValue(library, '[data-action="gif-fps"]', String(gif.fps), 'change');
  if (typeof gif?.loop === 'number') {
    await setValue(library, '[data-action="gif-loop"]', 'count', 'change');
    await library.waitForSelector('[data-action="gif-loop-times"]');
    await setValue(library, '[data-action="gif-loop-times"]', String(gif.loop), 'change');
  } else if (gif?.loop) {
    await setValue(library, '[data-action="gif-loop"]', gif.loop, 'change');
  }
  if (gif?.fitMb) {
    await library.click('[data-action="gif-fit"]');
    await setValue(library, '[data-action="gif-fit-mb"]', String(gif.fitMb), 'change');
  }
}

function clearDownloads(studio: Studio): void {
  for (const old of readdirSync(studio.downloads)) rmSync(path.join(studio.downloads, old), { force: true });
}

/** Exports and returns the downloaded file. */
async function exportRecording(studio: Studio, library: Page, recordingId: string, choice: ExportChoice): Promise<string> {
  await prepareExport(library, recordingId, choice);
  clearDownloads(studio);
  await library.click('[data-action="start-export"]');
  const file = await studio.waitForDownload(90_000);
  await waitUntil(library, 'the export panel to close', () => !document.querySelector('[data-testid="export-panel"]'));
  return file;
}

/** Every file under the extension's OPFS folders, with its size. */
function opfsFiles(library: Page): Promise<string[]> {
  return library.evaluate(async () => {
    const found: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
      for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
        else found.push(`${prefix}${name}:${(await (handle as FileSystemFileHandle).getFile()).size}`);
      }
    };
    await walk(await navigator.storage.getDirectory(), '');
    return found.sort();
  });
}

/** Starts an export, cancels it once it is under way, and checks that nothing of it was kept. */
async function cancelMidway(studio: Studio, library: Page, recordingId: string, choice: ExportChoice): Promise<void> {
  const before = await opfsFiles(library);
  const exportsBefore = await library.$$eval('[data-field="format"]', (list) => list.length);
  await prepareExport(library, recordingId, choice);
  clearDownloads(studio);
  await library.click('[data-action="start-export"]');
  await waitUntil(library, 'the export to be under way', () => {
    const bar = document.querySelector<HTMLProgressElement>('[data-testid="export-progress"] progress');
    return bar && bar.value > 0.05;
  }, undefined, 30_000);
  await library.click('[data-action="cancel-export"]');
  await waitUntil(library, 'the export to stop', () => !document.querySelector('[data-testid="export-progress"]'));
  // The panel is back as it was, and nothing was kept anywhere.
  expect(await library.$('[data-action="start-export"]')).not.toBeNull();
  await sleep(1000);
  expect(readdirSync(studio.downloads)).toEqual([]);
  expect(await opfsFiles(library)).toEqual(before);
  expect(await library.$$eval('[data-field="format"]', (list) => list.length)).toBe(exportsBefore);
  expect(await library.$('.notice-error')).toBeNull();
  await library.click('[data-action="close-export"]');
}

describe('exporting a recording', () => {
  const session = useStudio('none');
  let recordingId = '';
  let library: Page;
  let recorded = 0;

  beforeAll(async () => {
    const { page } = await startTabRecording(session);
    await sleep(3500);
    const done = await stopFromPopup(session, page);
    expect(done.error).toBeNull();
    recordingId = done.lastRecordingId!;
    library = await session.studio.openPage(session.studio.url('library.html'));
    await library.waitForSelector(`[data-recording-id="${recordingId}"]`, { timeout: 30_000 });
    clearDownloads(session.studio);
    await library.click(`[data-recording-id="${recordingId}"] [data-action="download"]`);
    recorded = probe(await session.studio.waitForDownload()).duration;
    expect(recorded).toBeGreaterThan(3);
  });

  it('makes an MP4 every player opens: H.264 and AAC, index first, named with the time', async () => {
    const file = await exportRecording(session.studio, library, recordingId, { format: 'mp4' });
    expect(path.basename(file)).toMatch(/^Tab · 127\.0\.0\.1 \d{4}-\d\d-\d\d \d\d-\d\d-\d\d\.mp4$/);
    const info = probe(file);
    expect(info.formatName).toContain('mp4');
    expect(info.video?.codec).toBe('h264');
    expect(info.audio?.codec).toBe('aac');
    expect(Math.abs(info.duration - recorded)).toBeLessThan(0.3);
    // All of the sound, not only the picture: the AAC lasts as long as the recording.
    expect(Math.abs(info.audio!.duration - recorded)).toBeLessThan(0.3);
    const boxes = mp4Boxes(file);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expect(decodeErrors(file)).toBe('');
    // The export is in the Library, marked as an MP4, beside its recording.
    await library.click('[data-filter="export"]');
    await waitUntil(library, 'the export to be listed', () => document.querySelector('[data-field="format"]')?.textContent === 'MP4');
    await library.click('[data-filter="all"]');
  });

  it('makes a seekable WebM: VP9 and Opus with a duration and cues', async () => {
    const file = await exportRecording(session.studio, library, recordingId, { format: 'webm' });
    const info = probe(file);
    expect(info.formatName).toContain('webm');
    expect(info.video?.codec).toBe('vp9');
    expect(info.audio?.codec).toBe('opus');
    expect(Math.abs(info.duration - recorded)).toBeLessThan(0.3);
    expect(hasCues(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
  });

  it('makes a GIF at the chosen width, frame rate and loop count', async () => {
    const file = await exportRecording(session.studio, library, recordingId, { format: 'gif', gif: { width: 320, fps: 10, loop: 2 } });
    const gif = gifFacts(file);
    expect(gif.width).toBe(320);
    expect(gif.height).toBe(180);
    expect(gif.loop).toBe(2);
    // Still frames are merged into the one before: never more frames than fps × duration, and the time adds up.
    expect(gif.frames).toBeLessThanOrEqual(Math.round(recorded * 10) + 1);
    expect(gif.frames).toBeGreaterThan(recorded * 10 * 0.5);
    expect(Math.abs(gif.delaysCs.reduce((a, b) => a + b, 0) / 100 - recorded)).toBeLessThan(0.15);
    expect(gif.delaysCs.every((d) => d >= 10 && d % 10 === 0)).toBe(true);
    expect(probe(file).video).toMatchObject({ codec: 'gif', width: 320 });
    expect(decodeErrors(file)).toBe('');
  });

  it('cuts 1.0–2.0 s exactly in every format', async () => {
    for (const format of ['mp4', 'webm', 'gif'] as const) {
      const file = await exportRecording(session.studio, library, recordingId, { format, trim: { start: 1, end: 2, mode: 'exact' } });
      const info = probe(file);
      const seconds = format === 'gif' ? gifFacts(file).delaysCs.reduce((a, b) => a + b, 0) / 100 : info.duration;
      expect(seconds, `${format} cut`).toBeGreaterThan(0.9);
      expect(seconds, `${format} cut`).toBeLessThan(1.1);
      if (format === 'mp4') expect(Math.abs(info.audio!.duration - 1), 'mp4 cut sound').toBeLessThan(0.1);
      expect(decodeErrors(file), `${format} decodes cleanly`).toBe('');
    }
  });

  it('cuts fast at the keyframe before the start, copying the H.264 as it is', async () => {
    const source = path.join(session.studio.downloads, 'source.mp4');
    clearDownloads(session.studio);
    await library.click(`[data-recording-id="${recordingId}"] [data-action="download"]`);
    execFileSync('cp', [await session.studio.waitForDownload(), source]);
    const keyframes = keyframeTimes(source);
    // Recordings get a keyframe every half second, so a fast cut never reaches back more than that.
    expect(keyframes.length).toBeGreaterThanOrEqual(3);
    const keyframe = Math.max(...keyframes.filter((t) => t <= 2.0 + 1e-3));
    expect(2 - keyframe).toBeLessThan(0.6);
    const packets = (f: string) =>
      execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,size', '-of', 'csv=p=0', f], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(',').map(Number) as [number, number]);
    const fromKeyframe = packets(source).filter(([t]) => t >= keyframe - 1e-3);
    const file = await exportRecording(session.studio, library, recordingId, { format: 'mp4', trim: { start: 2, end: 3, mode: 'fast' } });
    // The MP4 carries the frames from that keyframe on, the lead-in marked "not shown" (an
    // edit list), so it still plays exactly the second asked for.
    expect(probe(file).duration).toBeCloseTo(1, 1);
    const cut = packets(file);
    expect(cut[0]![0]).toBeCloseTo(keyframe - 2, 2);
    // Copied, not re-encoded: the cut's frames are the recording's, byte for byte, keyframe first.
    expect(cut.slice(0, 10).map(([, size]) => size)).toEqual(fromKeyframe.slice(0, 10).map(([, size]) => size));
    expect(decodeErrors(file)).toBe('');
  });

  it('fits a GIF under the size asked for', async () => {
    await prepareExport(library, recordingId, { format: 'gif', gif: { width: 800, fps: 30, fitMb: 0.1 } });
    // Before exporting, the panel estimates the size and says it will shrink the GIF to fit.
    await waitUntil(library, 'the size estimate', () => document.querySelector('[data-field="gif-estimate"]')?.textContent?.includes('made smaller'), undefined, 30_000);
    expect(await library.$eval('[data-testid="gif-preview"]', (img) => (img as HTMLImageElement).naturalWidth)).toBe(800);
    clearDownloads(session.studio);
    await library.click('[data-action="start-export"]');
    const file = await session.studio.waitForDownload(90_000);
    expect(readFileSync(file).length).toBeLessThan(0.1 * 1024 * 1024);
    expect(decodeErrors(file)).toBe('');
  });

  it('cancels a GIF export midway and leaves nothing behind', async () => {
    await cancelMidway(session.studio, library, recordingId, { format: 'gif', gif: { width: 1280, fps: 30 } });
  });

  /** The four-minute recording (a steady 440 Hz tone), put in the Library once. */
  let longSeeded: Promise<void> | null = null;
  const seedLongRecording = () =>
    (longSeeded ??= (async () => {
      const files = await startFileServer(ARTIFACTS);
      try {
        await seedRecording(library, files.url(path.basename(FIXTURES.longRecording)), 'long', 'video/mp4', LONG_RECORDING_SECONDS * 1000);
      } finally {
        await files.close();
      }
      await library.reload();
      await library.waitForSelector('[data-recording-id="long"] [data-action="export"]', { timeout: 20_000 });
    })());

  it('cancels an MP4 export of a long recording midway and leaves nothing behind', async () => {
    // The MP4 of a whole H.264 recording is written straight into the Library's file (no scratch file).
    await seedLongRecording();
    await cancelMidway(session.studio, library, 'long', { format: 'mp4' });
  });

  it("keeps a long recording's sound whole in its MP4: one steady tone from start to end, no click or slip", async () => {
    await seedLongRecording();
    const file = await exportRecording(session.studio, library, 'long', { format: 'mp4' });
    const info = probe(file);
    expect(info.audio?.codec).toBe('aac');
    expect(Math.abs(info.audio!.duration - LONG_RECORDING_SECONDS)).toBeLessThan(0.3);
    expect(decodeErrors(file)).toBe('');
    // The tone, decoded, matches one steady 440 Hz sine (amplitude and phase fitted over it all)
    // in every 1024-sample window: a gap, a slip of a sample or a click anywhere in the four
    // minutes would leave a window far from it.
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a', '-f', 'f32le', '-ac', '1', '-'], { maxBuffer: 1 << 27 });
    const pcm = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const w = (2 * Math.PI * 440) / 48_000;
    const from = 48_000;
    const to = pcm.length - 48_000;
    let ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
    for (let i = from; i < to; i++) {
      const sin = Math.sin(w * i), cos = Math.cos(w * i);
      ss += sin * sin; sc += sin * cos; cc += cos * cos; xs += pcm[i]! * sin; xc += pcm[i]! * cos;
    }
    const det = ss * cc - sc * sc;
    const a = (xs * cc - xc * sc) / det;
    const b = (xc * ss - xs * sc) / det;
    const windows: number[] = [];
    for (let start = from; start + 1024 <= to; start += 1024) {
      let signal = 0, error = 0;
      for (let i = start; i < start + 1024; i++) {
        const fitted = a * Math.sin(w * i) + b * Math.cos(w * i);
        signal += fitted * fitted;
        error += (pcm[i]! - fitted) ** 2;
      }
      windows.push(10 * Math.log10(signal / error));
    }
    expect(Math.hypot(a, b)).toBeGreaterThan(0.05);
    expect(Math.min(...windows)).toBeGreaterThan(30);
  });
});
