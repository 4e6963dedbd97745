import { useEffect, useState } from 'preact/hooks';
import { getSettings, watchSettings, type Settings } from '@/lib/settings';
import { IDLE_STATE, type RecordingState } from '@/lib/recording/state';
import { getRecordingState, watchRecordingState } from '@/lib/recording/state-store';

/** The live recording state, as the service worker keeps it. null until first read. */
export function useRecordingState(): RecordingState | null {
  const [state, setState] = useState<RecordingState | null>(null);
  useEffect(() => {
    void getRecordingState().then((s) => setState(s ?? IDLE_STATE));
    return watchRecordingState(setState);
  }, []);
  return state;
}

export function useSettings(): Settings | null {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void getSettings().then(setSettings);
    return watchSettings(setSettings);
  }, []);
  return settings;
}

/** Re-renders every `ms` while `active`, for running clocks. */
export function useNow(active: boolean, ms = 250): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}

/** An object URL for `blob`, revoked when the blob changes or the component goes. */
export function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return setUrl(null);
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [blob]);
  return url;
}
