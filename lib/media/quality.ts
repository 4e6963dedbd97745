import type { VideoLimits } from './capture';

/** Recording quality presets: the capture is limited to this size and rate, then encoded at this bitrate. */
export const QUALITY_PRESETS = {
  '480p': { width: 854, height: 480, frameRate: 30, videoBitsPerSecond: 2_500_000 },
  '720p': { width: 1280, height: 720, frameRate: 30, videoBitsPerSecond: 5_000_000 },
  '1080p': { width: 1920, height: 1080, frameRate: 30, videoBitsPerSecond: 8_000_000 },
} as const;

export type QualityPreset = keyof typeof QUALITY_PRESETS;

export const QUALITY_PRESET_NAMES = Object.keys(QUALITY_PRESETS) as QualityPreset[];

/**
 * A keyframe every half second (Chromium's `videoKeyFrameIntervalDuration`; left alone it
 * writes one at the start of a WebM and one every ~1.7 s in an MP4). Chromium's MP4 recorder
 * hands over a fragment only once the next keyframe starts, so a crash loses up to this plus
 * the recorder's timeslice (with 1 s keyframes and slices, 2 s; the files are ~15 % bigger this
 * way); and a fast
 * trim cuts at the keyframe before its start, so it is never more than this early.
 */
export const KEYFRAME_INTERVAL_MS = 500;

/** Frame rates a recording can ask its capture for. */
export const RECORDING_FRAME_RATES = [15, 24, 30, 60] as const;
export type RecordingFrameRate = (typeof RECORDING_FRAME_RATES)[number];

/** Video bitrates offered, kb/s; 0 is "automatic": the preset's, scaled by the frame rate. */
export const VIDEO_BITRATES_KBPS = [0, 1000, 2500, 5000, 8000, 12000, 16000] as const;
export const AUDIO_BITRATES_KBPS = [64, 96, 128, 192, 256] as const;

export function videoLimits(preset: QualityPreset, frameRate: number = QUALITY_PRESETS[preset].frameRate): VideoLimits {
  const { width, height } = QUALITY_PRESETS[preset];
  return { width, height, frameRate };
}

/** Camera constraints for a preset: `ideal`, so a camera that cannot reach them still works. */
export function cameraConstraints(preset: QualityPreset, frameRate: number = QUALITY_PRESETS[preset].frameRate): MediaTrackConstraints {
  const { width, height } = QUALITY_PRESETS[preset];
  return { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: frameRate } };
}

/** The video bitrate to record at: the one chosen, or the preset's for its 30 fps scaled to the frame rate. */
export function videoBitsPerSecond(preset: QualityPreset, frameRate: number, chosenKbps: number): number {
  if (chosenKbps > 0) return chosenKbps * 1000;
  return Math.round((QUALITY_PRESETS[preset].videoBitsPerSecond * frameRate) / QUALITY_PRESETS[preset].frameRate);
}
