import { describe, expect, it } from 'vitest';
import { pickRecorderMimeType, QUALITY_PRESETS } from './quality';

describe('pickRecorderMimeType', () => {
  it('prefers VP9, falls back to VP8 then plain WebM', () => {
    expect(pickRecorderMimeType(() => true)).toBe('video/webm;codecs=vp9,opus');
    expect(pickRecorderMimeType((t) => !t.includes('vp9'))).toBe('video/webm;codecs=vp8,opus');
    expect(pickRecorderMimeType((t) => t === 'video/webm')).toBe('video/webm');
  });

  it('says so when nothing is supported', () => {
    expect(() => pickRecorderMimeType(() => false)).toThrow(/cannot record/);
  });
});

describe('QUALITY_PRESETS', () => {
  it('grow in size and bitrate', () => {
    const list = Object.values(QUALITY_PRESETS);
    for (let i = 1; i < list.length; i++) {
      expect(list[i]!.width).toBeGreaterThan(list[i - 1]!.width);
      expect(list[i]!.videoBitsPerSecond).toBeGreaterThan(list[i - 1]!.videoBitsPerSecond);
    }
  });
});
