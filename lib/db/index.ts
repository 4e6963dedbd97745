import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RecordingSource } from '../recording/state';

/**
 * One IndexedDB database for the extension's origin, shared by the offscreen recorder (which
 * writes sessions and chunks) and the Library page (which reads recordings).
 */
export interface SessionRecord {
  id: string;
  source: RecordingSource;
  title: string;
  createdAt: number;
  mimeType: string;
  thumbnail: Blob | null;
}

export interface ChunkRecord {
  sessionId: string;
  index: number;
  data: Blob;
}

export interface RecordingEntry {
  id: string;
  title: string;
  source: RecordingSource;
  createdAt: number;
  durationMs: number;
  size: number;
  mimeType: string;
  /** The finished file's name in the OPFS recordings folder. */
  fileName: string;
  thumbnail: Blob | null;
  /** Rebuilt from what was on disk after a crash or a closed browser. */
  recovered: boolean;
}

interface StudioDb extends DBSchema {
  sessions: { key: string; value: SessionRecord };
  chunks: { key: [string, number]; value: ChunkRecord };
  recordings: { key: string; value: RecordingEntry; indexes: { createdAt: number } };
}

export type Db = IDBPDatabase<StudioDb>;

const DB_NAME = 'webrtc-studio';
let opening: Promise<Db> | null = null;

export function openDb(): Promise<Db> {
  opening ??= openDB<StudioDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('sessions', { keyPath: 'id' });
      db.createObjectStore('chunks', { keyPath: ['sessionId', 'index'] });
      db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    },
    // Chromium closes the connection itself when a write hits a full disk: open a new one next time.
    terminated() {
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
