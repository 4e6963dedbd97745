/**
 * The chroma bench's page (bundled by bench/chroma.bench.ts): keys the same frames with the
 * seed's naive key and with each of our engines, and blurs them (a person found, the rest
 * blurred), each timed from a video frame in to a video frame out that can be read (one pixel
 * of it read back: GL work is otherwise still queued).
 */
import { openBackgroundBlur, type BackgroundBlur } from '../../lib/media/blur/blur';
import { autoKey } from '../../lib/media/chroma/auto-key';
import { chooseKeyEngine, openEngines } from '../../lib/media/chroma/choose';
import { screenScene } from '../../lib/media/chroma/test-scene';

async function frames(width: number, height: number, count: number): Promise<VideoFrame[]> {
  const made = [1, 2, 3, 4].map((seed, i) => {
    const { rgba } = screenScene([40, 200, 60], width, height, seed);
    return new VideoFrame(rgba, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: i * 33_333 });
  });
  return Array.from({ length: count }, (_, i) => made[i % made.length]!);
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

const onePixel = new Uint8Array(4);
/** One blur (its model loaded once) for every size. */
let blurring: Promise<BackgroundBlur> | null = null;

async function timeEach(frames: VideoFrame[], work: (frame: VideoFrame) => Promise<VideoFrame> | VideoFrame): Promise<number[]> {
  const times: number[] = [];
  for (const frame of frames) {
    const start = performance.now();
    const out = await work(frame);
    await out.copyTo(onePixel, { rect: { x: 0, y: 0, width: 1, height: 1 }, format: 'RGBA' });
    out.close();
    times.push(performance.now() - start);
  }
  return times;
}

(window as unknown as { runChroma: unknown }).runChroma = async (width: number, height: number, count: number) => {
  const input = await frames(width, height, count);
  const background = [255, 0, 255] as const;
  const canvas = new OffscreenCanvas(width, height);
  const times: Record<string, number[]> = {};
  times.naive = await timeEach(input, (frame) => naive(frame, canvas, [40, 200, 60], 100, [...background]));
  const pixels = new Uint8ClampedArray(width * height * 4);
  await input[0]!.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
  const key = autoKey(pixels, width, height)!;
  for (const engine of await openEngines()) {
    // The JS engine is ~10× slower than the others: fewer of its frames are timed.
    const frames = engine.name === 'js' ? input.slice(0, Math.max(8, Math.ceil(count / 3))) : input;
    times[engine.name] = await timeEach(frames, (frame) => engine.key(frame, key, { colour: background }));
    engine.close();
  }
  // Not a key: the other way to hide the room, for what it costs beside one.
  blurring ??= openBackgroundBlur();
  const blur = await blurring;
  times.blur = await timeEach(input, (frame) => blur.blur(frame));
  const choice = await chooseKeyEngine('auto', input[0]!, key, { colour: background });
  choice.keyed.close();
  choice.engine.close();
  for (const frame of new Set(input)) frame.close();
  return { times, chosen: choice.engine.name };
};
