import { useEffect, useState } from 'preact/hooks';
import { acquire, type CaptureSource, type CaptureSpec } from '@/lib/media/capture';
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

/**
 * A capture of `spec`, open while `spec` is given (the same spec by value keeps the same
 * capture) and stopped after; null until it opens, or when it fails (`onFailure` hears why).
 */
export function useCapture(spec: CaptureSpec | null, onFailure?: (error: unknown) => void): CaptureSource | null {
  const [source, setSource] = useState<CaptureSource | null>(null);
  const key = spec ? JSON.stringify(spec) : null;
  useEffect(() => {
    if (!spec) return;
    let current: CaptureSource | null = null;
    let live = true;
    acquire(spec).then(
      (opened) => {
        if (!live) return opened.stop();
        current = opened;
        setSource(opened);
      },
      (error: unknown) => live && onFailure?.(error),
    );
    return () => {
      live = false;
      current?.stop();
      setSource(null);
    };
  }, [key]);
  return source;
}
