/** Safe, readable file names for what leaves the Library. */

const RESERVED = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_BASE_LENGTH = 120;

/** "2026-11-24 14-03-22": sorts by time and is valid on every OS. */
export function fileTimestamp(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}-${two(at.getMinutes())}-${two(at.getSeconds())}`;
}

/**
 * A file name every OS accepts, made from a title the user (or a web page) chose and when the
 * item was made: no path separators or reserved characters, no leading dots, bounded length.
 * "Tab · example.com 2026-11-24 14-03-22.webm"
 */
export function downloadFileName(title: string, createdAt: Date, extension: string): string {
  const base = cleanFileName(title);
  const stamp = fileTimestamp(createdAt);
  return `${base ? `${base} ` : 'WebRTC Studio '}${stamp}.${extension}`;
}

/**
 * Text from a title or from the network made safe as (part of) a file name: reserved and
 * control characters replaced, no leading or trailing dots, bounded, no Windows device name.
 * Empty when nothing usable is left.
 */
export function cleanFileName(text: string): string {
  let base = text.replace(RESERVED, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  base = Array.from(base).slice(0, MAX_BASE_LENGTH).join('').trim();
  if (WINDOWS_DEVICE_NAMES.test(base)) base = `recording-${base}`;
  return base;
}

/** The Library's address for an item (it opens showing that item). */
export function libraryItemPath(itemId: string): string {
  return `/library.html#${encodeURIComponent(itemId)}`;
}
