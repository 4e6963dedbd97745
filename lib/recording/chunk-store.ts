import { openDb, type SessionRecord } from '../db';

/**
 * Recording chunks go to IndexedDB as they arrive (one record per MediaRecorder timeslice), so
 * a crash loses at most the last slice and memory stays flat: Chromium keeps stored Blobs on
 * disk, and a Blob built from them is a list of references, not a copy.
 */
export async function createSession(session: SessionRecord): Promise<void> {
  const db = await openDb();
  await db.put('sessions', session);
}

export async function setSessionThumbnail(sessionId: string, thumbnail: Blob): Promise<void> {
  const db = await openDb();
  const tx = db.transaction('sessions', 'readwrite');
  const session = await tx.store.get(sessionId);
  if (session) await tx.store.put({ ...session, thumbnail });
  await tx.done;
}

export async function appendChunk(sessionId: string, index: number, data: Blob): Promise<void> {
  const db = await openDb();
  await db.put('chunks', { sessionId, index, data });
}

export async function listSessions(): Promise<SessionRecord[]> {
  const db = await openDb();
  return db.getAll('sessions');
}

function sessionRange(sessionId: string): IDBKeyRange {
  return IDBKeyRange.bound([sessionId, 0], [sessionId, Number.MAX_SAFE_INTEGER]);
}

/** The session's recorded bytes in order, as one Blob backed by the stored chunks. */
export async function sessionBlob(session: SessionRecord): Promise<{ blob: Blob; chunks: number }> {
  const db = await openDb();
  const chunks = await db.getAll('chunks', sessionRange(session.id));
  chunks.sort((a, b) => a.index - b.index);
  return { blob: new Blob(chunks.map((c) => c.data), { type: session.mimeType }), chunks: chunks.length };
}

export async function deleteSession(sessionId: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(['sessions', 'chunks'], 'readwrite');
  await Promise.all([tx.objectStore('chunks').delete(sessionRange(sessionId)), tx.objectStore('sessions').delete(sessionId), tx.done]);
}
