export type DeviceKind = 'camera' | 'microphone';

const MEDIA_KIND: Record<DeviceKind, MediaDeviceKind> = { camera: 'videoinput', microphone: 'audioinput' };

/**
 * The cameras or microphones a user can choose from. Chromium also lists "default" and
 * "communications" aliases of real devices: the real ones are enough. Labels are empty until
 * access was granted once.
 */
export async function listDevices(kind: DeviceKind, devices: Pick<MediaDevices, 'enumerateDevices'> = navigator.mediaDevices): Promise<MediaDeviceInfo[]> {
  const all = await devices.enumerateDevices();
  return all.filter((d) => d.kind === MEDIA_KIND[kind] && d.deviceId !== '' && d.deviceId !== 'default' && d.deviceId !== 'communications');
}

/** What a device is called in a picker: its label, or the start of its id before access is granted. */
export function deviceLabel(device: Pick<MediaDeviceInfo, 'label' | 'deviceId'>): string {
  return device.label || device.deviceId.slice(0, 8);
}

/** Whether the page may use the camera or microphone without asking. */
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
