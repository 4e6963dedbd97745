import { browser } from 'wxt/browser';

export type DeviceKind = 'camera' | 'microphone';

/**
 * The offscreen document cannot show a permission prompt, so camera and microphone access is
 * granted once from a visible extension page (entrypoints/permissions).
 */
export async function isGranted(kind: DeviceKind): Promise<boolean> {
  try {
    return (await navigator.permissions.query({ name: kind as PermissionName })).state === 'granted';
  } catch {
    return false;
  }
}

export async function missingPermissions(kinds: DeviceKind[]): Promise<DeviceKind[]> {
  const granted = await Promise.all(kinds.map(isGranted));
  return kinds.filter((_, i) => !granted[i]);
}

export function permissionPageUrl(kinds: DeviceKind[]): string {
  return browser.runtime.getURL(`/permissions.html?want=${kinds.join(',')}`);
}

/** Reads the page's query back, trusting nothing but the two known kinds. */
export function parseWanted(search: string): DeviceKind[] {
  const want = new URLSearchParams(search).get('want') ?? '';
  const kinds = want.split(',').filter((k): k is DeviceKind => k === 'camera' || k === 'microphone');
  return kinds.length > 0 ? [...new Set(kinds)] : ['camera', 'microphone'];
}
