import { browser } from 'wxt/browser';
import { t } from '../i18n';
import { sendTo } from '../messaging/protocol';
import { offscreenDocument } from '../offscreen/document';
import { chromeTabs, showInLibrary } from '../recording/background';
import { checkTab, defaultTitle } from '../recording/naming';
import type { SnapshotResult } from './tab';

/**
 * "Snapshot this tab" (service-worker side): the tab the user clicked on is captured by the
 * offscreen document's snapshot job for one frame, and the photo opens in the Library. The
 * same checks and errors as recording a tab. A still page may send no frame at all; then the
 * picture of the visible tab (chrome.tabs.captureVisibleTab, allowed by the same click) is used.
 */
const SNAPSHOT_TIMEOUT_MS = 15_000;

export async function snapshotTabFromToolbar(tabId: number | null): Promise<SnapshotResult> {
  const check = await checkTab(tabId, chromeTabs);
  if (!check.ok) return check;
  const { streamId, subject } = check;
  const lease = `snapshot:${crypto.randomUUID()}`;
  let result: SnapshotResult;
  try {
    await offscreenDocument.acquire(lease);
    const title = defaultTitle(t('sourcePhoto'), subject);
    const job = (async (): Promise<SnapshotResult> => {
      const frame = await sendTo('offscreen', 'snapshot/tab', { streamId, title });
      if (frame.ok || !('noFrame' in frame)) return frame;
      // A still page sent no frame: the visible tab is the same picture, taken another way.
      const { windowId } = await browser.tabs.get(tabId!);
      const dataUrl = await chrome.tabs.captureVisibleTab(windowId, { format: 'png' });
      return sendTo('offscreen', 'snapshot/image', { dataUrl, title });
    })();
    // A snapshot takes well under a second; one that does not answer is given up, not waited on for ever.
    const timeout = new Promise<SnapshotResult>((resolve) => setTimeout(() => resolve({ ok: false, error: { code: 'start-timed-out' } }), SNAPSHOT_TIMEOUT_MS));
    result = await Promise.race([job, timeout]);
  } catch (error) {
    result = { ok: false, error: { code: 'capture-failed', detail: String(error) } };
  } finally {
    await offscreenDocument.release(lease);
  }
  if (result.ok) await showInLibrary(result.itemId);
  return result;
}
