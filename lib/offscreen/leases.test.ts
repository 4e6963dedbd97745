import { describe, expect, it } from 'vitest';
import { offscreenLeases, type LeaseStore, type OffscreenDocumentApi } from './leases';

function fakeDocument(options: { answersAfterPings?: number; closeTakesMs?: number } = {}) {
  const log: string[] = [];
  let open = false;
  let pings = 0;
  const api: OffscreenDocumentApi = {
    isOpen: async () => open,
    open: async () => {
      log.push('open');
      open = true;
      pings = 0;
    },
    close: async () => {
      log.push('close');
      await new Promise((r) => setTimeout(r, options.closeTakesMs ?? 0));
      open = false;
    },
    ping: async () => open && ++pings > (options.answersAfterPings ?? 0),
  };
  let leases: string[] = [];
  const store: LeaseStore = { get: async () => leases, set: async (next) => void (leases = next) };
  return { api, store, log, isOpen: () => open };
}

const noWait = () => Promise.resolve();

describe('offscreen document leases', () => {
  it('opens the document for the first lease and closes it with the last', async () => {
    const doc = fakeDocument();
    const leases = offscreenLeases(doc.api, doc.store, noWait);
    await leases.acquire('recorder:a');
    await leases.acquire('export:b');
    await leases.release('recorder:a');
    expect(doc.isOpen()).toBe(true);
    await leases.release('export:b');
    expect(doc.isOpen()).toBe(false);
    expect(doc.log).toEqual(['open', 'close']);
  });

  it('gives a new recording a live document while the last one is still being closed', async () => {
    // The race behind a test that hung in CI: recording 1 finished and its document was being
    // closed while recording 2 started — and the close took recording 2's document with it.
    const doc = fakeDocument({ closeTakesMs: 20 });
    const leases = offscreenLeases(doc.api, doc.store, noWait);
    await leases.acquire('recorder:1');
    const closing = leases.release('recorder:1');
    const starting = leases.acquire('recorder:2');
    await Promise.all([closing, starting]);
    expect(doc.isOpen()).toBe(true);
    expect(doc.log).toEqual(['open', 'close', 'open']);
    expect(await leases.held()).toEqual(['recorder:2']);
  });

  it('waits for the document to answer, and gives the lease back if it never does', async () => {
    const slow = fakeDocument({ answersAfterPings: 3 });
    await offscreenLeases(slow.api, slow.store, noWait).acquire('recorder:a');
    const dead = fakeDocument({ answersAfterPings: 1000 });
    const leases = offscreenLeases(dead.api, dead.store, noWait);
    await expect(leases.acquire('recorder:a')).rejects.toThrow(/did not answer/);
    expect(await leases.held()).toEqual([]);
  });

  it('releases a dead job’s leases together, and a release twice is harmless', async () => {
    const doc = fakeDocument();
    const leases = offscreenLeases(doc.api, doc.store, noWait);
    await leases.acquire('recorder:a');
    await leases.acquire('other:b');
    await leases.releaseAll('recorder:');
    await leases.release('recorder:a');
    expect(await leases.held()).toEqual(['other:b']);
    expect(doc.isOpen()).toBe(true);
  });
});
