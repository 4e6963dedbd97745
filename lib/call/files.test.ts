import { describe, expect, it } from 'vitest';
import { parseFileOffer, receiveFile, safeFileName, sendFile, sha256Hex, type Transfer } from './files';

/** Two ends of a data channel in memory: what one sends, the other receives (in order, later). */
class FakeChannel extends EventTarget {
  other: FakeChannel | null = null;
  readyState: RTCDataChannelState = 'connecting';
  binaryType: BinaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  /** Changes what crosses the wire, to test damage. */
  tamper: ((data: unknown) => unknown) | null = null;

  constructor(readonly label: string) {
    super();
  }

  send(data: string | ArrayBuffer): void {
    const other = this.other!;
    const sent = this.tamper ? this.tamper(data) : data;
    setTimeout(() => other.dispatchEvent(new MessageEvent('message', { data: sent })), 0);
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
    this.other?.close();
  }

  static pair(label: string): [FakeChannel, FakeChannel] {
    const a = new FakeChannel(label);
    const b = new FakeChannel(label);
    a.other = b;
    b.other = a;
    setTimeout(() => {
      for (const end of [a, b]) {
        end.readyState = 'open';
        end.dispatchEvent(new Event('open'));
      }
    }, 0);
    return [a, b];
  }
}

function call(accept: boolean, tamper?: (data: unknown) => unknown) {
  const sent: Transfer[] = [];
  const received: Transfer[] = [];
  let done!: Promise<void>;
  const connection = {
    createDataChannel: (label: string) => {
      const [mine, theirs] = FakeChannel.pair(label);
      if (tamper) mine.tamper = tamper;
      done = receiveFile(theirs as unknown as RTCDataChannel, async () => accept, (t) => received.push({ ...t }));
      return mine;
    },
  } as unknown as RTCPeerConnection;
  return { connection, sent, received, finished: () => done };
}

const randomFile = (bytes: number, name = 'clip.bin') => {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65536)));
  return new File([data], name, { type: 'application/octet-stream' });
};

describe('files over a data channel', () => {
  it('arrive byte for byte, checked, with progress on both sides', async () => {
    const file = randomFile(1_000_003);
    const c = call(true);
    await sendFile(c.connection, file, (t) => c.sent.push({ ...t }));
    await c.finished();
    const last = c.received.at(-1)!;
    expect(last.state).toBe('done');
    expect(await sha256Hex(last.file!)).toBe(await sha256Hex(file));
    expect(c.sent.at(-1)).toMatchObject({ state: 'done', done: file.size });
    expect(c.received.some((t) => t.state === 'receiving' && t.done > 0 && t.done < file.size)).toBe(true);
  });

  it('are not sent when declined', async () => {
    const c = call(false);
    await sendFile(c.connection, randomFile(10_000), (t) => c.sent.push({ ...t }));
    await c.finished();
    expect(c.sent.at(-1)?.state).toBe('declined');
    expect(c.received.at(-1)?.state).toBe('declined');
  });

  it('are thrown away when they arrive damaged', async () => {
    let chunks = 0;
    const flipOneByte = (data: unknown) => {
      if (!(data instanceof ArrayBuffer) || chunks++ !== 1) return data;
      const copy = new Uint8Array(data.slice(0));
      copy[10] = copy[10]! ^ 0xff;
      return copy.buffer;
    };
    const c = call(true, flipOneByte);
    await sendFile(c.connection, randomFile(200_000), (t) => c.sent.push({ ...t }));
    await c.finished();
    expect(c.received.at(-1)).toMatchObject({ state: 'failed', error: 'checksum', file: null });
    expect(c.sent.at(-1)).toMatchObject({ state: 'failed', error: 'checksum' });
  });

  it('refuses files over the limit before sending anything', async () => {
    const c = call(true);
    const huge = { name: 'big.iso', size: 200 * 1024 * 1024, type: '' } as File;
    await sendFile(c.connection, huge, (t) => c.sent.push({ ...t }));
    expect(c.sent.at(-1)).toMatchObject({ state: 'failed', error: 'too-large' });
  });

  it('reads offers strictly and names downloads safely', () => {
    const sha256 = 'a'.repeat(64);
    expect(parseFileOffer(JSON.stringify({ type: 'offer', name: 'a.txt', size: 3, mime: 'text/plain', sha256 }))).toMatchObject({ name: 'a.txt', size: 3 });
    for (const bad of [{ type: 'offer', name: '', size: 3, mime: '', sha256 }, { type: 'offer', name: 'a', size: -1, mime: '', sha256 }, { type: 'offer', name: 'a', size: 1.5, mime: '', sha256 }, { type: 'offer', name: 'a', size: 1, mime: '', sha256: 'xyz' }, { type: 'chat', text: 'a' }]) {
      expect(parseFileOffer(JSON.stringify(bad))).toBeNull();
    }
    expect(parseFileOffer('not json')).toBeNull();
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('C:\\Windows\\evil.exe')).toBe('C__Windows_evil.exe');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('report\u0000.pdf')).toBe('report_.pdf');
    expect(safeFileName('  .hidden ')).toBe('hidden');
  });
});
