import chromaKeyWasm from 'virtual:chroma-key-wasm';
import { keyTerms, type ChromaKeySettings } from './key';

/**
 * The key as WebAssembly SIMD (./simd/key.ts), on pixels in the module's own memory: the caller
 * copies a frame straight into `input`, and makes the keyed frame straight from what `key`
 * returns — no canvas and no copy between. Same output as ./key.ts's keyFrame within ±2 levels.
 */
export interface SimdKey {
  /** Where the next frame's RGBA pixels go (valid until a call with another size). */
  input(width: number, height: number): Uint8ClampedArray;
  /**
   * Keys the pixels in `input` over a colour, over a picture (RGBA, the frame's size), or to
   * transparent (null); returns the keyed RGBA pixels, valid until the next call.
   */
  key(settings: ChromaKeySettings, behind: readonly [number, number, number] | Uint8ClampedArray | null): Uint8ClampedArray;
}

interface ChromaKeyExports {
  memory: WebAssembly.Memory;
  prepare(width: number, height: number): number;
  outputPointer(): number;
  picturePointer(): number;
  maxWidth(): number;
  key(...args: number[]): void;
}

/** Whether this browser runs WebAssembly SIMD. */
export function simdKeyAvailable(): boolean {
  try {
    return WebAssembly.validate(chromaKeyWasm);
  } catch {
    return false;
  }
}

export async function openSimdKey(): Promise<SimdKey> {
  const { instance } = await WebAssembly.instantiate(chromaKeyWasm);
  const wasm = instance.exports as unknown as ChromaKeyExports;
  let size = { width: 0, height: 0 };
  let views = { input: new Uint8ClampedArray(0), output: new Uint8ClampedArray(0), picture: new Uint8ClampedArray(0) };
  let pictureShown: Uint8ClampedArray | null = null;
  return {
    input(width, height) {
      if (width !== size.width || height !== size.height) {
        const input = wasm.prepare(width, height);
        if (!input) throw new Error(`Cannot key a ${width}×${height} frame here (at most ${wasm.maxWidth()} pixels wide, and memory for it)`);
        const bytes = width * height * 4;
        // (Views made after prepare(): growing the memory detaches the old ones.)
        views = {
          input: new Uint8ClampedArray(wasm.memory.buffer, input, bytes),
          output: new Uint8ClampedArray(wasm.memory.buffer, wasm.outputPointer(), bytes),
          picture: new Uint8ClampedArray(wasm.memory.buffer, wasm.picturePointer(), bytes),
        };
        size = { width, height };
        pictureShown = null;
      }
      return views.input;
    },
    key(settings, behind) {
      if (behind instanceof Uint8ClampedArray && behind !== pictureShown) {
        views.picture.set(behind);
        pictureShown = behind;
      }
      const { cb, cr, luma } = keyTerms(settings.keyColor);
      const colour = behind && !(behind instanceof Uint8ClampedArray) ? behind : [0, 0, 0];
      const mode = behind === null ? 2 : behind instanceof Uint8ClampedArray ? 1 : 0;
      wasm.key(cb, cr, luma, settings.similarity, settings.smoothness, settings.spill, ...settings.keyColor, ...colour, mode);
      return views.output;
    },
  };
}
