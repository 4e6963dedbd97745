import type { EncodedFrame } from './frame';

/**
 * The GIF89a container: header, loop extension, and per frame a graphic control extension
 * (delay, transparency, "leave in place" disposal so the next frame draws on top), an image
 * descriptor with a local colour table, and the LZW data.
 */

/** Forever, a number of extra plays, or play once. */
export type GifLoop = { kind: 'forever' } | { kind: 'count'; times: number } | { kind: 'none' };

const encoder = new TextEncoder();

export function gifHeader(width: number, height: number, loop: GifLoop): Uint8Array {
  const bytes: number[] = [...encoder.encode('GIF89a'), ...u16(width), ...u16(height), 0x00, 0, 0];
  if (loop.kind !== 'none') {
    const times = loop.kind === 'forever' ? 0 : Math.max(1, Math.min(65535, Math.round(loop.times)));
    bytes.push(0x21, 0xff, 0x0b, ...encoder.encode('NETSCAPE2.0'), 0x03, 0x01, ...u16(times), 0x00);
  }
  return Uint8Array.from(bytes);
}

/** A frame shown for `delayCs` hundredths of a second. */
export function gifFrame(frame: EncodedFrame, delayCs: number): Uint8Array {
  const { box, palette, transparentIndex, minCodeSize, data } = frame;
  const tableBits = Math.log2(palette.length / 3) - 1;
  const head = Uint8Array.from([
    0x21, 0xf9, 0x04, (1 << 2) | (transparentIndex !== null ? 1 : 0), ...u16(Math.max(0, Math.min(65535, delayCs))), transparentIndex ?? 0, 0x00,
    0x2c, ...u16(box.x), ...u16(box.y), ...u16(box.width), ...u16(box.height), 0x80 | tableBits,
  ]);
  const out = new Uint8Array(head.length + palette.length + 1 + data.length);
  out.set(head);
  out.set(palette, head.length);
  out[head.length + palette.length] = minCodeSize;
  out.set(data, head.length + palette.length + 1);
  return out;
}

export const GIF_TRAILER = Uint8Array.of(0x3b);

function u16(n: number): [number, number] {
  return [n & 0xff, (n >> 8) & 0xff];
}

/**
 * Hundredths of a second for each frame shown at `times` (seconds) until `end`: rounded on
 * the running total, so 30 fps comes out 3,3,4,… and the whole keeps its length.
 */
export function frameDelays(times: readonly number[], end: number): number[] {
  return times.map((t, i) => Math.round((times[i + 1] ?? end) * 100) - Math.round(t * 100));
}
