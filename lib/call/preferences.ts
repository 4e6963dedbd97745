/** The call's choices, shared by the settings schema, Options and the call itself. */
export const VIDEO_CODEC_PREFERENCES = ['auto', 'vp8', 'vp9', 'h264', 'av1'] as const;
export type VideoCodecPreference = (typeof VIDEO_CODEC_PREFERENCES)[number];

/** Caps on the video sent to each person, kb/s; 0 leaves it to the browser's congestion control. */
export const CALL_BITRATES_KBPS = [0, 300, 1000, 2500, 5000] as const;

/** The signaling server `npm start` runs. */
export const DEFAULT_SIGNALING_URL = 'ws://127.0.0.1:8787/ws';

/** The most a shared screen or tab sends: 1080p at 30 frames a second. */
export const SHARE_LIMITS = { width: 1920, height: 1080, frameRate: 30 };
