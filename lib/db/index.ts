import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { VideoSourceKind } from '../media/capture';

/**
 * One IndexedDB database for the extension's origin, shared by the offscreen document (which
 * writes recording sessions and their chunks) and the pages (which read the Library).
 */
export interface SessionRecord {
  id: string;
  source: VideoSourceKind;
  title: string;
  createdAt: number;
  mimeType: string;
  thumbnail: Blob | null;
  /** The most frames a second the capture was asked for (absent in version 1's sessions). */
  frameRate?: number;
}

export interface ChunkRecord {
  sessionId: string;
  index: number;
  data: Blob;
}

/** What the Library holds: recordings, snapshots and exports. */
export type MediaKind = 'recording' | 'snapshot' | 'export';

export interface MediaItem {
  id: string;
  kind: MediaKind;
  /** The item this one was made from (an export's recording); null for originals. */
  parentId: string | null;
  title: string;
  createdAt: number;
  mimeType: string;
  /** The file's name in its kind's OPFS folder; its extension follows the MIME type. */
  fileName: string;
  size: number;
  /** Length of a recording or a video export; null for pictures. */
  durationMs: number | null;
  thumbnail: Blob | null;
  /** What a recording captured; null for other kinds. */
  source: VideoSourceKind | null;
  /** Rebuilt from what was on disk after a crash or a closed browser. */
  recovered: boolean;
}

/** What version 1 stored for each finished recording (store `recordings`). */
export interface RecordingEntryV1 {
  id: string;
  title: string;
  source: VideoSourceKind;
  createdAt: number;
  durationMs: number;
  size: number;
  mimeType: string;
  fileName: string;
  thumbnail: Blob | null;
  recovered: boolean;
}

interface StudioDb extends DBSchema {
  sessions: { key: string; value: SessionRecord };
  chunks: { key: [string, number]; value: ChunkRecord };
  items: { key: string; value: MediaItem; indexes: { createdAt: number; kind: MediaKind; parentId: string } };
}

/** Version 1's schema, for the migration (and the test that opens a real v1 database). */
export interface StudioDbV1 extends DBSchema {
  sessions: { key: string; value: SessionRecord };
  chunks: { key: [string, number]; value: ChunkRecord };
  recordings: { key: string; value: RecordingEntryV1; indexes: { createdAt: number } };
}

export type Db = IDBPDatabase<StudioDb>;

export const DB_NAME = 'webrtc-studio';
export const DB_VERSION = 2;
let opening: Promise<Db> | null = null;

/** A v1 recording as a v2 media item: same id, same file (in the recordings folder). */
export function itemFromV1(entry: RecordingEntryV1): MediaItem {
  return { ...entry, kind: 'recording', parentId: null };
}

type UpgradeTx = IDBPTransaction<StudioDb, StoreNames<StudioDb>[], 'versionchange'>;

/** Each step takes the database from one version to the next; an install runs them all. */
async function upgrade(db: IDBPDatabase<StudioDb>, oldVersion: number, tx: UpgradeTx): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore('sessions', { keyPath: 'id' });
    db.createObjectStore('chunks', { keyPath: ['sessionId', 'index'] });
  }
  if (oldVersion < 2) {
    const items = db.createObjectStore('items', { keyPath: 'id' });
    items.createIndex('createdAt', 'createdAt');
    items.createIndex('kind', 'kind');
    items.createIndex('parentId', 'parentId');
    // The v1 `recordings` store becomes media items of kind 'recording'.
    const legacy = db as unknown as IDBPDatabase<StudioDbV1>;
    if (legacy.objectStoreNames.contains('recordings')) {
      const v1 = (tx as unknown as IDBPTransaction<StudioDbV1, ['recordings'], 'versionchange'>).objectStore('recordings');
      for (const entry of await v1.getAll()) await tx.objectStore('items').put(itemFromV1(entry));
      legacy.deleteObjectStore('recordings');
    }
  }
}

export function openDb(): Promise<Db> {
  opening ??= openDB<StudioDb>(DB_NAME, DB_VERSION, {
    upgrade: (db, oldVersion, _newVersion, tx) => upgrade(db, oldVersion, tx),
    // Chromium closes the connection itself when a write hits a full disk: open a new one next time.
    terminated() {
      opening = null;
    },
    // Another context (an older page left open) upgrading: let it, and reopen next time.
    blocking() {
      void opening?.then((db) => db.close());
      opening = null;
    },
  });
  return opening;
}

/** For tests: forget the open connection so a fresh fake IndexedDB is used. */
export function closeDb(): void {
  void opening?.then((db) => db.close());
  opening = null;
}
