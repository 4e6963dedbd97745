/** Titles for new recordings and safe file names for downloads. */
import { formatDateTime } from '../format';

/** "Tab · example.com — 24 Nov 2026, 14:03": what was recorded, then when. */
export function defaultTitle(sourceLabel: string, subject: string | null, at: Date, locale?: string): string {
  const when = formatDateTime(at, locale);
  const what = subject ? `${sourceLabel} · ${subject}` : sourceLabel;
  return `${what} — ${when}`;
}

/** The host of a recorded page, for a title; null for pages without one. */
export function pageSubject(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { hostname } = new URL(url);
    return hostname || null;
  } catch {
    return null;
  }
}

const RESERVED = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_BASE_LENGTH = 120;

/**
 * A file name that every OS accepts, made from a title the user (or a web page) chose:
 * no path separators or reserved characters, no leading dots, bounded length.
 */
export function downloadFileName(title: string, extension: string): string {
  let base = title.replace(RESERVED, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  base = Array.from(base).slice(0, MAX_BASE_LENGTH).join('').trim();
  if (!base || WINDOWS_DEVICE_NAMES.test(base)) base = `recording${base ? `-${base}` : ''}`;
  return `${base}.${extension}`;
}

/**
 * Pages Chrome refuses to let any extension capture, known before asking: the Web Store.
 * (Chromium 156 does let the toolbar capture chrome:// pages; anything else it refuses,
 * tabCapture.getMediaStreamId reports.)
 */
export function isUncapturableUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const { hostname, pathname } = new URL(url);
    return hostname === 'chromewebstore.google.com' || (hostname === 'chrome.google.com' && pathname.startsWith('/webstore'));
  } catch {
    return false;
  }
}
