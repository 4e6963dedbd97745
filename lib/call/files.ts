import { cleanFileName } from '../library/naming';

/**
 * Files sent in a call, each on a data channel of its own labelled `file`: the sender offers
 * (name, size, type, SHA-256), the receiver accepts or declines, the sender streams 64 KiB
 * chunks with backpressure, and the receiver checks the checksum before offering to save it.
 * Everything the other side says is validated; its file name is only ever shown as text and
 * cleaned before it names a download.
 */
export const FILE_CHANNEL = 'file';
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** Sending waits while this much is queued in the channel, and goes on when it drains below the low mark. */
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;
const MAX_NAME_LENGTH = 255;

export type TransferState = 'offered' | 'sending' | 'receiving' | 'done' | 'declined' | 'failed';

export interface Transfer {
  id: string;
  direction: 'out' | 'in';
  /** The file's name as given (from the network when incoming): show it as text only. */
  name: string;
  size: number;
  type: string;
  state: TransferState;
  /** Bytes sent or received. */
  done: number;
  /** Incoming, finished and verified. */
  file: Blob | null;
  error: string | null;
}

interface OfferMessage {
  type: 'offer';
  name: string;
  size: number;
  mime: string;
  sha256: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A file offer from the other side, or null. */
export function parseFileOffer(text: unknown): OfferMessage | null {
  if (typeof text !== 'string' || text.length > 4096) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || value.type !== 'offer') return null;
  const { name, size, mime, sha256 } = value;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) return null;
  if (typeof mime !== 'string' || mime.length > 255) return null;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return { type: 'offer', name, size, mime, sha256 };
}

/** A name safe to save a received file under (the Library's rules for download names). */
export function safeFileName(name: string): string {
  return cleanFileName(name) || 'file';
}

export async function sha256Hex(data: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await data.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function waitFor(channel: RTCDataChannel, event: 'open' | 'bufferedamountlow'): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      channel.removeEventListener(event, done);
      channel.removeEventListener('close', closed);
      resolve();
    };
    const closed = () => {
      channel.removeEventListener(event, done);
      reject(new Error('the channel closed'));
    };
    channel.addEventListener(event, done);
    channel.addEventListener('close', closed, { once: true });
  });
}

function nextMessage(channel: RTCDataChannel): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = ({ data }: MessageEvent) => {
      channel.removeEventListener('close', onClose);
      resolve(data);
    };
    const onClose = () => {
      channel.removeEventListener('message', onMessage);
      reject(new Error('the channel closed'));
    };
    channel.addEventListener('message', onMessage, { once: true });
    channel.addEventListener('close', onClose, { once: true });
  });
}

/** Sends `file` on a new channel; `update` hears every change. Resolves when it is over, however it ended. */
export async function sendFile(connection: RTCPeerConnection, file: File, update: (transfer: Transfer) => void): Promise<void> {
  const transfer: Transfer = { id: crypto.randomUUID(), direction: 'out', name: file.name, size: file.size, type: file.type, state: 'offered', done: 0, file: null, error: null };
  const set = (patch: Partial<Transfer>) => update(Object.assign(transfer, patch));
  if (file.size > MAX_FILE_BYTES) return set({ state: 'failed', error: 'too-large' });
  set({});
  const channel = connection.createDataChannel(FILE_CHANNEL, { ordered: true });
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = LOW_WATER;
  try {
    await waitFor(channel, 'open');
    channel.send(JSON.stringify({ type: 'offer', name: file.name.slice(0, MAX_NAME_LENGTH), size: file.size, mime: file.type, sha256: await sha256Hex(file) }));
    const answer = await nextMessage(channel);
    if (answer !== JSON.stringify({ type: 'accept' })) return set({ state: 'declined' });
    set({ state: 'sending' });
    for (let at = 0; at < file.size; at += CHUNK_BYTES) {
      if (channel.bufferedAmount > HIGH_WATER) await waitFor(channel, 'bufferedamountlow');
      channel.send(await file.slice(at, at + CHUNK_BYTES).arrayBuffer());
      set({ done: Math.min(file.size, at + CHUNK_BYTES) });
    }
    // The receiver closes the channel once it has everything and has checked it.
    const receipt = await nextMessage(channel);
    set(receipt === JSON.stringify({ type: 'verified' }) ? { state: 'done' } : { state: 'failed', error: 'checksum' });
  } catch (error) {
    set({ state: 'failed', error: String(error) });
  } finally {
    channel.close();
  }
}

/**
 * Takes an incoming file channel: reads the offer, asks `decide` (the person) whether to take
 * it, receives and verifies it. `update` hears every change.
 */
export async function receiveFile(channel: RTCDataChannel, decide: (transfer: Transfer) => Promise<boolean>, update: (transfer: Transfer) => void): Promise<void> {
  channel.binaryType = 'arraybuffer';
  let transfer: Transfer | null = null;
  const set = (patch: Partial<Transfer>): void => {
    if (transfer) update(Object.assign(transfer, patch));
  };
  try {
    if (channel.readyState !== 'open') await waitFor(channel, 'open');
    const offer = parseFileOffer(await nextMessage(channel));
    if (!offer) return;
    transfer = { id: crypto.randomUUID(), direction: 'in', name: offer.name, size: offer.size, type: offer.mime, state: 'offered', done: 0, file: null, error: null };
    if (offer.size > MAX_FILE_BYTES) {
      channel.send(JSON.stringify({ type: 'decline' }));
      return set({ state: 'failed', error: 'too-large' });
    }
    set({});
    if (!(await decide(transfer))) {
      channel.send(JSON.stringify({ type: 'decline' }));
      return set({ state: 'declined' });
    }
    const parts: ArrayBuffer[] = [];
    let received = 0;
    const complete = new Promise<void>((resolve, reject) => {
      channel.addEventListener('message', ({ data }: MessageEvent) => {
        if (!(data instanceof ArrayBuffer)) return reject(new Error('unexpected text in the file'));
        received += data.byteLength;
        if (received > offer.size) return reject(new Error('more bytes than offered'));
        parts.push(data);
        set({ done: received });
        if (received === offer.size) resolve();
      });
      channel.addEventListener('close', () => reject(new Error('the sender stopped')), { once: true });
    });
    set({ state: 'receiving' });
    channel.send(JSON.stringify({ type: 'accept' }));
    if (offer.size > 0) await complete;
    const file = new Blob(parts, { type: offer.mime });
    if ((await sha256Hex(file)) !== offer.sha256) {
      channel.send(JSON.stringify({ type: 'corrupt' }));
      return set({ state: 'failed', error: 'checksum' });
    }
    channel.send(JSON.stringify({ type: 'verified' }));
    set({ state: 'done', file });
  } catch (error) {
    set({ state: 'failed', error: String(error) });
  } finally {
    // Give the last message time to leave before the channel goes.
    setTimeout(() => channel.close(), 1000);
  }
}
