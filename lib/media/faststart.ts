/**
 * "Fast start" for an MP4 written with its index (moov) at the end: copies the file with the
 * moov moved in front of the media data, so a player can start before it has the whole file.
 * Only the moov is held in memory (kilobytes per minute); the media is streamed in slices. The
 * chunk offsets in the moov (stco/co64) move by the moov's size.
 */

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

interface Box {
  type: string;
  start: number;
  size: number;
}

async function bytes(file: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

function typeAt(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/** The top-level boxes of an ISO BMFF file, read from their headers only. */
export async function topLevelBoxes(file: Blob): Promise<Box[]> {
  const boxes: Box[] = [];
  let offset = 0;
  while (offset + 8 <= file.size) {
    const header = new DataView((await bytes(file, offset, Math.min(offset + 16, file.size))).buffer);
    let size = header.getUint32(0);
    const type = typeAt(header, 4);
    if (size === 1) size = Number(header.getBigUint64(8));
    else if (size === 0) size = file.size - offset;
    if (size < 8 || offset + size > file.size) throw new Error(`broken MP4: box ${type} at ${offset} runs past the end`);
    boxes.push({ type, start: offset, size });
    offset += size;
  }
  return boxes;
}

/**
 * Adds `delta` to every chunk offset inside a moov box (in place). Returns false when a 32-bit
 * offset would overflow (a file over 4 GB written with stco): then the moov stays at the end.
 */
export function shiftChunkOffsets(moov: Uint8Array, delta: number): boolean {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  const walk = (start: number, end: number): boolean => {
    let offset = start;
    while (offset + 8 <= end) {
      let size = view.getUint32(offset);
      const type = typeAt(view, offset + 4);
      let header = 8;
      if (size === 1) {
        size = Number(view.getBigUint64(offset + 8));
        header = 16;
      } else if (size === 0) size = end - offset;
      if (size < header || offset + size > end) throw new Error(`broken MP4: box ${type} inside the index runs past its parent`);
      if (CONTAINERS.has(type)) {
        if (!walk(offset + header, offset + size)) return false;
      } else if (type === 'stco' || type === 'co64') {
        const count = view.getUint32(offset + header + 4);
        const first = offset + header + 8;
        const width = type === 'stco' ? 4 : 8;
        if (first + count * width > offset + size) throw new Error(`broken MP4: ${type} lists more offsets than it holds`);
        for (let i = 0; i < count; i++) {
          const at = first + i * width;
          if (type === 'stco') {
            const shifted = view.getUint32(at) + delta;
            if (shifted > 0xffffffff) return false;
            view.setUint32(at, shifted);
          } else {
            view.setBigUint64(at, view.getBigUint64(at) + BigInt(delta));
          }
        }
      }
      offset += size;
    }
    return true;
  };
  const header = view.getUint32(0) === 1 ? 16 : 8;
  return walk(header, moov.byteLength);
}

/**
 * Writes `file` to `target` with the moov first. Returns whether it moved (false: it was
 * already first, or could not move without rewriting 32-bit offsets — copied unchanged).
 */
export async function writeFastStart(file: Blob, target: WritableStream<Uint8Array>, signal?: AbortSignal): Promise<boolean> {
  const boxes = await topLevelBoxes(file);
  const moovBox = boxes.find((box) => box.type === 'moov');
  const mdatIndex = boxes.findIndex((box) => box.type === 'mdat');
  const writer = target.getWriter();
  // Streamed in the browser's own small chunks: slices read whole would leave megabytes of
  // garbage behind each write.
  const copy = async (start: number, end: number) => {
    const reader = file.slice(start, end).stream().getReader();
    for (;;) {
      if (signal?.aborted) {
        await reader.cancel();
        throw signal.reason;
      }
      const { done, value } = await reader.read();
      if (done) return;
      await writer.write(value);
    }
  };
  try {
    if (!moovBox || mdatIndex < 0 || boxes.indexOf(moovBox) < mdatIndex) {
      await copy(0, file.size);
      return false;
    }
    const moov = await bytes(file, moovBox.start, moovBox.start + moovBox.size);
    const ftyp = boxes[0]!.type === 'ftyp' ? boxes[0]! : null;
    if (!shiftChunkOffsets(moov, moovBox.size)) {
      await copy(0, file.size);
      return false;
    }
    if (ftyp) await copy(ftyp.start, ftyp.start + ftyp.size);
    await writer.write(moov);
    for (const box of boxes) {
      if (box === ftyp || box === moovBox) continue;
      await copy(box.start, box.start + box.size);
    }
    return true;
  } finally {
    writer.releaseLock();
  }
}
