import { useEffect, useRef, useState } from 'preact/hooks';
import { getSettings, updateSettings, watchSettings, type Settings, type SettingsSection } from '@/lib/settings';

/** The settings, kept current as any context changes them. null until first read. */
export function useSettings(): Settings | null {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void getSettings().then(setSettings);
    return watchSettings(setSettings);
  }, []);
  return settings;
}

type Patch<T> = Partial<T> | ((current: T) => Partial<T>);

/**
 * One section of the settings as a page uses it: changed at once on screen (clicks, key repeats
 * and slider drags come faster than the settings store answers), saved as it changes, and
 * replaced when another page changes it.
 */
export function useSection<K extends SettingsSection>(section: K, stored: Settings[K]): [Settings[K], (patch: Patch<Settings[K]>) => void] {
  const [value, setValue] = useState(stored);
  const latest = useRef(stored);
  // While this page's own changes are being saved, what the store sends back is an older echo of them.
  const saving = useRef(0);
  const key = JSON.stringify(stored);
  useEffect(() => {
    if (saving.current > 0) return;
    latest.current = stored;
    setValue(stored);
  }, [key]);
  const update = (patch: Patch<Settings[K]>) => {
    const change = typeof patch === 'function' ? patch(latest.current) : patch;
    latest.current = { ...latest.current, ...change };
    setValue(latest.current);
    saving.current++;
    void updateSettings(section, change).finally(() => saving.current--);
  };
  return [value, update];
}
