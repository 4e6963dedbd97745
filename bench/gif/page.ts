/**
 * The GIF bench's page (bundled by bench/gif.bench.ts): encodes one set of frames with our
 * encoder, gif.js 0.2.0 and gifenc, in the browser, and hands back the bytes and the time.
 */
import { GifEncoder, workerPool } from '../../lib/export/gif/encoder';
import { encoderSettings, type GifQuality } from '../../lib/export/gif-export';

export interface EncodeResult {
  ms: number;
  base64: string;
}

interface GifJs {
  addFrame(data: ImageData, options: { delay: number; copy: boolean }): void;
  on(event: 'finished', handler: (blob: Blob) => void): void;
  render(): void;
}
declare const GIF: new (options: { workers: number; quality: number; width: number; height: number; workerScript: string }) => GifJs;

interface Gifenc {
  GIFEncoder(): { writeFrame(index: Uint8Array, w: number, h: number, o: { palette: number[][]; delay: number }): void; finish(): void; bytes(): Uint8Array };
  quantize(rgba: Uint8Array, colors: number): number[][];
  applyPalette(rgba: Uint8Array, palette: number[][]): Uint8Array;
}

async function frames(set: string, width: number, height: number): Promise<Uint8Array[]> {
  const all = new Uint8Array(await (await fetch(`/${set}.rgba`)).arrayBuffer());
  const size = width * height * 4;
  // Standalone buffers: gifenc ignores a view's offset (shared/notes/performance.md).
  return Array.from({ length: all.length / size }, (_, i) => all.slice(i * size, (i + 1) * size));
}

async function base64(bytes: Uint8Array): Promise<string> {
  const url = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsDataURL(new Blob([bytes as BlobPart]));
  });
  return url.slice(url.indexOf(',') + 1);
}

async function ours(set: string, width: number, height: number, fps: number, quality: GifQuality): Promise<EncodeResult> {
  const input = await frames(set, width, height);
  const parts: Uint8Array[] = [];
  const start = performance.now();
  const pool = workerPool(() => new Worker('/our-worker.js', { type: 'module' }), 2);
  const encoder = new GifEncoder({ width, height, loop: { kind: 'forever' }, ...encoderSettings(quality) }, async (b) => void parts.push(b), pool);
  for (const [i, frame] of input.entries()) await encoder.add(frame, i / fps);
  await encoder.finish(input.length / fps);
  pool.close();
  const ms = performance.now() - start;
  const bytes = new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
  return { ms, base64: await base64(bytes) };
}

async function gifJs(set: string, width: number, height: number, fps: number): Promise<EncodeResult> {
  const input = await frames(set, width, height);
  const start = performance.now();
  const gif = new GIF({ workers: 2, quality: 10, width, height, workerScript: '/gif.worker.js' });
  for (const frame of input) gif.addFrame(new ImageData(new Uint8ClampedArray(frame.buffer as ArrayBuffer), width, height), { delay: 1000 / fps, copy: true });
  const blob = await new Promise<Blob>((resolve) => {
    gif.on('finished', resolve);
    gif.render();
  });
  const ms = performance.now() - start;
  return { ms, base64: await base64(new Uint8Array(await blob.arrayBuffer())) };
}

async function gifenc(set: string, width: number, height: number, fps: number): Promise<EncodeResult> {
  const lib = (await import(/* @vite-ignore */ `${location.origin}/gifenc.esm.js`)) as Gifenc;
  const input = await frames(set, width, height);
  const start = performance.now();
  const gif = lib.GIFEncoder();
  for (const frame of input) {
    const palette = lib.quantize(frame, 256);
    gif.writeFrame(lib.applyPalette(frame, palette), width, height, { palette, delay: 1000 / fps });
  }
  gif.finish();
  const ms = performance.now() - start;
  return { ms, base64: await base64(gif.bytes()) };
}

Object.assign(window, { benchGif: { ours, gifJs, gifenc } });
