import type { MediaItem, SessionRecord } from '../db';
import { mediaDuration, remux } from '../media/convert';
import { writeFastStart } from '../media/faststart';
import { CONTAINER_MIME, containerOf } from '../media/formats';
import { saveItem, withScratchFile } from '../library/store';
import { deleteSession, listSessions, sessionBlob } from './chunk-store';

/** What every quality preset captures at, for sessions that did not record their rate. */
const DEFAULT_FRAME_RATE = 30;

/**
 * Turns a session's stored chunks into a finished recording in the Library.
 *
 * MediaRecorder's WebM has no duration and no cues, so players cannot seek it; its MP4 is
 * fragmented. The remux (lib/media/convert.ts) copies the packets into a file of the same
 * container with both, reading the chunks lazily and streaming the output to an OPFS file:
 * neither side is ever held in memory whole. An MP4's index then moves to the front (through
 * a scratch file). The chunks are deleted only once the item is saved; a remux that fails
 * leaves no file behind.
 */
export async function finalizeSession(session: SessionRecord, recovered: boolean): Promise<MediaItem | null> {
  const { blob } = await sessionBlob(session);
  if (blob.size === 0) {
    await deleteSession(session.id);
    return null;
  }
  const container = containerOf(session.mimeType);
  const item = await saveItem(
    {
      id: session.id,
      kind: 'recording',
      parentId: null,
      title: session.title,
      createdAt: session.createdAt,
      mimeType: CONTAINER_MIME[container],
      durationMs: null,
      thumbnail: session.thumbnail,
      source: session.source,
      recovered,
    },
    async (file) => {
      const options = { frameRate: session.frameRate ?? DEFAULT_FRAME_RATE, container };
      if (container !== 'mp4') return remux(blob, file, options);
      await withScratchFile(async (scratch) => {
        await remux(blob, await scratch.createWritable(), options);
        await writeFastStart(await scratch.getFile(), file);
        await file.close();
      });
    },
    async (file) => ({ durationMs: Math.round((await mediaDuration(file)) * 1000) }),
  );
  await deleteSession(session.id);
  return item;
}

/** The Web Lock a recorder holds for as long as its session is live. */
export function sessionLockName(sessionId: string): string {
  return `recording-session:${sessionId}`;
}

/**
 * Finalizes sessions whose recorder is gone (the offscreen document crashed, the browser was
 * closed). A live recorder holds its session's lock, and a lock dies with its document, so a
 * session whose lock is free is orphaned. Taking the lock also keeps two contexts (two open
 * Library pages) from recovering the same session at once.
 */
export async function recoverOrphanedSessions(): Promise<MediaItem[]> {
  const recovered: MediaItem[] = [];
  for (const session of await listSessions()) {
    await navigator.locks.request(sessionLockName(session.id), { ifAvailable: true }, async (lock) => {
      if (!lock) return;
      try {
        const item = await finalizeSession(session, true);
        if (item) recovered.push(item);
      } catch (error) {
        // Leave the chunks where they are: a later version may do better than this one.
        console.warn('Could not recover recording', session.id, error);
      }
    });
  }
  return recovered;
}
