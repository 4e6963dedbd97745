import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { chromaKeyWasmModule } from '../scripts/chroma-wasm';
import { launchStudio } from '../tests/e2e/harness';
import { startFileServer } from '../tests/e2e/page-server';
const plugin: Plugin = { name: 'w', setup(b) { b.onResolve({ filter: /^virtual:chroma-key-wasm$/ }, () => ({ path: 'w', namespace: 'w' })); b.onLoad({ filter: /.*/, namespace: 'w' }, async () => ({ contents: await chromaKeyWasmModule(), loader: 'js' })); } };
const site = path.resolve('bench/.artifacts/zz'); rmSync(site, { recursive: true, force: true }); mkdirSync(site, { recursive: true });
writeFileSync(path.join(site, 'p.ts'), `
import { autoKey } from '../../../lib/media/chroma/auto-key';
import { openSimdKey } from '../../../lib/media/chroma/key-simd';
import { screenScene } from '../../../lib/media/chroma/test-scene';
(window as any).go = async (w: number, h: number) => {
  const { rgba } = screenScene([40, 200, 60], w, h, 3);
  const frame = new VideoFrame(rgba, { format: 'RGBA', codedWidth: w, codedHeight: h, timestamp: 0 });
  const simd = await openSimdKey();
  const input = simd.input(w, h);
  const key = autoKey(rgba, w, h)!;
  const t = { copy: 0, key: 0, make: 0, read: 0 };
  const one = new Uint8Array(4);
  for (let i = 0; i < 30; i++) {
    let s = performance.now(); await frame.copyTo(input, { format: 'RGBA', colorSpace: 'srgb' }); const a = performance.now(); 
    const out = simd.key(key, [255, 0, 255]); const b = performance.now();
    const f = new VideoFrame(out, { format: 'RGBA', codedWidth: w, codedHeight: h, timestamp: 0 }); const c = performance.now();
    await f.copyTo(one, { rect: { x: 0, y: 0, width: 1, height: 1 }, format: 'RGBA' }); f.close(); const d = performance.now();
    if (i >= 5) { t.copy += a - s; t.key += b - a; t.make += c - b; t.read += d - c; }
  }
  for (const k of Object.keys(t)) (t as any)[k] = ((t as any)[k] / 25).toFixed(2);
  return t;
};`);
await build({ entryPoints: { page: path.join(site, 'p.ts') }, bundle: true, format: 'esm', outdir: site, target: 'chrome120', logLevel: 'error', plugins: [plugin] });
writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
const files = await startFileServer(site);
const studio = await launchStudio('none');
const page = await studio.openPage(files.url('index.html'));
await page.waitForFunction('typeof window.go === "function"');
for (const [w, h] of [[1280, 720], [1920, 1080]]) console.log(w, h, await page.evaluate((w, h) => (window as any).go(w, h), w, h));
await studio.close(); await files.close();
