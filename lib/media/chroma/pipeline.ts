import { TrackGenerator, TrackProcessor } from '../breakout-box';
import type { ProcessedTrack } from '../transform';
import { autoKey } from './auto-key';
import { keyFrame, type ChromaKeySettings } from './key';

/**
 * A camera track with its screen replaced: each frame is read as it arrives
 * (MediaStreamTrackProcessor), copied out as RGBA, keyed over the background colour
 * (./key.ts, the CPU path) and written to a new track (MediaStreamTrackGenerator) with the
 * frame's own timestamp. The key is found from the first frame (auto-key) unless one is given,
 * and again whenever asked.
 */
export interface KeyedTrack extends ProcessedTrack {
  /** Finds the key again from the next frame. */
  autoKey(): void;
  /** Changes the key (a slider moved) or the background, from the next frame on. */
  update(change: { key?: ChromaKeySettings; background?: readonly [number, number, number] }): void;
}

export interface KeyTrackOptions {
  key: ChromaKeySettings | null;
  background: readonly [number, number, number];
  /** Hears the key auto-key found (null: no screen in the picture; frames pass unchanged). */
  onKey?: (key: ChromaKeySettings | null) => void;
}

export function keyTrack(input: MediaStreamTrack, options: KeyTrackOptions): KeyedTrack {
  const reader = new TrackProcessor({ track: input }).readable.getReader();
  const generator = new TrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  let key = options.key;
  let background = options.background;
  let findKey = key === null;
  let running = true;
  let pixels = new Uint8ClampedArray(0);

  const keyOne = async (frame: VideoFrame): Promise<VideoFrame> => {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (pixels.length !== width * height * 4) pixels = new Uint8ClampedArray(width * height * 4);
    await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
    if (findKey) {
      findKey = false;
      key = autoKey(pixels, width, height);
      options.onKey?.(key);
    }
    if (!key) return frame.clone();
    const keyed = new Uint8ClampedArray(pixels.length);
    keyFrame(pixels, width, height, key, keyed, background);
    return new VideoFrame(keyed, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: frame.timestamp, duration: frame.duration ?? undefined });
  };

  void (async () => {
    while (running) {
      const { value: frame, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !frame) break;
      try {
        const out = await keyOne(frame);
        await writer.write(out).catch(() => out.close());
      } catch {
        // A frame that cannot be read is skipped; the next one is keyed.
      } finally {
        frame.close();
      }
    }
  })();

  return {
    track: generator,
    autoKey: () => (findKey = true),
    update(change) {
      if (change.key) key = change.key;
      if (change.background) background = change.background;
    },
    close() {
      running = false;
      void reader.cancel().catch(() => undefined);
      void writer.close().catch(() => undefined);
      generator.stop();
    },
  };
}
