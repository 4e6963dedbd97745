/**
 * The chroma bench's page (bundled by bench/chroma.bench.ts): keys the same frames with the
 * seed's naive key and with ours, each timed from a video frame in to a video frame out.
 */
import { autoKey } from '../../lib/media/chroma/auto-key';
import { keyFrame } from '../../lib/media/chroma/key';

/** A green screen lit unevenly (60 % darker on the right) with noise, a face and a shirt in front. */
function scene(width: number, height: number, seed: number): ImageData {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  const rand = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31), s / 2 ** 31 - 0.5);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = 1 - 0.6 * (x / (width - 1));
      let colour = [40 * light, 200 * light, 60 * light];
      if (((x - width / 2) / (width / 8)) ** 2 + ((y - height * 0.4) / (height / 4)) ** 2 <= 1) colour = [224, 172, 140];
      else if (y > height * 0.68 && Math.abs(x - width / 2) < width / 4) colour = [40, 80, 40];
      const p = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[p + c] = colour[c]! + rand() * 16;
      data[p + 3] = 255;
    }
  }
  return new ImageData(data, width, height);
}

async function frames(width: number, height: number, count: number): Promise<VideoFrame[]> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const out: VideoFrame[] = [];
  for (let i = 0; i < Math.min(count, 4); i++) {
    context.putImageData(scene(width, height, i + 1), 0, 0);
    out.push(new VideoFrame(canvas, { timestamp: i * 33_333 }));
  }
  return Array.from({ length: count }, (_, i) => out[i % out.length]!);
}

/**
 * The seed's key, reproduced: the frame drawn on a canvas, read back with getImageData, each
 * pixel's RGB distance from the key colour with Math.sqrt over a per-pixel array, the background
 * colour written where it is under the tolerance, putImageData, and a frame made of the canvas.
 */
function naive(frame: VideoFrame, canvas: OffscreenCanvas, key: number[], tolerance: number, background: number[]): VideoFrame {
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(frame, 0, 0);
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  const data = image.data;
  for (let i = 0; i < data.length; i += 4) {
    const pixel = [data[i]!, data[i + 1]!, data[i + 2]!];
    const distance = Math.sqrt((pixel[0]! - key[0]!) ** 2 + (pixel[1]! - key[1]!) ** 2 + (pixel[2]! - key[2]!) ** 2);
    if (distance < tolerance) {
      data[i] = background[0]!;
      data[i + 1] = background[1]!;
      data[i + 2] = background[2]!;
    }
  }
  context.putImageData(image, 0, 0);
  return new VideoFrame(canvas, { timestamp: frame.timestamp });
}

async function timeEach(frames: VideoFrame[], work: (frame: VideoFrame) => Promise<VideoFrame> | VideoFrame): Promise<number[]> {
  const times: number[] = [];
  for (const frame of frames) {
    const start = performance.now();
    const out = await work(frame);
    out.close();
    times.push(performance.now() - start);
  }
  return times;
}

(window as unknown as { runChroma: unknown }).runChroma = async (width: number, height: number, count: number) => {
  const input = await frames(width, height, count);
  const background = [255, 0, 255] as const;
  const canvas = new OffscreenCanvas(width, height);
  const naiveTimes = await timeEach(input, (frame) => naive(frame, canvas, [40, 200, 60], 100, [...background]));
  const pixels = new Uint8ClampedArray(width * height * 4);
  const keyed = new Uint8ClampedArray(width * height * 4);
  await input[0]!.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
  const key = autoKey(pixels, width, height)!;
  const oursTimes = await timeEach(input, async (frame) => {
    await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
    keyFrame(pixels, width, height, key, keyed, background);
    return new VideoFrame(keyed, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: frame.timestamp });
  });
  for (const frame of new Set(input)) frame.close();
  return { naive: naiveTimes, ours: oursTimes };
};
