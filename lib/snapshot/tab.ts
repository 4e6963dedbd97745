import { acquire } from '../media/capture';
import { explainCaptureError } from '../media/errors';
import { drawSnapshot, frameOf } from '../media/snapshot';
import type { RecordingError } from '../recording/state';
import { saveSnapshot } from './save';

export type SnapshotResult = { ok: true; itemId: string } | { ok: false; error: RecordingError };
/** What the tab-capture job answers: also "no frame came", which the service worker handles. */
export type TabFrameResult = SnapshotResult | { ok: false; noFrame: true };

/** The largest tab picture asked for: the tab as it is, at up to 4K. */
const TAB_LIMITS = { width: 3840, height: 2160, frameRate: 30 };
/**
 * Tab capture sends a frame when the page changes; a still page may send none for a long time.
 * After this long the service worker takes the picture another way.
 */
const FIRST_FRAME_MS = 1500;

/**
 * The offscreen document's snapshot job: one frame of a tab capture — no recording — saved
 * into the Library. The capture stops as soon as the frame is drawn.
 */
export async function snapshotTab(streamId: string, title: string): Promise<TabFrameResult> {
  let source;
  try {
    source = await acquire({ kind: 'tab', streamId, audio: false, limits: TAB_LIMITS });
  } catch (error) {
    return { ok: false, error: explainCaptureError(error, 'tab') };
  }
  let frame: OffscreenCanvas;
  try {
    frame = await frameOf(source.stream.getVideoTracks()[0]!, FIRST_FRAME_MS);
  } catch {
    return { ok: false, noFrame: true };
  } finally {
    source.stop();
  }
  return save(frame, title);
}

/** The same job for a picture the service worker took itself (chrome.tabs.captureVisibleTab). */
export async function snapshotImage(dataUrl: string, title: string): Promise<SnapshotResult> {
  try {
    const bitmap = await createImageBitmap(await (await fetch(dataUrl)).blob());
    const frame = drawSnapshot(bitmap, bitmap.width, bitmap.height, { filter: 'none', mirror: false });
    bitmap.close();
    return await save(frame, title);
  } catch (error) {
    return { ok: false, error: { code: 'capture-failed', detail: String(error) } };
  }
}

async function save(frame: OffscreenCanvas, title: string): Promise<SnapshotResult> {
  try {
    return { ok: true, itemId: (await saveSnapshot(frame, { title, source: 'tab' })).id };
  } catch (error) {
    console.warn('Tab snapshot failed:', error);
    return { ok: false, error: { code: 'capture-failed', detail: String(error) } };
  }
}
