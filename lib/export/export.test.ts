import { describe, expect, it } from 'vitest';
import { shiftChunkOffsets, topLevelBoxes, writeFastStart } from '../media/faststart';
import { cleanGifSettings, fitSettings, frameTimes, gifHeight, type GifSettings } from './gif-export';
import { timeLeftMs } from './progress';
import { trimRange } from './trim';

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(new TextEncoder().encode(type), 4);
  let o = 8;
  for (const p of payload) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function stco(offsets: number[]): Uint8Array {
  const body = new Uint8Array(8 + offsets.length * 4);
  const view = new DataView(body.buffer);
  view.setUint32(4, offsets.length);
  offsets.forEach((o, i) => view.setUint32(8 + i * 4, o));
  return box('stco', body);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** ftyp, mdat with two chunks ("AAAA", "BBBB"), then a moov pointing at them. */
function moovAtEnd(): Uint8Array {
  const ftyp = box('ftyp', new TextEncoder().encode('isom\0\0\0\0'));
  const mdat = box('mdat', new TextEncoder().encode('AAAABBBB'));
  const first = ftyp.length + 8;
  const moov = box('moov', box('trak', box('mdia', box('minf', box('stbl', stco([first, first + 4]))))));
  return concat([ftyp, mdat, moov]);
}

class Collect extends WritableStream<Uint8Array> {
  parts: Uint8Array[] = [];
  constructor() {
    const parts: Uint8Array[] = [];
    super({ write: (chunk) => void parts.push(chunk) });
    this.parts = parts;
  }
}

describe('fast start', () => {
  it('moves the moov before the media and keeps every chunk offset pointing at its chunk', async () => {
    const sink = new Collect();
    expect(await writeFastStart(new Blob([moovAtEnd() as BlobPart]), sink)).toBe(true);
    const out = concat(sink.parts);
    const boxes = await topLevelBoxes(new Blob([out as BlobPart]));
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
    const view = new DataView(out.buffer);
    const moov = boxes[1]!;
    // stco entries are the last 8 bytes of the moov.
    const offsets = [view.getUint32(moov.start + moov.size - 8), view.getUint32(moov.start + moov.size - 4)];
    expect(offsets.map((o) => new TextDecoder().decode(out.subarray(o, o + 4)))).toEqual(['AAAA', 'BBBB']);
  });

  it('leaves a file whose moov is already first as it is', async () => {
    const sink = new Collect();
    const file = concat([box('ftyp'), box('moov'), box('mdat', Uint8Array.of(1, 2))]);
    expect(await writeFastStart(new Blob([file as BlobPart]), sink)).toBe(false);
    expect(concat(sink.parts)).toEqual(file);
  });

  it('refuses to move a 32-bit offset past 4 GB', () => {
    const moov = box('moov', box('trak', box('mdia', box('minf', box('stbl', stco([0xfffffff0]))))));
    expect(shiftChunkOffsets(moov, 0x100)).toBe(false);
  });

  it('says where a broken file breaks', async () => {
    const broken = box('mdat', Uint8Array.of(1, 2, 3));
    new DataView(broken.buffer).setUint32(0, 999);
    await expect(topLevelBoxes(new Blob([broken as BlobPart]))).rejects.toThrow(/box mdat at 0 runs past the end/);
  });
});

describe('trimRange', () => {
  it('clamps a cut to the file and drops one that covers it all', () => {
    expect(trimRange({ start: 1, end: 2, mode: 'exact' }, 5)).toEqual({ start: 1, end: 2 });
    expect(trimRange({ start: -1, end: 9, mode: 'fast' }, 5)).toBeNull();
    expect(trimRange({ start: 4, end: 9, mode: 'fast' }, 5)).toEqual({ start: 4, end: 5 });
    expect(() => trimRange({ start: 2, end: 2.05, mode: 'exact' }, 5)).toThrow(/shorter than/);
  });
});

describe('GIF planning', () => {
  const settings: GifSettings = { width: 640, fps: 20, loop: { kind: 'forever' }, quality: 'balanced' };

  it('takes frames at the GIF rate over the cut', () => {
    expect(frameTimes({ start: 1, end: 2 }, 10)).toEqual(Array.from({ length: 10 }, (_, i) => 1 + i / 10));
    expect(gifHeight(480, { width: 1280, height: 720 })).toBe(270);
  });

  it('bounds what a user typed', () => {
    expect(cleanGifSettings({ ...settings, fps: 90, width: 5 })).toMatchObject({ fps: 30, width: 32 });
  });

  it('keeps settings whose estimate fits, and shrinks the width first, then the rate, when it does not', () => {
    expect(fitSettings(settings, 500_000, 1_000_000)).toEqual(settings);
    const smaller = fitSettings(settings, 2_000_000, 1_000_000);
    expect(smaller.fps).toBe(20);
    expect(smaller.width).toBeLessThan(640 * Math.sqrt(0.5));
    const tiny = fitSettings(settings, 100_000_000, 1_000_000);
    expect(tiny.width).toBe(160);
    expect(tiny.fps).toBeLessThan(20);
  });
});

describe('timeLeftMs', () => {
  it('waits for enough progress, then extrapolates', () => {
    expect(timeLeftMs(0.01, 5000)).toBeNull();
    expect(timeLeftMs(0.25, 1000)).toBe(3000);
    expect(timeLeftMs(1, 1000)).toBe(0);
  });
});
