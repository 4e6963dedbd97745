import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromaKeyWasmForEsbuild } from '../scripts/chroma-wasm';
import { launchStudio } from '../tests/e2e/harness';
import { startFileServer } from '../tests/e2e/page-server';
import { median, report, type Goal, type Row } from './report';

/**
 * The chroma key's cost per frame, in headless Chromium, from a video frame in to a video frame
 * out: the seed's naive key (RGB distance with Math.sqrt over per-pixel arrays, through
 * getImageData/putImageData) against each of our engines (lib/media/chroma/: WebAssembly SIMD
 * and plain JS — copyTo, the key, a frame of the pixels — and WebGL2, here a software
 * rasteriser), on the same frames at 480×300, 1280×720 and 1920×1080; and which engine the
 * start-up measurement (choose.ts) picks. The goals are for our fastest engine here.
 */
const WORK = path.resolve('bench/.artifacts/chroma');
const SIZES = [
  { name: '480×300', width: 480, height: 300, frames: 60 },
  { name: '1280×720', width: 1280, height: 720, frames: 40 },
  { name: '1920×1080', width: 1920, height: 1080, frames: 30 },
];
const ENGINES = { wasm: 'WebAssembly SIMD', gpu: 'WebGL2', js: 'JS' } as const;

export async function run(): Promise<void> {
  const site = path.join(WORK, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  await build({ entryPoints: { page: 'bench/chroma/page.ts' }, bundle: true, format: 'esm', outdir: site, target: 'chrome120', logLevel: 'error', plugins: [chromaKeyWasmForEsbuild()] });
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  const files = await startFileServer(site);
  const studio = await launchStudio('none');
  const rows: Row[] = [];
  const goals: Goal[] = [];
  try {
    const page = await studio.openPage(files.url('index.html'));
    await page.waitForFunction('typeof window.runChroma === "function"');
    for (const size of SIZES) {
      const result = (await page.evaluate(
        (w, h, n) => (window as unknown as { runChroma(w: number, h: number, n: number): Promise<unknown> }).runChroma(w, h, n),
        size.width,
        size.height,
        size.frames,
      )) as { times: Record<string, number[]>; chosen: keyof typeof ENGINES };
      // The first frames warm the code up; the median of the rest is the figure.
      const ms = (name: string) => (result.times[name] ? median(result.times[name].slice(3)) : null);
      const naive = ms('naive')!;
      const row: Row = { size: size.name, "seed's naive key, ms/frame": Number(naive.toFixed(2)) };
      for (const [name, label] of Object.entries(ENGINES)) {
        const value = ms(name);
        row[`ours, ${label}, ms/frame`] = value === null ? 'not available' : Number(value.toFixed(2));
        if (value !== null) row[`${label} ÷ naive (throughput)`] = Number((naive / value).toFixed(2));
      }
      const fastest = Math.min(...Object.keys(ENGINES).map((name) => ms(name) ?? Infinity));
      row['chosen at start-up'] = ENGINES[result.chosen];
      row['ours (fastest), frames/s'] = Number((1000 / fastest).toFixed(1));
      console.log(Object.entries(row).map(([k, v]) => `${k}: ${v}`).join(', '));
      rows.push(row);
      const ratio = naive / fastest;
      if (size.height >= 720) goals.push({ name: `${size.name}: our key's throughput against the naive key's`, value: Number(ratio.toFixed(2)), target: '≥ 3×', met: ratio >= 3 });
      if (size.height === 1080) goals.push({ name: '1920×1080: our key, frames a second', value: Number((1000 / fastest).toFixed(1)), target: '≥ 30', met: 1000 / fastest >= 30 });
    }
  } finally {
    await studio.close();
    await files.close();
  }
  report('chroma', rows, goals);
}
