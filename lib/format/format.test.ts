import { describe, expect, it } from 'vitest';
import { formatBadgeTime, formatBytes, formatDuration, recordingBadgeText } from './index';

describe('formatDuration', () => {
  it('shows minutes and seconds, hours only when needed', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('formatBadgeTime', () => {
  it('fits in four characters', () => {
    for (const ms of [0, 59_000, 599_000, 600_000, 3_599_000, 36_000_000]) {
      expect(formatBadgeTime(ms).length).toBeLessThanOrEqual(4);
    }
    expect(formatBadgeTime(125_000)).toBe('2:05');
    expect(formatBadgeTime(1_500_000)).toBe('25m');
    expect(formatBadgeTime(7_300_000)).toBe('2h');
  });
});

describe('recordingBadgeText', () => {
  it('shows REC one second in five and the elapsed time otherwise', () => {
    const shown = Array.from({ length: 10 }, (_, s) => recordingBadgeText(s * 1000 + 300));
    expect(shown).toEqual(['REC', '0:01', '0:02', '0:03', '0:04', 'REC', '0:06', '0:07', '0:08', '0:09']);
  });
});

describe('formatBytes', () => {
  it('uses decimal units with at most one decimal', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1_500, 'en')).toBe('1.5 KB');
    expect(formatBytes(123_456_789, 'en')).toBe('123 MB');
  });
});
