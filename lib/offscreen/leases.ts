/**
 * The offscreen document's lifetime, as the service worker sees it: each piece of work (one
 * recording session, later one export or one keyed camera) holds a lease while it runs; the
 * document is created for the first lease and closed when the last one ends. Opening and
 * closing are done one at a time, so a recording that starts while the previous one's
 * document is being closed gets a fresh document instead of losing its own.
 */
export interface OffscreenDocumentApi {
  isOpen(): Promise<boolean>;
  open(): Promise<void>;
  close(): Promise<void>;
  /** True once the document's script answers messages. */
  ping(): Promise<boolean>;
}

/** Where the leases are kept: session storage, so a restarted service worker still knows them. */
export interface LeaseStore {
  get(): Promise<string[]>;
  set(leases: string[]): Promise<void>;
}

export interface OffscreenLeases {
  /** Holds `lease` and returns once the document runs and answers. */
  acquire(lease: string): Promise<void>;
  /** Ends `lease` (again is harmless); the document closes with the last lease. */
  release(lease: string): Promise<void>;
  /** Ends every lease whose name starts with `prefix` (a job's, when its document died). */
  releaseAll(prefix: string): Promise<void>;
  held(): Promise<string[]>;
}

const PING_ATTEMPTS = 40;
const PING_INTERVAL_MS = 50;

export function offscreenLeases(api: OffscreenDocumentApi, store: LeaseStore, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): OffscreenLeases {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };

  const closeIfUnused = async (leases: string[]) => {
    if (leases.length === 0 && (await api.isOpen())) await api.close().catch(() => undefined);
  };

  return {
    acquire: (lease) =>
      serial(async () => {
        const leases = await store.get();
        if (!leases.includes(lease)) await store.set([...leases, lease]);
        if (!(await api.isOpen())) await api.open();
        // The document's script may not be listening yet right after creation.
        for (let attempt = 0; attempt < PING_ATTEMPTS; attempt++) {
          if (await api.ping().catch(() => false)) return;
          await sleep(PING_INTERVAL_MS);
        }
        await store.set((await store.get()).filter((l) => l !== lease));
        throw new Error('The offscreen document did not answer.');
      }),
    release: (lease) =>
      serial(async () => {
        const leases = (await store.get()).filter((l) => l !== lease);
        await store.set(leases);
        await closeIfUnused(leases);
      }),
    releaseAll: (prefix) =>
      serial(async () => {
        const leases = (await store.get()).filter((l) => !l.startsWith(prefix));
        await store.set(leases);
        await closeIfUnused(leases);
      }),
    held: () => store.get(),
  };
}
