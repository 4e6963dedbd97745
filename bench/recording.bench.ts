import { statSync } from 'node:fs';
import os from 'node:os';
import type { Page } from 'puppeteer';
import { probeFormats, type ProbeRow } from '../lib/media/formats';
import { TIMESLICE_MS } from '../lib/recording/recorder';
import { ensureFixtures } from '../tests/e2e/fixtures';
import { launchStudio, sleep, type Studio } from '../tests/e2e/harness';
import { downloadFromLibrary } from '../tests/e2e/library-helpers';
import { probe } from '../tests/e2e/media';
import { startPageServer } from '../tests/e2e/page-server';
import { chromiumCpuSeconds } from './proc';
import { recordFromPopup } from './record-from-popup';
import { report, type Row } from './report';

const TYPE_SECONDS = Number(process.env.BENCH_TYPE_SECONDS ?? 10);

/** Sets the recording type the way Options does: in the settings. */
async function chooseType(studio: Studio, row: ProbeRow): Promise<void> {
  await (await studio.serviceWorker()).evaluate(async (format) => {
    const { settings } = (await chrome.storage.local.get('settings')) as { settings?: { recording?: object } };
    await chrome.storage.local.set({ settings: { ...settings, recording: { ...settings?.recording, container: format.container, videoCodec: format.video, audioCodec: format.audio } } });
  }, { container: row.container, video: row.video, audio: row.audio });
}

/**
 * CPU per recorded second for each type the probe offers: the same animated 720p tab recorded
 * for TYPE_SECONDS with each, the whole browser's CPU time counted, less what the page costs
 * when nothing records (measured in the same run). Figures to choose the default on; no goal.
 */
async function cpuPerType(studio: Studio, page: Page): Promise<{ rows: Row[] }> {
  const answers = new Map<string, boolean>();
  const types = probeFormats(() => true).map((r) => r.mimeType);
  const library = await studio.openPage(studio.url('options.html'));
  const verdicts = await library.evaluate((list) => list.map((t) => MediaRecorder.isTypeSupported(t)), types);
  await library.close();
  types.forEach((t, i) => answers.set(t, verdicts[i]!));
  const offered = probeFormats((t) => answers.get(t) ?? false).filter((r) => r.offered);

  await page.bringToFront();
  let idle = Number.POSITIVE_INFINITY;

  // Two passes, interleaved, each type's lower figure kept: one 10 s sample moves with the
  // machine's other work by as much as the types differ.
  const best = new Map<string, number>();
  for (let pass = 0; pass < 2; pass++) {
    const idleStart = chromiumCpuSeconds();
    await sleep(TYPE_SECONDS * 1000);
    idle = Math.min(idle, (chromiumCpuSeconds() - idleStart) / TYPE_SECONDS);
    for (const row of offered) {
      await chooseType(studio, row);
      const { cores } = await recordFromPopup(studio, page, 'record-tab', TYPE_SECONDS);
      best.set(row.mimeType, Math.min(best.get(row.mimeType) ?? Infinity, cores));
      console.log(`${row.mimeType}: ${cores.toFixed(2)} cores while recording (${(cores - idle).toFixed(2)} above the page alone)`);
      for (const p of (await studio.browser.pages()).filter((x) => x.url().includes('library.html'))) await p.close();
      await page.bringToFront();
    }
  }
  const measured = offered.map((row) => ({ row, cores: best.get(row.mimeType)! }));
  const base = measured.find((m) => m.row.mimeType === 'video/mp4;codecs=avc1,opus') ?? measured[0]!;
  const rows: Row[] = [{ metric: `CPU of the browser with the page alone, not recording, cores (of ${os.cpus().length})`, value: Number(idle.toFixed(2)) }];
  for (const m of measured) {
    rows.push({
      metric: `CPU for recording as ${m.row.mimeType}, cores above the page alone`,
      value: Number((m.cores - idle).toFixed(2)),
      '÷ MP4/H.264': Number(((m.cores - idle) / (base.cores - idle)).toFixed(2)),
    });
  }
  return { rows };
}

/**
 * A long tab recording (10 minutes of a 720p animated page by default; BENCH_MINUTES to change)
 * through the real toolbar path. Watches the offscreen document's JS heap, and checks that every
 * frame the capture delivered and every second recorded reached the finished file.
 */
