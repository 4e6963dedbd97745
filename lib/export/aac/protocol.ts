import type { AacPackets, AacSettings } from './core';

/** Messages between lib/export/aac/client.ts and its worker; each request gets one reply, in order. */
export type AacRequest = ({ type: 'open' } & AacSettings) | { type: 'encode'; pcm: Float32Array; start: number } | { type: 'end' };

export type AacReply =
  | { type: 'opened'; extradata: Uint8Array }
  /** `pcm`: an `encode` request's buffer, handed back to be filled again. */
  | ({ type: 'encoded'; pcm?: Float32Array } & AacPackets)
  | { type: 'failed'; message: string };
