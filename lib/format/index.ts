/** "1:05", "12:09", "1:02:03" — a clock, as recorders show elapsed time. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "24 Nov 2026, 14:03" in the UI language: when a recording was made. */
export function formatDateTime(at: Date, locale?: string): string {
  return at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The shortest badge text for an elapsed time: the toolbar badge fits about four characters. */
export function formatBadgeTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 600) return formatDuration(ms); // "9:59"
  if (total < 3600) return `${Math.floor(total / 60)}m`; // "59m"
  return `${Math.floor(total / 3600)}h`;
}

/**
 * The recording badge: "REC" one second in five, like a camcorder's blinking light, and the
 * elapsed time otherwise (the badge fits about four characters, not both).
 */
export function recordingBadgeText(elapsedMs: number): string {
  return Math.floor(elapsedMs / 1000) % 5 === 0 ? 'REC' : formatBadgeTime(elapsedMs);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number, locale?: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${UNITS[unit]}`;
}
