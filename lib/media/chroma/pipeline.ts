import { TrackGenerator, TrackProcessor } from '../breakout-box';
import type { ProcessedTrack } from '../transform';
import { loadBackdrop, type BackdropChoice } from './backdrop';
import type { KeyEnginePreference } from './choose';
import type { ChromaKeySettings } from './key';
import type { KeyerReply, KeyerRequest } from './protocol';

/**
 * A camera track with its screen replaced: the track's frames (MediaStreamTrackProcessor) go to
 * the keying worker (./worker.ts, ./keyer.ts), which writes the keyed frames to a new track
 * (MediaStreamTrackGenerator) — the page's thread does none of the per-pixel work.
 */
export interface KeyedTrack extends ProcessedTrack {
  /** Finds the key again from the next frame (a screen of about the colour `near`, when given). */
  autoKey(near?: readonly [number, number, number]): void;
  /** The camera's own colour (before keying) around a point of the picture, 0–1 across and down. */
  colourAt(x: number, y: number): Promise<[number, number, number]>;
  /**
   * Changes the key (a slider moved), the background colour, or what shows behind (a colour, a
   * picture — loaded again when given again: the person's own may have changed), from the next
   * frame on.
   */
  update(change: { key?: ChromaKeySettings; background?: readonly [number, number, number]; backdrop?: BackdropChoice; engine?: KeyEnginePreference }): void;
}

export interface KeyTrackOptions {
  /** The key to use; null: find it from the first frame (auto-key). */
  key: ChromaKeySettings | null;
  background: readonly [number, number, number];
  /** What shows behind; a colour (the one above) when not given. */
  backdrop?: BackdropChoice;
  /**
   * Whether what this track feeds keeps alpha (a preview, a snapshot): only there does
   * 'transparent' leave nothing behind — encoders drop alpha, so elsewhere it is the colour.
   */
  seeThrough?: boolean;
  /** The engine to key with (./choose.ts); 'auto' when not given. */
  engine?: KeyEnginePreference;
  /** Hears the key auto-key found (null: no screen in the picture; frames pass unchanged). */
  onKey?: (key: ChromaKeySettings | null) => void;
  /** Hears which engine keys, and what each candidate measured. */
  onEngine?: (choice: Extract<KeyerReply, { type: 'engine' }>) => void;
}

export function keyTrack(input: MediaStreamTrack, options: KeyTrackOptions): KeyedTrack {
  const processor = new TrackProcessor({ track: input });
  const generator = new TrackGenerator({ kind: 'video' });
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const send = (message: KeyerRequest, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
  const picks: ((colour: [number, number, number]) => void)[] = [];
  worker.onmessage = ({ data }: MessageEvent<KeyerReply>) => {
    if (data.type === 'key') options.onKey?.(data.key);
    else if (data.type === 'engine') options.onEngine?.(data);
    else for (const resolve of picks.splice(0)) resolve(data.colour); // (the last point asked for)
  };
  send({ type: 'start', frames: processor.readable, out: generator.writable, key: options.key, background: options.background, engine: options.engine ?? 'auto', blur: options.backdrop === 'blur' }, [
    processor.readable as unknown as Transferable,
    generator.writable as unknown as Transferable,
  ]);
  // Pictures load while frames keep coming; only the one asked for last is shown.
  let asked = 0;
  const showBackdrop = (choice: BackdropChoice) => {
    const ticket = ++asked;
    const transparent = choice === 'transparent' && !!options.seeThrough;
    const blur = choice === 'blur';
    void loadBackdrop(choice).then((picture) => {
      if (ticket === asked) send({ type: 'update', picture, transparent, blur }, picture ? [picture] : []);
      else picture?.close();
    });
  };
  if (options.backdrop) showBackdrop(options.backdrop);
  return {
    track: generator,
    autoKey: (near) => send({ type: 'auto-key', near }),
    colourAt: (x, y) =>
      new Promise((resolve) => {
        picks.push(resolve);
        send({ type: 'pick', x, y });
      }),
    update: ({ backdrop, ...change }) => {
      if (change.key || change.background || change.engine) send({ type: 'update', ...change });
      if (backdrop) showBackdrop(backdrop);
    },
    close() {
      asked++;
      worker.terminate();
      generator.stop();
    },
  };
}
