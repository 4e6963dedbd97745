import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDb, type RecordingEntry } from '../db';
import { addRecording, cleanTitle, listRecordings, renameRecording } from './store';

const entry = (id: string, createdAt: number): RecordingEntry => ({
  id,
  title: `rec ${id}`,
  source: 'tab',
  createdAt,
  durationMs: 1000,
  size: 10,
  mimeType: 'video/webm',
  fileName: `${id}.webm`,
  thumbnail: null,
  recovered: false,
});

describe('library store', () => {
  beforeEach(() => {
    closeDb();
    globalThis.indexedDB = new IDBFactory();
  });

  it('lists the newest recording first', async () => {
    await addRecording(entry('old', 1));
    await addRecording(entry('new', 3));
    await addRecording(entry('mid', 2));
    expect((await listRecordings()).map((e) => e.id)).toEqual(['new', 'mid', 'old']);
  });

  it('renames with a cleaned title and refuses an empty one', async () => {
    await addRecording(entry('a', 1));
    expect((await renameRecording('a', '  Demo \n take  2 '))?.title).toBe('Demo take 2');
    expect(await renameRecording('a', '   ')).toBeNull();
    expect(await renameRecording('missing', 'x')).toBeNull();
    expect((await listRecordings())[0]?.title).toBe('Demo take 2');
  });

  it('bounds title length', () => {
    expect(cleanTitle('x'.repeat(1000))?.length).toBe(200);
    expect(cleanTitle('\u0000\u0007')).toBeNull();
  });
});
