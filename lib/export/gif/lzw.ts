/**
 * GIF's LZW compression of palette indices, written as the 255-byte sub-blocks a GIF image
 * holds. The string table is a flat array indexed by (prefix code, next index), stamped with
 * a generation number so that a table reset costs nothing.
 */

const MAX_CODES = 4096;

export class LzwEncoder {
  private readonly table = new Int32Array(MAX_CODES * 256);
  private generation = 0;

  encode(indices: Uint8Array, minCodeSize: number): Uint8Array {
    const out = new ByteSink();
    const clear = 1 << minCodeSize;
    const end = clear + 1;
    const initialBits = minCodeSize + 1;
    let bits = initialBits;
    let limit = (1 << bits) - 1;
    let next = clear + 2;
    let resetAfterEmit = false;
    let accumulator = 0;
    let pending = 0;
    const table = this.table;
    let stamp = this.newGeneration();

    const emit = (code: number) => {
      accumulator |= code << pending;
      pending += bits;
      while (pending >= 8) {
        out.push(accumulator & 0xff);
        accumulator >>>= 8;
        pending -= 8;
      }
      // The decoder widens its codes one step behind the encoder's table.
      if (resetAfterEmit) {
        bits = initialBits;
        limit = (1 << bits) - 1;
        resetAfterEmit = false;
      } else if (next > limit) {
        bits++;
        limit = bits === 12 ? MAX_CODES : (1 << bits) - 1;
      }
    };

    emit(clear);
    if (indices.length > 0) {
      let prefix = indices[0]!;
      for (let i = 1; i < indices.length; i++) {
        const symbol = indices[i]!;
        const key = (prefix << 8) | symbol;
        const entry = table[key]!;
        if (entry >>> 12 === stamp) {
          prefix = entry & 0xfff;
          continue;
        }
        emit(prefix);
        prefix = symbol;
        if (next < MAX_CODES) {
          table[key] = (stamp << 12) | next++;
        } else {
          stamp = this.newGeneration();
          next = clear + 2;
          resetAfterEmit = true;
          emit(clear);
        }
      }
      emit(prefix);
    }
    emit(end);
    if (pending > 0) out.push(accumulator & 0xff);
    return out.subBlocks();
  }

  private newGeneration(): number {
    this.generation++;
    if (this.generation >= 1 << 19) {
      this.table.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

/** A growing byte buffer that comes out as GIF data sub-blocks ending in a zero-length block. */
class ByteSink {
  private bytes = new Uint8Array(64 * 1024);
  private length = 0;

  push(byte: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = byte;
  }

  subBlocks(): Uint8Array {
    const blocks = Math.ceil(this.length / 255);
    const out = new Uint8Array(this.length + blocks + 1);
    let o = 0;
    for (let i = 0; i < this.length; i += 255) {
      const size = Math.min(255, this.length - i);
      out[o++] = size;
      out.set(this.bytes.subarray(i, i + size), o);
      o += size;
    }
    out[o] = 0;
    return out;
  }
}
