import type { KeyEnginePreference } from './choose';
import type { KeyerEvents } from './keyer';
import type { ChromaKeySettings } from './key';

/** Messages between lib/media/chroma/pipeline.ts and the keying worker. */
export type KeyerRequest =
  | {
      type: 'start';
      frames: ReadableStream<VideoFrame>;
      out: WritableStream<VideoFrame>;
      key: ChromaKeySettings | null;
      background: readonly [number, number, number];
      engine: KeyEnginePreference;
      /** The room blurred from the first frame (no key looked for meanwhile). */
      blur: boolean;
    }
  | {
      type: 'update';
      key?: ChromaKeySettings;
      background?: readonly [number, number, number];
      /** A picture behind instead of the colour; null: back to the colour. */
      picture?: ImageBitmap | null;
      /** Nothing behind: the keyed pixels' alpha kept. */
      transparent?: boolean;
      /** No screen: the person found in the picture, the camera's own background blurred. */
      blur?: boolean;
      engine?: KeyEnginePreference;
    }
  /** Find the key again (of about the colour `near`: a preset). */
  | { type: 'auto-key'; near?: readonly [number, number, number] }
  /** The eyedropper: the colour at this point of the next frame (0–1 across and down). */
  | { type: 'pick'; x: number; y: number };

export type KeyerReply =
  | { type: 'key'; key: ChromaKeySettings | null }
  | ({ type: 'engine' } & Parameters<KeyerEvents['onEngine']>[0])
  | { type: 'picked'; colour: [number, number, number] };
