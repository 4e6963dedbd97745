import { autoKey } from './auto-key';
import { backdropFitter } from './backdrop';
import { keyFrame, type ChromaKeySettings } from './key';

/**
 * The keying loop over a stream of camera frames: each frame copied out as RGBA, keyed over the
 * background colour (or picture) and written on with its own timestamp. The key is found from
 * the first frame (auto-key) unless one is given, and again whenever asked. Runs in the keying worker
 * (./worker.ts), off the page's thread.
 */
export interface KeyerControl {
  key: ChromaKeySettings | null;
  background: readonly [number, number, number];
  /** A picture behind instead of the colour. */
  picture: ImageBitmap | null;
  /** Find the key from the next frame. */
  findKey: boolean;
}

export async function runKeyer(frames: ReadableStream<VideoFrame>, out: WritableStream<VideoFrame>, control: KeyerControl, onKey: (key: ChromaKeySettings | null) => void): Promise<void> {
  const reader = frames.getReader();
  const writer = out.getWriter();
  let pixels = new Uint8ClampedArray(0);
  let keyed = new Uint8ClampedArray(0);
  const fitted = backdropFitter();
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done || !frame) break;
    let next: VideoFrame;
    try {
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      if (pixels.length !== width * height * 4) {
        pixels = new Uint8ClampedArray(width * height * 4);
        keyed = new Uint8ClampedArray(width * height * 4);
      }
      await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
      if (control.findKey) {
        control.findKey = false;
        control.key = autoKey(pixels, width, height);
        onKey(control.key);
      }
      if (control.key) {
        keyFrame(pixels, width, height, control.key, keyed, control.picture ? fitted(control.picture, width, height) : control.background);
        next = new VideoFrame(keyed, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: frame.timestamp, duration: frame.duration ?? undefined });
      } else {
        next = frame.clone();
      }
    } catch {
      // A frame that cannot be read is skipped; the next one is keyed.
      frame.close();
      continue;
    }
    frame.close();
    try {
      await writer.write(next);
    } catch {
      next.close();
      break;
    }
  }
  await writer.close().catch(() => undefined);
}
