import type { AacPackets, AacSettings } from './core';

/** Messages between the AAC encoder (lib/export/aac/encoder.ts) and its worker; each request gets one reply, in order. */
export type AacRequest =
  | ({ type: 'open' } & AacSettings)
  | { type: 'encode'; pcm: Float32Array; firstSample: number }
  | { type: 'flush' };

export type AacReply =
  | { type: 'opened'; frameSize: number; extradata: Uint8Array }
  | ({ type: 'encoded' } & AacPackets)
  | { type: 'failed'; message: string };
