import { browser } from 'wxt/browser';
import type { DeviceKind } from '../media/devices';
import type { RecordingSource } from './state';

/**
 * The offscreen document cannot show a permission prompt, so camera and microphone access is
 * granted once from a visible extension page (entrypoints/permissions). With `then`, the page
 * goes on to start that recording once access is granted, so the user's one click both grants
 * and records. (Access granted "this time" only is not remembered, so asking and recording
 * belong together.)
 */
export function permissionPageUrl(kinds: DeviceKind[], then: RecordingSource | null = null): string {
  const query = new URLSearchParams({ want: kinds.join(',') });
  if (then) query.set('then', then);
  return browser.runtime.getURL(`/permissions.html?${query}`);
}

export interface PermissionRequest {
  want: DeviceKind[];
  /** The recording to start once access is granted; never a tab (tab capture needs the toolbar click). */
  then: Exclude<RecordingSource, 'tab'> | null;
}

/** Reads the page's query back, trusting nothing but the known values. */
export function parsePermissionRequest(search: string): PermissionRequest {
  const query = new URLSearchParams(search);
  const kinds = (query.get('want') ?? '').split(',').filter((k): k is DeviceKind => k === 'camera' || k === 'microphone');
  const then = query.get('then');
  return {
    want: kinds.length > 0 ? [...new Set(kinds)] : ['camera', 'microphone'],
    then: then === 'camera' || then === 'screen' ? then : null,
  };
}
