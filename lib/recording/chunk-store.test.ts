import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDb } from '../db';
import { appendChunk, createSession, deleteSession, listSessions, sessionBlob, setSessionThumbnail } from './chunk-store';

const session = { id: 's1', source: 'tab' as const, title: 'T', createdAt: 1, mimeType: 'video/webm', thumbnail: null };

describe('chunk store', () => {
  beforeEach(() => {
    closeDb();
    globalThis.indexedDB = new IDBFactory();
  });

  it('returns the chunks in recorded order, whatever order the writes landed in', async () => {
    await createSession(session);
    await appendChunk('s1', 2, new Blob(['c']));
    await appendChunk('s1', 0, new Blob(['a']));
    await appendChunk('s1', 10, new Blob(['d']));
    await appendChunk('s1', 1, new Blob(['b']));
    const { blob, chunks } = await sessionBlob(session);
    expect(chunks).toBe(4);
    expect(await blob.text()).toBe('abcd');
    expect(blob.type).toBe('video/webm');
  });

  it('keeps sessions apart and deletes one whole', async () => {
    await createSession(session);
    await createSession({ ...session, id: 's2' });
    await appendChunk('s1', 0, new Blob(['x']));
    await appendChunk('s2', 0, new Blob(['y']));
    await deleteSession('s1');
    expect((await listSessions()).map((s) => s.id)).toEqual(['s2']);
    expect(await (await sessionBlob(session)).blob.text()).toBe('');
    expect(await (await sessionBlob({ ...session, id: 's2' })).blob.text()).toBe('y');
  });

  it('stores a thumbnail on the session', async () => {
    await createSession(session);
    await setSessionThumbnail('s1', new Blob(['jpeg']));
    const [stored] = await listSessions();
    expect(stored?.thumbnail).toBeInstanceOf(Blob);
  });
});
