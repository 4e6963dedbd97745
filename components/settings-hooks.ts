import { useEffect, useState } from 'preact/hooks';
import { getSettings, watchSettings, type Settings } from '@/lib/settings';

/** The settings, kept current as any context changes them. null until first read. */
export function useSettings(): Settings | null {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void getSettings().then(setSettings);
    return watchSettings(setSettings);
  }, []);
  return settings;
}
