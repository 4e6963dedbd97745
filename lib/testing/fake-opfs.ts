/**
 * An in-memory stand-in for the origin private file system, for unit tests in Node (which has
 * none): directories, files, writable streams that commit on close and vanish on abort.
 */
class FakeFile {
  constructor(public data: Blob = new Blob([])) {}
}

class FakeWritable {
  private parts: BlobPart[] = [];
  constructor(private readonly file: FakeFile, private readonly failAfter: number | null) {}
  async write(chunk: BlobPart | { type: 'write'; data: BlobPart }) {
    if (this.failAfter !== null && this.parts.length >= this.failAfter) throw new DOMException('disk full', 'QuotaExceededError');
    const isCommand = typeof chunk === 'object' && chunk !== null && !(chunk instanceof Blob) && 'type' in chunk && chunk.type === 'write';
    this.parts.push(isCommand ? (chunk as { data: BlobPart }).data : (chunk as BlobPart));
  }
  async close() {
    this.file.data = new Blob(this.parts);
  }
  async abort() {
    this.parts = [];
  }
}

class FakeDirectory {
  readonly entries = new Map<string, FakeFile | FakeDirectory>();
  /** Makes writes fail after this many chunks (a full disk). */
  failWritesAfter: number | null = null;

  async getDirectoryHandle(name: string, options?: { create?: boolean }) {
    let entry = this.entries.get(name);
    if (!entry && options?.create) this.entries.set(name, (entry = new FakeDirectory()));
    if (!(entry instanceof FakeDirectory)) throw new DOMException(name, 'NotFoundError');
    entry.failWritesAfter = this.failWritesAfter;
    return entry;
  }

  async getFileHandle(name: string, options?: { create?: boolean }) {
    let entry = this.entries.get(name);
    if (!entry && options?.create) this.entries.set(name, (entry = new FakeFile()));
    if (!(entry instanceof FakeFile)) throw new DOMException(name, 'NotFoundError');
    const file = entry;
    return {
      getFile: async () => Object.assign(file.data, { name }),
      createWritable: async () => new FakeWritable(file, this.failWritesAfter),
    };
  }

  async removeEntry(name: string) {
    if (!this.entries.delete(name)) throw new DOMException(name, 'NotFoundError');
  }

  /** Every file below this folder, as "folder/name" paths. */
  files(prefix = ''): string[] {
    return [...this.entries].flatMap(([name, entry]) => (entry instanceof FakeDirectory ? entry.files(`${prefix}${name}/`) : [`${prefix}${name}`]));
  }
}

export type FakeOpfs = FakeDirectory;

/** Installs a fresh fake OPFS as navigator.storage.getDirectory() and returns its root. */
export function installFakeOpfs(): FakeOpfs {
  const root = new FakeDirectory();
  const storage = { getDirectory: async () => root, estimate: async () => ({ quota: 1e12, usage: 0 }) };
  Object.defineProperty(globalThis, 'navigator', { value: { ...globalThis.navigator, storage }, configurable: true });
  return root;
}
