import type { MediaKind } from '../db';

/**
 * "The Library changed": every context that adds, renames or deletes an item says so on this
 * channel, and every open page listening reloads. Same-origin only: extension contexts hear
 * each other, nothing else does.
 */
export interface LibraryChange {
  type: 'added' | 'changed' | 'deleted';
  id: string;
  kind: MediaKind;
}

const CHANNEL = 'webrtc-studio:library';

export function announceLibraryChange(change: LibraryChange): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(change);
  channel.close();
}

export function watchLibrary(onChange: (change: LibraryChange) => void): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isChange(event.data)) onChange(event.data);
  };
  return () => channel.close();
}

function isChange(value: unknown): value is LibraryChange {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id, kind } = value as Record<string, unknown>;
  return (
    (type === 'added' || type === 'changed' || type === 'deleted') &&
    typeof id === 'string' &&
    (kind === 'recording' || kind === 'snapshot' || kind === 'export')
  );
}
