import type { VideoLimits } from './capture';

/** Recording quality presets: the capture is limited to this size and rate, then encoded at this bitrate. */
export const QUALITY_PRESETS = {
  '480p': { width: 854, height: 480, frameRate: 30, videoBitsPerSecond: 2_500_000 },
  '720p': { width: 1280, height: 720, frameRate: 30, videoBitsPerSecond: 5_000_000 },
  '1080p': { width: 1920, height: 1080, frameRate: 30, videoBitsPerSecond: 8_000_000 },
} as const;

export type QualityPreset = keyof typeof QUALITY_PRESETS;

export const QUALITY_PRESET_NAMES = Object.keys(QUALITY_PRESETS) as QualityPreset[];

export const AUDIO_BITS_PER_SECOND = 128_000;

/**
 * A keyframe at least this often (Chromium's `videoKeyFrameIntervalDuration`; left alone it
 * writes one at the start only): a fast trim cuts at the keyframe before its start, so it is
 * never more than this early.
 */
export const KEYFRAME_INTERVAL_MS = 2000;

export function videoLimits(preset: QualityPreset): VideoLimits {
  const { width, height, frameRate } = QUALITY_PRESETS[preset];
  return { width, height, frameRate };
}

/** Camera constraints for a preset: `ideal`, so a camera that cannot reach them still works. */
export function cameraConstraints(preset: QualityPreset): MediaTrackConstraints {
  const { width, height, frameRate } = QUALITY_PRESETS[preset];
  return { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: frameRate } };
}

/**
 * WebM types in order of preference. VP9 costs about the same CPU as VP8 here and compresses
 * better; both play everywhere Chrome does. The Library remuxes the result into a seekable WebM.
 */
const WEBM_TYPES = ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm'] as const;

export function pickRecorderMimeType(isTypeSupported: (type: string) => boolean): string {
  const type = WEBM_TYPES.find((candidate) => isTypeSupported(candidate));
  if (!type) throw new Error('This browser cannot record WebM video.');
  return type;
}
