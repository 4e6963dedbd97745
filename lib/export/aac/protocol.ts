import type { AacPackets, AacSettings } from './core';

/** Messages between lib/export/aac/client.ts and its worker; each request gets one reply, in order. */
export type AacRequest = ({ type: 'open' } & AacSettings) | { type: 'encode'; pcm: Float32Array; start: number } | { type: 'end' };

export type AacReply =
  | { type: 'opened'; extradata: Uint8Array }
  | ({ type: 'encoded' } & AacPackets)
  | { type: 'failed'; message: string };
