import type { ChromaKeySettings } from './key';

/** Messages between lib/media/chroma/pipeline.ts and the keying worker. */
export type KeyerRequest =
  | { type: 'start'; frames: ReadableStream<VideoFrame>; out: WritableStream<VideoFrame>; key: ChromaKeySettings | null; background: readonly [number, number, number] }
  | { type: 'update'; key?: ChromaKeySettings; background?: readonly [number, number, number]; /** A picture behind instead of the colour; null: back to the colour. */ picture?: ImageBitmap | null }
  | { type: 'auto-key' };

export type KeyerReply = { type: 'key'; key: ChromaKeySettings | null };
