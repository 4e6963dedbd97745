import { statSync } from 'node:fs';
import { ensureFixtures } from '../tests/e2e/fixtures';
import { launchStudio, sleep } from '../tests/e2e/harness';
import { downloadFromLibrary } from '../tests/e2e/library-helpers';
import { probe } from '../tests/e2e/media';
import { startPageServer } from '../tests/e2e/page-server';
import { report, type Row } from './report';

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
      { metric: 'chunks stored (1 s timeslice)', value: last.chunks },
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
    report('recording', rows, [
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
