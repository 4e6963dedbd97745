import { ALL_FORMATS, BlobSource, Conversion, Input, Output, StreamTarget, WebMOutputFormat } from 'mediabunny';
import type { RecordingEntry, SessionRecord } from '../db';
import { addRecording, createRecordingFile } from '../library/store';
import { deleteSession, listSessions, sessionBlob } from './chunk-store';

/**
 * Turns a session's stored chunks into a finished recording in the Library.
 *
 * MediaRecorder's WebM has no duration and no cues, so players cannot seek it. mediabunny
 * remuxes it (packets copied, nothing re-encoded) into a WebM with both, reading the chunks
 * lazily through a BlobSource and streaming the output to an OPFS file: neither side is ever
 * held in memory whole. The chunks are deleted only once the entry is saved.
 */
export async function finalizeSession(session: SessionRecord, recovered: boolean): Promise<RecordingEntry | null> {
  const { blob } = await sessionBlob(session);
  if (blob.size === 0) {
    await deleteSession(session.id);
    return null;
  }
  const fileName = `${session.id}.webm`;
  const handle = await createRecordingFile(fileName);
  const writable = await handle.createWritable();
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  const output = new Output({
    format: new WebMOutputFormat(),
    target: new StreamTarget(writable, { chunked: true, chunkSize: 4 * 1024 * 1024 }),
  });
  try {
    const conversion = await Conversion.init({ input, output });
    if (!conversion.isValid) {
      throw new Error(`cannot remux: ${conversion.discardedTracks.map((t) => t.reason).join(', ')}`);
    }
    await conversion.execute();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  } finally {
    input.dispose();
  }

  const file = await handle.getFile();
  const durationMs = Math.round((await measureDuration(file)) * 1000);
  const entry: RecordingEntry = {
    id: session.id,
    title: session.title,
    source: session.source,
    createdAt: session.createdAt,
    durationMs,
    size: file.size,
    mimeType: 'video/webm',
    fileName,
    thumbnail: session.thumbnail,
    recovered,
  };
  await addRecording(entry);
  await deleteSession(session.id);
  return entry;
}

async function measureDuration(file: Blob): Promise<number> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    return await input.computeDuration();
  } finally {
    input.dispose();
  }
}

/** The Web Lock a recorder holds for as long as its session is live. */
export function sessionLockName(sessionId: string): string {
  return `recording-session:${sessionId}`;
}

/**
 * Finalizes sessions whose recorder is gone (the offscreen document crashed, the browser was
 * closed). A live recorder holds its session's lock, and a lock dies with its document, so a
 * session whose lock is free is orphaned. Taking the lock also keeps two contexts (the
 * Library and the offscreen document) from recovering the same session at once.
 */
export async function recoverOrphanedSessions(): Promise<RecordingEntry[]> {
  const recovered: RecordingEntry[] = [];
  for (const session of await listSessions()) {
    await navigator.locks.request(sessionLockName(session.id), { ifAvailable: true }, async (lock) => {
      if (!lock) return;
      try {
        const entry = await finalizeSession(session, true);
        if (entry) recovered.push(entry);
      } catch (error) {
        // Leave the chunks where they are: a later version may do better than this one.
        console.warn('Could not recover recording', session.id, error);
      }
    });
  }
  return recovered;
}
