/** Titles for new recordings, and which pages cannot be recorded. */

/**
 * "Tab · example.com": what was recorded. The date is not part of the title: the Library shows
 * it beside the title, and downloads add it to the file name.
 */
export function defaultTitle(sourceLabel: string, subject: string | null): string {
  return subject ? `${sourceLabel} · ${subject}` : sourceLabel;
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

export type TabCheck = { ok: true; streamId: string; subject: string | null } | { ok: false; error: { code: 'uncapturable-page'; detail?: string } };

/**
 * Whether the tab the user clicked on can be captured, and its tabCapture stream id: the same
 * checks and explanation for recording a tab and snapshotting one.
 */
export async function checkTab(
  tabId: number | null,
  tabs: { url(tabId: number): Promise<string | null>; captureStreamId(tabId: number): Promise<string> },
): Promise<TabCheck> {
  const url = tabId === null ? null : await tabs.url(tabId).catch(() => null);
  if (tabId === null || url === null || isUncapturableUrl(url)) return { ok: false, error: { code: 'uncapturable-page' } };
  try {
    return { ok: true, streamId: await tabs.captureStreamId(tabId), subject: pageSubject(url) };
  } catch (error) {
    return { ok: false, error: { code: 'uncapturable-page', detail: String(error instanceof Error ? error.message : error) } };
  }
}
