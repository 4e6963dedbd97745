/**
 * A cut of a recording. "fast" copies from the keyframe at or before `start` (no re-encode, so
 * it may start earlier); "exact" re-encodes what does not start on a keyframe.
 */
export interface Trim {
  start: number;
  end: number;
  mode: 'fast' | 'exact';
}

/** The shortest cut an export takes, seconds: a frame or two is not a clip. */
export const MIN_TRIM_SECONDS = 0.1;

/** A trim clamped to the file; null when it covers the whole file (nothing to cut). */
export function trimRange(trim: Trim, duration: number): { start: number; end: number } | null {
  const start = Math.min(Math.max(0, trim.start), duration);
  const end = Math.min(Math.max(start, trim.end), duration);
  if (end - start < MIN_TRIM_SECONDS) throw new RangeError(`the cut ${start.toFixed(2)}–${end.toFixed(2)} s is shorter than ${MIN_TRIM_SECONDS} s`);
  if (start <= 0 && end >= duration) return null;
  return { start, end };
}
