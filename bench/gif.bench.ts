import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer';
import { CHROME_PATH } from '../tests/e2e/harness';
import { startFileServer, type FileServer } from '../tests/e2e/page-server';
import type { EncodeResult } from './gif/page';
import { playedFrames, psnr, shimmer, ssim } from './gif/metrics';
import { report, type Goal, type Row } from './report';

/**
 * Our GIF encoder against gif.js 0.2.0 (2 workers, quality 10: what Screenity ships), gifenc
 * (a palette per frame) and the gifski CLI (the quality reference; AGPL, a bench tool only),
 * on 60 frames at 480×270 of video-like content and of screen content, all in the same run.
 */
const WIDTH = 480;
const HEIGHT = 270;
const FRAMES = 60;
const FPS = 30;
const WORK = path.resolve('bench/.artifacts/gif');
const GIFSKI = path.resolve('node_modules/gifski/bin/debian/gifski');

interface FrameSet {
  name: string;
  /** What the encoders get. */
  frames: Buffer;
  /** Noise-free frames: where they do not change, the GIF should not either. */
  still: Buffer;
}

function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { maxBuffer: 1 << 30 });
}

/** testsrc2 (moving shapes over still bars, text and gradients) with camera-like noise. */
function videoLike(): FrameSet {
  const source = `testsrc2=size=${WIDTH}x${HEIGHT}:rate=${FPS}`;
  const raw = (filter: string) => ffmpeg(['-f', 'lavfi', '-i', filter, '-frames:v', String(FRAMES), '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
  return { name: 'video-like', frames: raw(`${source},noise=alls=10:allf=t+u`), still: raw(source) };
}

/** A page with text, a photo and buttons, captured in Chromium while it scrolls and a cursor moves. */
async function screenContent(browser: Browser, site: FileServer): Promise<FrameSet> {
  const dir = path.join(WORK, 'screen');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const page = await browser.newPage();
  await page.setViewport({ width: WIDTH, height: HEIGHT, deviceScaleFactor: 1 });
  await page.goto(site.url('screen.html'));
  await page.waitForFunction('document.images[0].complete');
  for (let i = 0; i < FRAMES; i++) {
    await page.evaluate((n) => (window as unknown as { step(n: number): void }).step(n), i);
    await page.screenshot({ path: path.join(dir, `${String(i).padStart(3, '0')}.png`) as `${string}.png` });
  }
  await page.close();
  const frames = ffmpeg(['-i', path.join(dir, '%03d.png'), '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
  return { name: 'screen', frames, still: frames };
}

async function servePage(): Promise<FileServer> {
  const site = path.join(WORK, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  await build({ entryPoints: { page: 'bench/gif/page.ts', 'our-worker': 'lib/export/gif/worker.ts' }, bundle: true, format: 'esm', outdir: site, target: 'chrome120', logLevel: 'error' });
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="/gif.js"></script><script type="module" src="/page.js"></script>');
  for (const file of ['gif.js/dist/gif.js', 'gif.js/dist/gif.worker.js', 'gifenc/dist/gifenc.esm.js']) {
    writeFileSync(path.join(site, path.basename(file)), readFileSync(path.resolve('node_modules', file)));
  }
  writeFileSync(path.join(site, 'screen.html'), readFileSync('bench/gif/screen.html'));
  // The screen's "photo": a frame of ffmpeg's mandelbrot, as a JPEG.
  ffmpeg(['-f', 'lavfi', '-i', 'mandelbrot=size=300x200', '-frames:v', '1', '-q:v', '3', path.join(site, 'photo.jpg')]);
  return startFileServer(site);
}

function gifski(set: FrameSet): EncodeResult {
  const dir = path.join(WORK, `gifski-${set.name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const raw = path.join(dir, 'frames.rgba');
  writeFileSync(raw, set.frames);
  ffmpeg(['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${WIDTH}x${HEIGHT}`, '-i', raw, path.join(dir, '%03d.png')]);
  const pngs = readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => path.join(dir, f));
  const out = path.join(dir, 'out.gif');
  const start = performance.now();
  const result = spawnSync(GIFSKI, ['--quiet', '--fps', String(FPS), '--width', String(WIDTH), '-o', out, ...pngs]);
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`gifski failed: ${result.stderr}`);
  return { ms, base64: readFileSync(out).toString('base64') };
}

interface Measured {
  set: string;
  encoder: string;
  msPerFrame: number;
  bytes: number;
  psnr: number;
  ssim: number;
  shimmer: number;
}

function measure(set: FrameSet, encoder: string, result: EncodeResult): Measured {
  const bytes = Buffer.from(result.base64, 'base64');
  writeFileSync(path.join(WORK, `${set.name}-${encoder.replace(/\W+/g, '-')}.gif`), bytes);
  const size = WIDTH * HEIGHT * 4;
  const source = Array.from({ length: FRAMES }, (_, i) => new Uint8Array(set.frames.subarray(i * size, (i + 1) * size)));
  const still = Array.from({ length: FRAMES }, (_, i) => new Uint8Array(set.still.subarray(i * size, (i + 1) * size)));
  const played = playedFrames(new Uint8Array(bytes), FRAMES, FPS);
  const mean = (f: (i: number) => number) => source.reduce((sum, _, i) => sum + f(i), 0) / FRAMES;
  return {
    set: set.name,
    encoder,
    msPerFrame: result.ms / FRAMES,
    bytes: bytes.length,
    psnr: mean((i) => psnr(played[i]!, source[i]!)),
    ssim: mean((i) => ssim(played[i]!, source[i]!, WIDTH, HEIGHT)),
    shimmer: shimmer(played, still),
  };
}

export async function run(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const site = await servePage();
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--no-first-run', '--proxy-server=http://127.0.0.1:9'],
  });
  const results: Measured[] = [];
  try {
    const sets = [videoLike(), await screenContent(browser, site)];
    const page = await browser.newPage();
    await page.goto(site.url('index.html'));
    await page.waitForFunction('window.benchGif !== undefined');
    for (const set of sets) {
      writeFileSync(path.join(WORK, 'site', `${set.name}.rgba`), set.frames);
      const inPage = (encoder: 'ours' | 'gifJs' | 'gifenc', ...extra: unknown[]) =>
        page.evaluate(
          (e, name, w, h, fps, more) => (window as unknown as { benchGif: Record<string, (...a: unknown[]) => Promise<EncodeResult>> }).benchGif[e]!(name, w, h, fps, ...more),
          encoder,
          set.name,
          WIDTH,
          HEIGHT,
          FPS,
          extra,
        );
      results.push(measure(set, 'ours (balanced)', await inPage('ours', 'balanced')));
      results.push(measure(set, 'ours (high)', await inPage('ours', 'high')));
      results.push(measure(set, 'gif.js 0.2.0', await inPage('gifJs')));
      results.push(measure(set, 'gifenc 1.0.3', await inPage('gifenc')));
      results.push(measure(set, 'gifski 1.7.1 CLI', gifski(set)));
      console.log(`${set.name}: done`);
    }
  } finally {
    await browser.close();
    await site.close();
  }

  const rows: Row[] = results.map((m) => {
    const gifJs = results.find((r) => r.set === m.set && r.encoder.startsWith('gif.js'))!;
    const ski = results.find((r) => r.set === m.set && r.encoder.startsWith('gifski'))!;
    return {
      set: m.set,
      encoder: m.encoder,
      'ms/frame': Number(m.msPerFrame.toFixed(1)),
      'time ÷ gif.js': Number((m.msPerFrame / gifJs.msPerFrame).toFixed(2)),
      'KB': Number((m.bytes / 1024).toFixed(1)),
      'bytes ÷ gif.js': Number((m.bytes / gifJs.bytes).toFixed(2)),
      'PSNR dB': Number(m.psnr.toFixed(2)),
      'PSNR − gifski': Number((m.psnr - ski.psnr).toFixed(2)),
      SSIM: Number(m.ssim.toFixed(4)),
      'shimmer %': Number((m.shimmer * 100).toFixed(2)),
    };
  });
  const goals: Goal[] = [];
  for (const set of [...new Set(results.map((r) => r.set))]) {
    const ours = results.find((r) => r.set === set && r.encoder === 'ours (balanced)')!;
    const gifJs = results.find((r) => r.set === set && r.encoder.startsWith('gif.js'))!;
    const ski = results.find((r) => r.set === set && r.encoder.startsWith('gifski'))!;
    goals.push(
      { name: `${set}: PSNR (dB), ours vs gifski ${ski.psnr.toFixed(2)}`, value: Number(ours.psnr.toFixed(2)), target: '≥ gifski', met: ours.psnr >= ski.psnr },
      { name: `${set}: shimmer (%), ours vs gifski ${(ski.shimmer * 100).toFixed(2)}`, value: Number((ours.shimmer * 100).toFixed(2)), target: '≤ gifski', met: ours.shimmer <= ski.shimmer },
      { name: `${set}: ms/frame, ours vs gif.js ${gifJs.msPerFrame.toFixed(1)}`, value: Number(ours.msPerFrame.toFixed(1)), target: '≤ gif.js', met: ours.msPerFrame <= gifJs.msPerFrame },
      { name: `${set}: KB, ours vs gif.js ${(gifJs.bytes / 1024).toFixed(1)}`, value: Number((ours.bytes / 1024).toFixed(1)), target: '≤ gif.js', met: ours.bytes <= gifJs.bytes },
    );
  }
  report('gif', rows, goals);
}