export async function run(): Promise<void> {
  const minutes = Number(process.env.BENCH_MINUTES ?? 10);
  const sampleEveryMs = 30_000;
  ensureFixtures();
  const pages = await startPageServer();
  const studio = await launchStudio('none', { windowSize: { width: 1280, height: 720 } });
  try {
    const page = await studio.openPage(pages.url('animated.html'));
    await page.waitForFunction('window.toneRunning()');
    const perType = await cpuPerType(studio, page);
    // The long recording is made in the default type.
    await (await studio.serviceWorker()).evaluate(() => chrome.storage.local.remove('settings'));
    let popup = await studio.openPopup(page);
    await popup.click('[data-action="record-tab"]');
    const started = await studio.waitForState('the recording to start', (s) => s.status === 'recording');
    const offscreen = (await studio.offscreenDocument())!;
    const cdp = await offscreen.createCDPSession();
    const heapMb = async (collect: boolean) => {
      if (collect) await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1e6;
    };
    await sleep(5000);
    const heapStart = await heapMb(true);
    const drawnStart = (await page.evaluate('window.framesDrawn')) as number;

    let heapPeak = heapStart;
    const endAt = started.activeSince! + minutes * 60_000;
    while (Date.now() < endAt) {
      await sleep(Math.min(sampleEveryMs, Math.max(0, endAt - Date.now())));
      const s = await studio.state();
      const heap = await heapMb(false);
      heapPeak = Math.max(heapPeak, heap);
      const elapsed = Math.round((Date.now() - started.activeSince!) / 1000);
      console.log(`${elapsed} s: heap ${heap.toFixed(2)} MB, stored ${(s.bytes / 1e6).toFixed(1)} MB in ${s.chunks} chunks, ${s.frames} frames delivered`);
    }
    const heapEnd = await heapMb(true);
    const drawn = ((await page.evaluate('window.framesDrawn')) as number) - drawnStart;
    const last = await studio.state();

    popup = await studio.openPopup(page);
    const stopClicked = Date.now();
    await popup.click('[data-action="stop"]');
    const recordedSeconds = (stopClicked - started.activeSince!) / 1000;
    const done = await studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== null, 600_000);
    const finalizeSeconds = (Date.now() - stopClicked) / 1000;
    const { file } = await downloadFromLibrary(studio, done.lastRecordingId!);
    const info = probe(file);

    const rows: Row[] = [
      { metric: 'offscreen JS heap at start (after GC), MB', value: Number(heapStart.toFixed(2)) },
      { metric: 'offscreen JS heap peak while recording (no GC), MB', value: Number(heapPeak.toFixed(2)) },
      { metric: 'offscreen JS heap at end (after GC), MB', value: Number(heapEnd.toFixed(2)) },
      { metric: 'heap end / start', value: Number((heapEnd / heapStart).toFixed(3)) },
      { metric: `chunks stored (${TIMESLICE_MS / 1000} s timeslice)`, value: last.chunks },
      { metric: 'seconds recorded', value: Number(recordedSeconds.toFixed(1)) },
      { metric: 'file duration, s', value: Number(info.duration.toFixed(2)) },
      { metric: 'frames the page drew', value: drawn },
      { metric: 'frames the capture delivered (by last sample)', value: last.frames },
      { metric: 'frames in the file', value: info.video?.frames ?? 0 },
      { metric: 'file / delivered frames', value: last.frames ? Number(((info.video?.frames ?? 0) / last.frames).toFixed(3)) : null },
      { metric: 'file size, MB', value: Number((statSync(file).size / 1e6).toFixed(1)) },
      { metric: 'stop → in the Library (remux), s', value: Number(finalizeSeconds.toFixed(1)) },
    ];
    const growth = heapEnd - heapStart;
    report('recording', [...perType.rows, ...rows], [
      { name: 'offscreen heap growth, MB', value: Number(growth.toFixed(2)), target: '≤ 20', met: growth <= 20 },
      {
        name: 'frames in the file / frames delivered',
        value: last.frames ? Number(((info.video?.frames ?? 0) / last.frames).toFixed(3)) : 0,
        target: '≥ 1 (none lost)',
        met: last.frames !== null && (info.video?.frames ?? 0) >= last.frames,
      },
      {
        name: 'file duration − seconds recorded',
        value: Number((info.duration - recordedSeconds).toFixed(2)),
        target: 'within ±1 s (no chunk lost)',
        met: Math.abs(info.duration - recordedSeconds) <= 1,
      },
    ]);
  } finally {
    await studio.close();
    await pages.close();
  }
}
