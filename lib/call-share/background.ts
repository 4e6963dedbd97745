import { browser } from 'wxt/browser';
import { sendTo } from '../messaging/protocol';
import { chromeTabs } from '../recording/background';
import { isUncapturableUrl, pageSubject } from '../recording/naming';
import type { RecordingError } from '../recording/state';

/**
 * "Share this tab in a call" (service-worker side). The popup's click grants capture of the tab
 * the person is on; the share waits here until a call page takes it. The call page is opened if
 * none is; an open one is told a share waits. The page that asks first gets a tab-capture stream
 * id made for it (tabCapture ids work in the tab they were made for only), and sends the tab in
 * place of its camera.
 */
export type ShareTabResult = { ok: true } | { ok: false; error: RecordingError };
export interface TabShareGrant {
  streamId: string;
  /** The shared page, for the call page to say what it shares. */
  subject: string | null;
}

/** A share not taken within this long is dropped (the person has moved on). */
const PENDING_MS = 30_000;
let pending: { tabId: number; subject: string | null; at: number } | null = null;

export async function shareTabInCall(tabId: number | null): Promise<ShareTabResult> {
  const url = tabId === null ? null : await chromeTabs.url(tabId);
  if (tabId === null || url === null || isUncapturableUrl(url)) return { ok: false, error: { code: 'uncapturable-page' } };
  pending = { tabId, subject: pageSubject(url), at: Date.now() };
  const callUrl = browser.runtime.getURL('/call.html');
  const open = await browser.tabs.query({ url: `${callUrl}*` });
  // A new call page asks for the share as it starts; an open one is told.
  if (open.length === 0) await browser.tabs.create({ url: callUrl });
  else await sendTo('call', 'call/tab-share-waiting', {}).catch(() => undefined);
  return { ok: true };
}

/** A call page asks for the waiting share: a stream id made for that page's tab, or null. */
export async function takeTabShare(consumerTabId: number | undefined): Promise<TabShareGrant | null> {
  const share = pending;
  if (!share || consumerTabId === undefined || Date.now() - share.at > PENDING_MS) return null;
  pending = null;
  const streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: share.tabId, consumerTabId });
  return { streamId, subject: share.subject };
}
