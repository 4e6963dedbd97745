import { TrackGenerator, TrackProcessor } from '../breakout-box';
import type { ProcessedTrack } from '../transform';
import { loadBackdrop, type BackdropChoice } from './backdrop';
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
  /**
   * Changes the key (a slider moved), the background colour, or what shows behind (a colour, a
   * picture — loaded again when given again: the person's own may have changed), from the next
   * frame on.
   */
  update(change: { key?: ChromaKeySettings; background?: readonly [number, number, number]; backdrop?: BackdropChoice }): void;
}

export interface KeyTrackOptions {
  /** The key to use; null: find it from the first frame (auto-key). */
  key: ChromaKeySettings | null;
  background: readonly [number, number, number];
  /** What shows behind; a colour (the one above) when not given. */
  backdrop?: BackdropChoice;
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
  // Pictures load while frames keep coming; only the one asked for last is shown.
  let asked = 0;
  const showBackdrop = (choice: BackdropChoice) => {
    const ticket = ++asked;
    void loadBackdrop(choice).then((picture) => {
      if (ticket === asked) send({ type: 'update', picture }, picture ? [picture] : []);
      else picture?.close();
    });
  };
  if (options.backdrop) showBackdrop(options.backdrop);
  return {
    track: generator,
    autoKey: () => send({ type: 'auto-key' }),
    update: ({ backdrop, ...change }) => {
      if (change.key || change.background) send({ type: 'update', ...change });
      if (backdrop) showBackdrop(backdrop);
    },
    close() {
      asked++;
      worker.terminate();
      generator.stop();
    },
  };
}
