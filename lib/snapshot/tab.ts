import { acquire } from '../media/capture';
import { explainCaptureError } from '../media/errors';
import { frameOf } from '../media/snapshot';
import type { RecordingError } from '../recording/state';
import { saveSnapshot } from './save';

export type SnapshotResult = { ok: true; itemId: string } | { ok: false; error: RecordingError };

/** The largest tab picture asked for: the tab as it is, at up to 4K. */
const TAB_LIMITS = { width: 3840, height: 2160, frameRate: 30 };

/**
 * The offscreen document's snapshot job: one frame of a tab capture — no recording — saved
 * into the Library. The capture stops as soon as the frame is drawn.
 */
export async function snapshotTab(streamId: string, title: string): Promise<SnapshotResult> {
  let source;
  try {
    source = await acquire({ kind: 'tab', streamId, audio: false, limits: TAB_LIMITS });
  } catch (error) {
    return { ok: false, error: explainCaptureError(error, 'tab') };
  }
  try {
    const frame = await frameOf(source.stream.getVideoTracks()[0]!);
    return { ok: true, itemId: (await saveSnapshot(frame, { title, source: 'tab' })).id };
  } catch (error) {
    console.warn('Tab snapshot failed:', error);
    return { ok: false, error: { code: 'capture-failed', detail: String(error) } };
  } finally {
    source.stop();
  }
}
