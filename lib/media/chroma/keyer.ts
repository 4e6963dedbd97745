import { openBackgroundBlur, type BackgroundBlur } from '../blur/blur';
import { autoKey } from './auto-key';
import { backdropFitter } from './backdrop';
import { chooseKeyEngine, medianMs, type EngineChoice, type KeyEnginePreference } from './choose';
import type { Behind, KeyEngine } from './engines';
import type { ChromaKeySettings } from './key';

/**
 * The keying loop over a stream of camera frames: each frame keyed over the background colour
 * (or picture) by the engine chosen on the first keyed frame (./choose.ts), written on with its
 * own timestamp. The key is found from the first frame (auto-key) unless one is given, and again
 * whenever asked. Runs in the keying worker (./worker.ts), off the page's thread.
 */
export interface KeyerControl {
  key: ChromaKeySettings | null;
  background: readonly [number, number, number];
  /** A picture behind instead of the colour. */
  picture: ImageBitmap | null;
  /** Nothing behind: the frames keep the key's alpha. */
  transparent: boolean;
  /** No screen: the person is found in the picture (../blur/) and the camera's own background blurred. */
  blur: boolean;
  /** Find the key from the next frame (of about the colour `near`, when given: a preset). */
  findKey: { near?: readonly [number, number, number] } | null;
  /** The engine to key with; a change is taken up (measured again for 'auto') at the next frame. */
  engine: KeyEnginePreference;
  /** A point of the picture (0–1 across and down) whose colour the next frame gives: the eyedropper. */
  pick: { x: number; y: number } | null;
}

export interface KeyerEvents {
  /** The key auto-key found (null: no screen in the picture; frames pass unchanged). */
  onKey(key: ChromaKeySettings | null): void;
  /**
   * The engine chosen, with what each candidate measured; again with its own cost once measured
   * on the frames it keys, when it was the only candidate (and so not timed when chosen).
   */
  onEngine(choice: EngineReport): void;
  /** The camera's own colour at the point asked for (before any keying). */
  onPicked(colour: [number, number, number]): void;
}

export type EngineReport = Omit<EngineChoice, 'engine' | 'keyed'> & { name: KeyEngine['name'] };

/** Frames keyed by a lone candidate that are timed to give its cost (the median). */
const MEASURED_FRAMES = 5;

/** The eyedropper averages this many pixels square around the point: one pixel is mostly noise. */
const PICK_SIZE = 5;

/** The mean colour of the few pixels around a point of the frame (0–1 across and down). */
async function colourAt(frame: VideoFrame, point: { x: number; y: number }): Promise<[number, number, number]> {
  const size = Math.min(PICK_SIZE, frame.displayWidth, frame.displayHeight);
  const clamp = (v: number, extent: number) => Math.min(extent - size, Math.max(0, Math.round(v * extent - size / 2)));
  const rect = { x: clamp(point.x, frame.displayWidth), y: clamp(point.y, frame.displayHeight), width: size, height: size };
  const pixels = new Uint8Array(size * size * 4);
  await frame.copyTo(pixels, { rect, format: 'RGBA', colorSpace: 'srgb' });
  const mean = [0, 1, 2].map((c) => {
    let sum = 0;
    for (let i = c; i < pixels.length; i += 4) sum += pixels[i]!;
    return Math.round(sum / (size * size));
  });
  return mean as [number, number, number];
}

export async function runKeyer(frames: ReadableStream<VideoFrame>, out: WritableStream<VideoFrame>, control: KeyerControl, events: KeyerEvents): Promise<void> {
  const reader = frames.getReader();
  const writer = out.getWriter();
  let pixels = new Uint8ClampedArray(0);
  const fitted = backdropFitter();
  // Set by keyOrPass: cast, or TypeScript takes it for always null where it is closed below.
  let engine = null as KeyEngine | null;
  /** Loaded when first asked for (its model is a few MB), kept while the loop runs. */
  let blur: Promise<BackgroundBlur | null> | null = null;
  let engineAsked: KeyEnginePreference | null = null;
  /** The report of an engine chosen without timing, and its times so far on the frames it keys. */
  let measuring: { report: EngineReport; times: number[] } | null = null;
  /** The frame keyed (once a key is found or given), or as it is when there is no screen. */
  const keyOrPass = async (frame: VideoFrame): Promise<VideoFrame> => {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (control.findKey) {
      const { near } = control.findKey;
      control.findKey = null;
      if (pixels.length !== width * height * 4) pixels = new Uint8ClampedArray(width * height * 4);
      await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
      control.key = autoKey(pixels, width, height, near);
      events.onKey(control.key);
    }
    if (!control.key) return frame.clone();
    const behind: Behind = control.transparent
      ? { transparent: true }
      : control.picture
        ? { picture: fitted(control.picture, width, height) }
        : { colour: control.background };
    if (!engine || engineAsked !== control.engine) {
      engine?.close();
      engineAsked = control.engine;
      const { engine: chosen, keyed, ...choice } = await chooseKeyEngine(control.engine, frame, control.key, behind);
      engine = chosen;
      const report = { name: chosen.name, ...choice };
      measuring = choice.measured[chosen.name] === undefined ? { report, times: [] } : null;
      events.onEngine(report);
      return keyed;
    }
    const start = performance.now();
    const keyed = await engine.key(frame, control.key, behind);
    if (measuring) {
      measuring.times.push(performance.now() - start);
      if (measuring.times.length === MEASURED_FRAMES) {
        const { report, times } = measuring;
        events.onEngine({ ...report, measured: { ...report.measured, [report.name]: medianMs(times) } });
        measuring = null;
      }
    }
    return keyed;
  };
  try {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || !frame) break;
      let next: VideoFrame;
      try {
        if (control.pick) {
          const colour = await colourAt(frame, control.pick);
          control.pick = null;
          events.onPicked(colour);
        }
        if (control.blur) {
          // Should the model not load, the camera shows as it is.
          blur ??= openBackgroundBlur().catch(() => null);
          next = (await blur)?.blur(frame) ?? frame.clone();
        } else {
          next = await keyOrPass(frame);
        }
      } catch {
        // A frame that cannot be read is skipped; the next one is keyed.
        frame.close();
        continue;
      }
      frame.close();
      try {
        await writer.ready;
      } catch {
        next.close();
        break;
      }
      writer.write(next).catch(() => next.close());
    }
  } finally {
    engine?.close();
    await writer.close().catch(() => undefined);
  }
}
