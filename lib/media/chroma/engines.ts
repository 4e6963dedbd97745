import { keyFrame, type ChromaKeySettings } from './key';
import { openSimdKey } from './key-simd';

/**
 * The ways a frame can be keyed, behind one interface: the same key (./key.ts is the reference)
 * as WebAssembly SIMD (./simd/key.ts), as WebGL2 shaders (./gl.ts) and as plain JS. Which is
 * fastest depends on the machine — WebGL2 is a software rasteriser on machines without a GPU —
 * so ./choose.ts measures them on the camera's own frames.
 */
export type KeyEngineName = 'gpu' | 'wasm' | 'js';

/** What shows where the screen was: a colour, a picture (RGBA, the frame's size) or nothing (alpha). */
export type Behind = { colour: readonly [number, number, number] } | { picture: Uint8ClampedArray } | { transparent: true };

export interface KeyEngine {
  readonly name: KeyEngineName;
  /** The frame keyed: a new frame of the same size and time (the caller closes both). */
  key(frame: VideoFrame, settings: ChromaKeySettings, behind: Behind): Promise<VideoFrame>;
  close(): void;
}

const keyedFrame = (pixels: Uint8ClampedArray, width: number, height: number, frame: VideoFrame) =>
  new VideoFrame(pixels, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: frame.timestamp, duration: frame.duration ?? undefined });

/** A colour or picture as the CPU keys take it; undefined: transparent. */
const behindPixels = (behind: Behind) => ('colour' in behind ? behind.colour : 'picture' in behind ? behind.picture : undefined);

/** The reference key in plain JS: works everywhere, slowest. */
export function jsKeyEngine(): KeyEngine {
  let pixels = new Uint8ClampedArray(0);
  let keyed = new Uint8ClampedArray(0);
  return {
    name: 'js',
    async key(frame, settings, behind) {
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      if (pixels.length !== width * height * 4) {
        pixels = new Uint8ClampedArray(width * height * 4);
        keyed = new Uint8ClampedArray(width * height * 4);
      }
      await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
      keyFrame(pixels, width, height, settings, keyed, behindPixels(behind));
      return keyedFrame(keyed, width, height, frame);
    },
    close() {},
  };
}

/**
 * The key as WebAssembly SIMD: the frame is copied straight into the module's memory and the
 * keyed frame made from it — no canvas on the way in or out.
 */
export async function wasmKeyEngine(): Promise<KeyEngine> {
  const simd = await openSimdKey();
  return {
    name: 'wasm',
    async key(frame, settings, behind) {
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      await frame.copyTo(simd.input(width, height), { format: 'RGBA', colorSpace: 'srgb' });
      return keyedFrame(simd.key(settings, behindPixels(behind) ?? null), width, height, frame);
    },
    close() {},
  };
}
