import { TrackGenerator, TrackProcessor } from '../breakout-box';
import type { ProcessedTrack } from '../transform';
import type { ChromaKeySettings } from './key';
import type { KeyerReply, KeyerRequest } from './protocol';

/**
 * A camera track with its screen replaced: the track's frames (MediaStreamTrackProcessor) go to
 * the keying worker (./worker.ts, ./keyer.ts), which writes the keyed frames to a new track
 * (MediaStreamTrackGenerator) — the page's thread does none of the per-pixel work.
 */
export interface KeyedTrack extends ProcessedTrack {
  /** Finds the key again from the next frame. */
  autoKey(): void;
  /** Changes the key (a slider moved) or the background (a colour, a picture or none), from the next frame on. */
  update(change: { key?: ChromaKeySettings; background?: readonly [number, number, number]; picture?: ImageBitmap | null }): void;
}

export interface KeyTrackOptions {
  /** The key to use; null: find it from the first frame (auto-key). */
  key: ChromaKeySettings | null;
  background: readonly [number, number, number];
  /** Hears the key auto-key found (null: no screen in the picture; frames pass unchanged). */
  onKey?: (key: ChromaKeySettings | null) => void;
}

export function keyTrack(input: MediaStreamTrack, options: KeyTrackOptions): KeyedTrack {
  const processor = new TrackProcessor({ track: input });
  const generator = new TrackGenerator({ kind: 'video' });
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const send = (message: KeyerRequest, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
  worker.onmessage = (event: MessageEvent<KeyerReply>) => options.onKey?.(event.data.key);
  send({ type: 'start', frames: processor.readable, out: generator.writable, key: options.key, background: options.background }, [
    processor.readable as unknown as Transferable,
    generator.writable as unknown as Transferable,
  ]);
  return {
    track: generator,
    autoKey: () => send({ type: 'auto-key' }),
    update: (change) => send({ type: 'update', ...change }, change.picture ? [change.picture] : []),
    close() {
      worker.terminate();
      generator.stop();
    },
  };
}
