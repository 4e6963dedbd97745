import { storage } from 'wxt/utils/storage';
import { QUALITY_PRESETS, type QualityPreset } from '../recording/quality';

export interface RecordingSettings {
  /** Mix a microphone into the recording. */
  microphone: boolean;
  /** The chosen microphone's deviceId; '' means the system default. */
  microphoneId: string;
  /** Record the tab's (or the shared screen's) own sound. */
  tabAudio: boolean;
  quality: QualityPreset;
  /** Seconds counted down before recording starts; the count is never recorded. */
  countdownSeconds: 0 | 3;
}

export interface Settings {
  recording: RecordingSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  recording: {
    microphone: false,
    microphoneId: '',
    tabAudio: true,
    quality: '720p',
    countdownSeconds: 0,
  },
};

/**
 * Storage can hold anything (an older version's shape, a hand edit): take what is valid,
 * fall back to the default field by field.
 */
export function normalizeSettings(raw: unknown): Settings {
  const d = DEFAULT_SETTINGS.recording;
  const r = (isObject(raw) && isObject(raw.recording) ? raw.recording : {}) as Record<string, unknown>;
  return {
    recording: {
      microphone: typeof r.microphone === 'boolean' ? r.microphone : d.microphone,
      microphoneId: typeof r.microphoneId === 'string' && r.microphoneId.length <= 512 ? r.microphoneId : d.microphoneId,
      tabAudio: typeof r.tabAudio === 'boolean' ? r.tabAudio : d.tabAudio,
      quality: typeof r.quality === 'string' && r.quality in QUALITY_PRESETS ? (r.quality as QualityPreset) : d.quality,
      countdownSeconds: r.countdownSeconds === 0 || r.countdownSeconds === 3 ? r.countdownSeconds : d.countdownSeconds,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

export async function getSettings(): Promise<Settings> {
  return normalizeSettings(await settingsItem.getValue());
}

export async function updateRecordingSettings(patch: Partial<RecordingSettings>): Promise<Settings> {
  const current = await getSettings();
  const next = normalizeSettings({ ...current, recording: { ...current.recording, ...patch } });
  await settingsItem.setValue(next);
  return next;
}

export function watchSettings(onChange: (settings: Settings) => void): () => void {
  return settingsItem.watch((value) => onChange(normalizeSettings(value)));
}
