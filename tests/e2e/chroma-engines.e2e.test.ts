import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromaKeyWasmForEsbuild } from '../../scripts/chroma-wasm';
import { launchStudio, type Studio } from './harness';
import { startFileServer, type FileServer } from './page-server';
import type { BehindName } from './pages/chroma-engines';

/**
 * The chroma key's engines in real Chromium — WebGL2 shaders (here on its software rasteriser),
 * WebAssembly SIMD and plain JS — key the same frames to the same pixels, and the start-up
 * measurement picks one that runs.
 */
const SITE = path.resolve('tests/.artifacts/chroma-engines');

let studio: Studio;
let files: FileServer;
let page: Page;

beforeAll(async () => {
  rmSync(SITE, { recursive: true, force: true });
  mkdirSync(SITE, { recursive: true });
  await build({ entryPoints: { page: 'tests/e2e/pages/chroma-engines.ts' }, bundle: true, format: 'esm', outdir: SITE, target: 'chrome120', logLevel: 'error', plugins: [chromaKeyWasmForEsbuild()] });
  writeFileSync(path.join(SITE, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  files = await startFileServer(SITE);
  studio = await launchStudio('none');
  page = await studio.openPage(files.url('index.html'));
  await page.waitForFunction('typeof window.keyWithEach === "function"', { timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  await studio?.close();
  await files?.close();
});

interface Keyed {
  keyed: Record<'js' | 'wasm' | 'gpu', number[] | undefined>;
  chosen: string;
  measured: Record<string, number>;
  gpuSkipped: boolean;
  /** The first frame as the choice keyed it. */
  chosenKeyed: number[];
}

const keyWithEach = (width: number, height: number, screen: [number, number, number], behind: BehindName) =>
  page.evaluate(
    (w, h, s, b) => (window as unknown as { keyWithEach(...args: unknown[]): Promise<Keyed> }).keyWithEach(w, h, s, b),
    width,
    height,
    screen,
    behind,
  ) as Promise<Keyed>;

/** The largest difference in levels, and how many channels differ at all. */
function compare(a: number[], b: number[]): { largest: number; differing: number } {
  let largest = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    largest = Math.max(largest, d);
    if (d) differing++;
  }
  return { largest, differing };
}

describe('the chroma key engines', () => {
  for (const [width, height] of [[320, 200], [318, 201]] as const) {
    for (const [name, screen] of [['green', [40, 200, 60]], ['blue', [30, 70, 210]]] as const) {
      it(`the GPU, SIMD and JS engines agree within 2 levels per channel, ${name} screen at ${width}×${height}, over a colour and a picture`, async () => {
        for (const behind of ['colour', 'picture'] as const) {
          const { keyed } = await keyWithEach(width, height, [...screen], behind);
          expect(keyed.gpu, 'WebGL2 runs in headless Chromium (SwiftShader)').toBeDefined();
          expect(compare(keyed.wasm!, keyed.js!).largest, `${behind}: SIMD against JS`).toBeLessThanOrEqual(2);
          expect(compare(keyed.gpu!, keyed.js!).largest, `${behind}: GPU against JS`).toBeLessThanOrEqual(2);
          expect(compare(keyed.gpu!, keyed.wasm!).largest, `${behind}: GPU against SIMD`).toBeLessThanOrEqual(2);
          // And the key did something: the corner is the colour or the picture behind.
          expect(keyed.gpu!.slice(0, 3)).toEqual(behind === 'colour' ? [255, 0, 255] : [0, 90, 255]);
        }
      }, 60_000);
    }
  }

  it('keys to transparent alike: the same alpha, and the same colour as it shows over anything', async () => {
    const { keyed } = await keyWithEach(320, 200, [40, 200, 60], 'transparent');
    const alphas = (pixels: number[]) => pixels.filter((_, i) => i % 4 === 3);
    expect(compare(alphas(keyed.gpu!), alphas(keyed.js!)).largest).toBeLessThanOrEqual(2);
    expect(compare(alphas(keyed.wasm!), alphas(keyed.js!)).largest).toBeLessThanOrEqual(2);
    expect(alphas(keyed.js!)[0]).toBe(0);
    // What shows over anything is the colour times its alpha (a canvas keeps colour premultiplied,
    // so under a nearly transparent pixel its own colour is coarse): that must agree.
    const shown = (pixels: number[]) => pixels.map((v, i) => (i % 4 === 3 ? v : Math.round((v * pixels[i - (i % 4) + 3]!) / 255)));
    expect(compare(shown(keyed.gpu!), shown(keyed.js!)).largest).toBeLessThanOrEqual(2);
    expect(compare(shown(keyed.wasm!), shown(keyed.js!)).largest).toBeLessThanOrEqual(2);
  }, 60_000);

  it('at start-up, sees that WebGL2 here is a software rasteriser: keys with the SIMD engine at once, with nothing to time', async () => {
    const { chosen, measured, gpuSkipped, keyed, chosenKeyed } = await keyWithEach(640, 360, [40, 200, 60], 'colour');
    expect(gpuSkipped).toBe(true);
    expect(chosen).toBe('wasm');
    // One candidate: it keys the first frame once, untimed (the keyer measures it on the frames it keys)...
    expect(measured).toEqual({});
    // ...and that keyed frame is the first output, the same as the engine keys it.
    expect(compare(chosenKeyed, keyed.wasm!).largest).toBe(0);
  }, 60_000);

  it('keys a camera wider than the SIMD engine takes (4096 pixels) with another, also when SIMD was chosen by hand', async () => {
    for (const preference of ['auto', 'wasm'] as const) {
      const { chosen, corner } = await page.evaluate(
        (p) => (window as unknown as { chooseFor(...args: unknown[]): Promise<{ chosen: string; corner: number[] }> }).chooseFor(4112, 24, p),
        preference,
      );
      expect(chosen, preference).toBe('js');
      expect(corner.slice(0, 3), `${preference}: keyed`).toEqual([255, 0, 255]);
    }
  }, 60_000);
});
