import { provider } from '../platform/provider';
import { parseSettings as parse, patchSettings, type Settings, type SettingsSection } from './schema';

export { DEFAULT_SETTINGS, parseSettings, type BackgroundSettings, type CallSettings, type CameraSettings, type RecordingSettings, type Settings, type SettingsSection } from './schema';

/**
 * Where settings are kept: chrome.storage in the extension (lib/settings/extension.ts),
 * localStorage in a plain web page (lib/settings/web.ts). Code that runs in both asks
 * settingsStore() and never knows which.
 */
export interface SettingsStore {
  /** The raw stored value (anything); parsed by the caller. */
  read(): Promise<unknown>;
  write(settings: Settings): Promise<void>;
  /** Calls back with the raw stored value when another context changes it. */
  watch(onChange: (raw: unknown) => void): () => void;
}

const store = provider<SettingsStore>('settings store');

export const installSettingsStore = store.install;
const current = store.get;

export async function getSettings(): Promise<Settings> {
  return parse(await current().read());
}

let queue: Promise<unknown> = Promise.resolve();

/** Changes fields of one section; updates are applied one at a time so none overwrites another. */
export function updateSettings<K extends SettingsSection>(section: K, patch: Partial<Settings[K]>): Promise<Settings> {
  const next = queue.then(async () => {
    const updated = patchSettings(await getSettings(), section, patch);
    await current().write(updated);
    return updated;
  });
  queue = next.catch(() => undefined);
  return next;
}

export function watchSettings(onChange: (settings: Settings) => void): () => void {
  return current().watch((raw) => onChange(parse(raw)));
}
