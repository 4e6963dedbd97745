import { openDb, type RecordingEntry } from '../db';

/** The Library: finished recordings. Metadata lives in IndexedDB, the files in OPFS. */
const FOLDER = 'recordings';

async function recordingsFolder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(FOLDER, { create: true });
}

export async function createRecordingFile(fileName: string): Promise<FileSystemFileHandle> {
  return (await recordingsFolder()).getFileHandle(fileName, { create: true });
}

export async function recordingFile(entry: RecordingEntry): Promise<File> {
  return (await (await recordingsFolder()).getFileHandle(entry.fileName)).getFile();
}

export async function addRecording(entry: RecordingEntry): Promise<void> {
  const db = await openDb();
  await db.put('recordings', entry);
}

/** Newest first. */
export async function listRecordings(): Promise<RecordingEntry[]> {
  const db = await openDb();
  return (await db.getAllFromIndex('recordings', 'createdAt')).reverse();
}

export const MAX_TITLE_LENGTH = 200;

/** Trims and bounds a title typed by the user; an empty title is refused. */
export function cleanTitle(title: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = title.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH);
  return cleaned.length > 0 ? cleaned : null;
}

export async function renameRecording(id: string, title: string): Promise<RecordingEntry | null> {
  const clean = cleanTitle(title);
  if (!clean) return null;
  const db = await openDb();
  const tx = db.transaction('recordings', 'readwrite');
  const entry = await tx.store.get(id);
  if (!entry) return null;
  const renamed = { ...entry, title: clean };
  await tx.store.put(renamed);
  await tx.done;
  return renamed;
}

export async function deleteRecording(id: string): Promise<void> {
  const db = await openDb();
  const entry = await db.get('recordings', id);
  if (!entry) return;
  await db.delete('recordings', id);
  await (await recordingsFolder()).removeEntry(entry.fileName).catch(() => undefined);
}
