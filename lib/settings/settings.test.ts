import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, getSettings, normalizeSettings, updateRecordingSettings, watchSettings } from './index';

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts from the defaults', async () => {
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps an update and tells watchers', async () => {
    const seen: boolean[] = [];
    const unwatch = watchSettings((s) => seen.push(s.recording.microphone));
    const next = await updateRecordingSettings({ microphone: true, quality: '1080p' });
    expect(next.recording.microphone).toBe(true);
    expect((await getSettings()).recording).toMatchObject({ microphone: true, quality: '1080p', tabAudio: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toContain(true);
    unwatch();
  });

  it('repairs invalid stored values field by field', () => {
    const repaired = normalizeSettings({
      recording: { microphone: 'yes', quality: '8k', countdownSeconds: 7, tabAudio: false, microphoneId: 42 },
    });
    expect(repaired.recording).toEqual({ ...DEFAULT_SETTINGS.recording, tabAudio: false });
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings([1, 2])).toEqual(DEFAULT_SETTINGS);
  });

  it('rejects an update that would store an invalid value', async () => {
    await updateRecordingSettings({ countdownSeconds: 5 as 3 });
    expect((await getSettings()).recording.countdownSeconds).toBe(0);
  });
});
