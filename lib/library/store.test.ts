import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDb, DB_NAME, openDb, type MediaItem, type RecordingEntryV1, type StudioDbV1 } from '../db';
import { installFakeOpfs, type FakeOpfs } from '../testing/fake-opfs';
import { watchLibrary, type LibraryChange } from './changes';
import { cleanTitle, deleteItem, extensionFor, itemFile, listItems, renameItem, saveItem, type NewMediaItem } from './store';

const draft = (id: string, createdAt: number, kind: MediaItem['kind'] = 'recording', mimeType = 'video/webm'): NewMediaItem => ({
  id,
  kind,
  parentId: null,
  title: `item ${id}`,
  createdAt,
  mimeType,
  durationMs: kind === 'snapshot' ? null : 1000,
  thumbnail: null,
  source: kind === 'recording' ? 'tab' : null,
  recovered: false,
});

const writeText = (text: string) => async (file: FileSystemWritableFileStream) => {
  await file.write(text);
  await file.close();
};

describe('the Library store', () => {
  let opfs: FakeOpfs;
  beforeEach(() => {
    closeDb();
    globalThis.indexedDB = new IDBFactory();
    opfs = installFakeOpfs();
  });

  it('keeps each kind in its own folder, named by its MIME type', async () => {
    await saveItem(draft('r', 1), writeText('webm'));
    await saveItem(draft('s', 2, 'snapshot', 'image/png'), writeText('png'));
    await saveItem({ ...draft('e', 3, 'export', 'video/mp4'), parentId: 'r' }, writeText('mp4'));
    expect(opfs.files().sort()).toEqual(['exports/e.mp4', 'recordings/r.webm', 'snapshots/s.png']);
    const [exported] = await listItems('export');
    expect(exported).toMatchObject({ id: 'e', parentId: 'r', size: 3, fileName: 'e.mp4' });
    expect(await (await itemFile(exported!)).text()).toBe('mp4');
  });

  it('lists the newest first, of one kind when asked', async () => {
    await saveItem(draft('old', 1), writeText('a'));
    await saveItem(draft('new', 3), writeText('b'));
    await saveItem(draft('mid', 2, 'snapshot', 'image/jpeg'), writeText('c'));
    expect((await listItems()).map((e) => e.id)).toEqual(['new', 'mid', 'old']);
    expect((await listItems('recording')).map((e) => e.id)).toEqual(['new', 'old']);
  });

  it('leaves no file and no entry when writing fails', async () => {
    await expect(saveItem(draft('broken', 1), async () => Promise.reject(new Error('remux failed')))).rejects.toThrow('remux failed');
    await expect(saveItem(draft('empty', 1), async (file) => file.close())).rejects.toThrow(/nothing was written/);
    opfs.failWritesAfter = 0;
    await expect(saveItem(draft('full', 1), writeText('x'))).rejects.toThrow(/disk full/);
    expect(opfs.files()).toEqual([]);
    expect(await listItems()).toEqual([]);
  });

  it('deletes the file and then the entry, and tells every page', async () => {
    const changes: LibraryChange[] = [];
    const unwatch = watchLibrary((change) => changes.push(change));
    await saveItem(draft('a', 1), writeText('a'));
    await deleteItem('a');
    expect(opfs.files()).toEqual([]);
    expect(await listItems()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(changes).toEqual([
      { type: 'added', id: 'a', kind: 'recording' },
      { type: 'deleted', id: 'a', kind: 'recording' },
    ]);
    unwatch();
  });

  it('still removes the entry of an item whose file is already gone', async () => {
    await saveItem(draft('a', 1), writeText('a'));
    await (await opfs.getDirectoryHandle('recordings')).removeEntry('a.webm');
    await deleteItem('a');
    expect(await listItems()).toEqual([]);
  });

  it('renames with a cleaned title and refuses an empty one', async () => {
    await saveItem(draft('a', 1), writeText('a'));
    expect((await renameItem('a', '  Demo \n take  2 '))?.title).toBe('Demo take 2');
    expect(await renameItem('a', '   ')).toBeNull();
    expect(await renameItem('missing', 'x')).toBeNull();
    expect((await listItems())[0]?.title).toBe('Demo take 2');
  });

  it('bounds title length', () => {
    expect(cleanTitle('x'.repeat(1000))?.length).toBe(200);
    expect(cleanTitle('\u0000\u0007')).toBeNull();
  });

  it('never names one format as another', () => {
    expect(extensionFor('video/webm;codecs=vp9,opus')).toBe('webm');
    expect(extensionFor('video/x-matroska;codecs=avc1')).toBe('mkv');
    expect(extensionFor('video/mp4;codecs=avc1,opus')).toBe('mp4');
    expect(extensionFor('image/jpeg')).toBe('jpg');
    expect(() => extensionFor('application/octet-stream')).toThrow(/no file extension/);
  });
});

describe('the database upgrade from version 1', () => {
  beforeEach(() => {
    closeDb();
    globalThis.indexedDB = new IDBFactory();
  });

  it('turns every v1 recording into a media item and keeps unfinished sessions', async () => {
    const v1Entry = (id: string, createdAt: number): RecordingEntryV1 => ({
      id,
      title: `Tab · example.com ${id}`,
      source: 'tab',
      createdAt,
      durationMs: 4200,
      size: 1234,
      mimeType: 'video/webm',
      fileName: `${id}.webm`,
      thumbnail: new Blob(['jpeg']),
      recovered: id === 'b',
    });
    // A database exactly as version 1 of the extension made it.
    const v1 = await openDB<StudioDbV1>(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('sessions', { keyPath: 'id' });
        db.createObjectStore('chunks', { keyPath: ['sessionId', 'index'] });
        db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      },
    });
    await v1.put('recordings', v1Entry('a', 1));
    await v1.put('recordings', v1Entry('b', 2));
    await v1.put('sessions', { id: 'live', source: 'camera', title: 'T', createdAt: 3, mimeType: 'video/webm', thumbnail: null });
    await v1.put('chunks', { sessionId: 'live', index: 0, data: new Blob(['chunk']) });
    v1.close();

    const items = await listItems();
    expect(items.map((i) => i.id)).toEqual(['b', 'a']);
    expect(items[0]).toMatchObject({ kind: 'recording', parentId: null, fileName: 'b.webm', durationMs: 4200, size: 1234, recovered: true, source: 'tab' });
    expect(items[0]!.thumbnail).toBeInstanceOf(Blob);
    const db = await openDb();
    expect([...db.objectStoreNames].sort()).toEqual(['chunks', 'items', 'sessions']);
    expect(db.version).toBe(2);
    expect((await db.getAll('sessions')).map((s) => s.id)).toEqual(['live']);
    expect(await db.count('chunks')).toBe(1);
  });
});
