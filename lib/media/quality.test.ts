import { describe, expect, it } from 'vitest';
import { cameraConstraints, videoBitsPerSecond, videoLimits } from './quality';

describe('recording quality', () => {
  it('scales the automatic bitrate with the frame rate, and keeps a chosen one', () => {
    expect(videoBitsPerSecond('720p', 30, 0)).toBe(5_000_000);
    expect(videoBitsPerSecond('720p', 60, 0)).toBe(10_000_000);
    expect(videoBitsPerSecond('1080p', 15, 2500)).toBe(2_500_000);
  });

  it('asks the capture for the preset size at the chosen rate', () => {
    expect(videoLimits('480p', 15)).toEqual({ width: 854, height: 480, frameRate: 15 });
    expect(cameraConstraints('720p', 24)).toEqual({ width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24 } });
  });
});
