import { useEffect, useState } from 'preact/hooks';
import { isGranted, listDevices, type DeviceKind } from '@/lib/media/devices';

/** Generic hooks, for any page (extension or web). */

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

/**
 * The cameras or microphones to choose from, kept current as devices come and go, and whether
 * access was granted (names and ids are hidden until then). `refreshOn` lists again when it
 * changes — a capture that just started can reveal the names.
 */
export function useDevices(kind: DeviceKind, refreshOn?: unknown): { devices: MediaDeviceInfo[]; granted: boolean } {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [granted, setGranted] = useState(false);
  useEffect(() => {
    const refresh = () => {
      void isGranted(kind).then(setGranted);
      void listDevices(kind).then(setDevices);
    };
    refresh();
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh);
  }, [kind, refreshOn]);
  return { devices, granted };
}
