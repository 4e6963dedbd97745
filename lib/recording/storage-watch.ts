/**
 * Free-space policy while recording: warn early, and stop (keeping what was recorded) before
 * the disk is so full that the last chunks or the finished file cannot be written.
 * Finalizing writes a second copy of the recording, so the reserve grows with its size.
 */
export const LOW_SPACE_BYTES = 1_000_000_000;
export const MIN_RESERVE_BYTES = 200_000_000;

export type StorageVerdict = 'ok' | 'low' | 'full';

export function storageVerdict(estimate: { quota?: number; usage?: number }, recordedBytes: number): StorageVerdict {
  if (estimate.quota === undefined || estimate.usage === undefined) return 'ok';
  const free = estimate.quota - estimate.usage;
  const reserve = MIN_RESERVE_BYTES + recordedBytes;
  if (free < reserve) return 'full';
  if (free < reserve + LOW_SPACE_BYTES) return 'low';
  return 'ok';
}

export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}
