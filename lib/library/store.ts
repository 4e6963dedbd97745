import { openDb, type MediaItem, type MediaKind } from '../db';
import { announceLibraryChange } from './changes';

/**
 * The Library: recordings, snapshots and exports. Metadata lives in IndexedDB, files in OPFS,
 * one folder per kind. Every change is announced on a BroadcastChannel (./changes.ts), so
 * every open page shows it at once.
 */
const FOLDER: Record<MediaKind, string> = { recording: 'recordings', snapshot: 'snapshots', export: 'exports' };

const EXTENSION: Record<string, string> = {
  'video/webm': 'webm',
  'video/mp4': 'mp4',
  'video/x-matroska': 'mkv',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'audio/webm': 'weba',
  'audio/mp4': 'm4a',
};

/** The file extension for a MIME type ("video/webm;codecs=vp9" → "webm"): a file is never named as another format. */
export function extensionFor(mimeType: string): string {
  const base = mimeType.split(';')[0]!.trim().toLowerCase();
  const extension = EXTENSION[base];
  if (!extension) throw new Error(`no file extension known for ${mimeType}`);
  return extension;
}

async function folder(kind: MediaKind): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(FOLDER[kind], { create: true });
}

export type NewMediaItem = Omit<MediaItem, 'fileName' | 'size'>;

/**
 * Adds an item whose file `write` fills (streamed; `write` gets the open file), then lets
 * `inspect` read facts off the finished file (a duration) before the entry is made. Nothing is
 * left behind when either fails: the half-written file is removed and no entry is made.
 */
export async function saveItem(
  draft: NewMediaItem,
  write: (file: FileSystemWritableFileStream) => Promise<void>,
  inspect: (file: File) => Promise<Partial<Pick<MediaItem, 'durationMs'>>> = async () => ({}),
): Promise<MediaItem> {
  const fileName = `${draft.id}.${extensionFor(draft.mimeType)}`;
  const dir = await folder(draft.kind);
  const handle = await dir.getFileHandle(fileName, { create: true });
  let size: number;
  let facts: Partial<MediaItem>;
  try {
    const writable = await handle.createWritable();
    try {
      await write(writable);
    } catch (error) {
      await writable.abort().catch(() => undefined);
      throw error;
    }
    const file = await handle.getFile();
    size = file.size;
    if (size === 0) throw new Error('nothing was written');
    facts = await inspect(file);
  } catch (error) {
    await dir.removeEntry(fileName).catch(() => undefined);
    throw error;
  }
  const item: MediaItem = { ...draft, ...facts, fileName, size };
  const db = await openDb();
  await db.put('items', item);
  announceLibraryChange({ type: 'added', id: item.id, kind: item.kind });
  return item;
}

export async function getItem(id: string): Promise<MediaItem | null> {
  const db = await openDb();
  return (await db.get('items', id)) ?? null;
}

/** Newest first; of one kind when asked. */
export async function listItems(kind?: MediaKind): Promise<MediaItem[]> {
  const db = await openDb();
  const items = await db.getAllFromIndex('items', 'createdAt');
  return items.filter((item) => !kind || item.kind === kind).reverse();
}

export async function itemFile(item: MediaItem): Promise<File> {
  return (await (await folder(item.kind)).getFileHandle(item.fileName)).getFile();
}

export const MAX_TITLE_LENGTH = 200;

/** Trims and bounds a title typed by the user; an empty title is refused. */
export function cleanTitle(title: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = title.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH);
  return cleaned.length > 0 ? cleaned : null;
}

export async function renameItem(id: string, title: string): Promise<MediaItem | null> {
  const clean = cleanTitle(title);
  if (!clean) return null;
  const db = await openDb();
  const tx = db.transaction('items', 'readwrite');
  const item = await tx.store.get(id);
  if (!item) return null;
  const renamed = { ...item, title: clean };
  await tx.store.put(renamed);
  await tx.done;
  announceLibraryChange({ type: 'changed', id, kind: item.kind });
  return renamed;
}

/**
 * Deletes the file, then the entry: if the file cannot be removed the entry stays (and says
 * where the bytes are), so no file is ever left without an entry.
 */
export async function deleteItem(id: string): Promise<void> {
  const db = await openDb();
  const item = await db.get('items', id);
  if (!item) return;
  try {
    await (await folder(item.kind)).removeEntry(item.fileName);
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
  }
  await db.delete('items', id);
  announceLibraryChange({ type: 'deleted', id, kind: item.kind });
}

const SCRATCH = 'scratch';

/**
 * A temporary OPFS file for work that is copied elsewhere when done (an MP4 before its index
 * moves to the front, a GIF attempt that may be too big): removed when `work` ends, however it ends.
 */
export async function withScratchFile<T>(work: (handle: FileSystemFileHandle) => Promise<T>): Promise<T> {
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(SCRATCH, { create: true });
  const name = crypto.randomUUID();
  const handle = await dir.getFileHandle(name, { create: true });
  try {
    return await work(handle);
  } finally {
    await dir.removeEntry(name).catch(() => undefined);
  }
}

/** Removes scratch files a crash or a closed page left behind (none are in use while no export runs). */
export async function clearScratch(): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(SCRATCH, { recursive: true }).catch(() => undefined);
}
