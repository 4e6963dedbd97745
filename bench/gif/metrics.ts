import { GifReader } from 'omggif';

/**
 * How a GIF compares with the frames it was made from: every frame as a player shows it
 * (frames drawn over each other, disposal honoured), sampled at the source's frame times on the
 * GIF's own timeline (stretched to the source's length: gif.js rounds 33 ms down to 30).
 */
export function playedFrames(bytes: Uint8Array, count: number, fps: number): Uint8Array[] {
  const reader = new GifReader(bytes);
  const { width, height } = reader;
  const screen = new Uint8Array(width * height * 4);
  const shown: Uint8Array[] = [];
  const starts: number[] = [];
  let time = 0;
  let previous: Uint8Array | null = null;
  for (let i = 0; i < reader.numFrames(); i++) {
    const info = reader.frameInfo(i);
    if (info.disposal === 3) previous = Uint8Array.from(screen);
    reader.decodeAndBlitFrameRGBA(i, screen);
    shown.push(Uint8Array.from(screen));
    starts.push(time);
    time += info.delay;
    // What the next frame is drawn over.
    if (info.disposal === 2) {
      for (let y = info.y; y < info.y + info.height; y++) screen.fill(0, (y * width + info.x) * 4, (y * width + info.x + info.width) * 4);
    } else if (info.disposal === 3 && previous) {
      screen.set(previous);
    }
  }
  const scale = time > 0 ? (count * 100) / fps / time : 1;
  return Array.from({ length: count }, (_, k) => {
    const at = (k * 100) / fps + 0.5;
    let index = 0;
    while (index + 1 < starts.length && starts[index + 1]! * scale <= at) index++;
    return shown[index]!;
  });
}

export function psnr(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += (a[i + c]! - b[i + c]!) ** 2;
  }
  const mse = sum / ((a.length / 4) * 3);
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/** Mean SSIM of the luma over 8×8 blocks. */
export function ssim(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  const luma = (d: Uint8Array, p: number) => 0.299 * d[p * 4]! + 0.587 * d[p * 4 + 1]! + 0.114 * d[p * 4 + 2]!;
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let blocks = 0;
  for (let by = 0; by + 8 <= height; by += 8) {
    for (let bx = 0; bx + 8 <= width; bx += 8) {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let y = by; y < by + 8; y++) {
        for (let x = bx; x < bx + 8; x++) {
          const p = y * width + x;
          const va = luma(a, p);
          const vb = luma(b, p);
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const n = 64;
      const ma = sa / n, mb = sb / n;
      const va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      blocks++;
    }
  }
  return total / blocks;
}

/**
 * Shimmer: of the pixels that do not change in the source between two frames (`still`, from
 * the noise-free source), the share that changes in the GIF, averaged over the frames.
 */
export function shimmer(played: Uint8Array[], still: Uint8Array[]): number {
  let sum = 0;
  let frames = 0;
  for (let k = 1; k < played.length; k++) {
    let count = 0;
    let changed = 0;
    const a = played[k - 1]!, b = played[k]!, s0 = still[k - 1]!, s1 = still[k]!;
    for (let i = 0; i < a.length; i += 4) {
      if (s0[i] !== s1[i] || s0[i + 1] !== s1[i + 1] || s0[i + 2] !== s1[i + 2]) continue;
      count++;
      if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) changed++;
    }
    if (count > 0) {
      sum += changed / count;
      frames++;
    }
  }
  return frames > 0 ? sum / frames : 0;
}
