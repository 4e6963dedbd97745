import { jsKeyEngine, wasmKeyEngine, type Behind, type KeyEngine, type KeyEngineName } from './engines';
import { glKeyEngine, webgl2Device } from './gl';
import type { ChromaKeySettings } from './key';
import { simdKeyAvailable } from './key-simd';

/** Which engine keys: the fastest measured here, or one chosen by hand (Options). */
export type KeyEnginePreference = 'auto' | KeyEngineName;

/**
 * The engine chosen, and each candidate's measured cost (ms a frame) on the camera's own frame
 * when there was a choice to make; with one candidate nothing is timed (the keyer measures it on
 * the frames it keys), so the first keyed frame is not held back.
 */
export interface EngineChoice {
  engine: KeyEngine;
  measured: Partial<Record<KeyEngineName, number>>;
  /** 'auto' left WebGL2 out: here it is a rasteriser on the processor, which cannot beat SIMD on the same cores. */
  gpuSkipped: boolean;
  /** The frame the choice was made on, keyed by the engine chosen: the caller's first output. */
  keyed: VideoFrame;
}

/** Keyings of the same frame timed per candidate; the first (compiling shaders, warming code) is not counted. */
const TIMED_RUNS = 3;

/** The median of a few timings, ms. */
export function medianMs(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** The engine's cost on this frame, and the frame keyed (the last run's). */
async function timePerFrame(engine: KeyEngine, frame: VideoFrame, settings: ChromaKeySettings, behind: Behind): Promise<{ ms: number; keyed: VideoFrame }> {
  let keyed = await engine.key(frame, settings, behind);
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    keyed.close();
    const start = performance.now();
    keyed = await engine.key(frame, settings, behind);
    times.push(performance.now() - start);
  }
  return { ms: medianMs(times), keyed };
}

async function open(name: KeyEngineName): Promise<KeyEngine | null> {
  try {
    if (name === 'gpu') return webgl2Device() !== 'none' ? glKeyEngine() : null;
    if (name === 'wasm') return simdKeyAvailable() ? await wasmKeyEngine() : null;
    return jsKeyEngine();
  } catch {
    return null;
  }
}

/** Every engine this browser runs, JS first (the bench and the engines' test compare them). */
export async function openEngines(): Promise<KeyEngine[]> {
  const engines: KeyEngine[] = [];
  for (const name of ['js', 'wasm', 'gpu'] as const) {
    const engine = await open(name);
    if (engine) engines.push(engine);
  }
  return engines;
}

/**
 * The engine to key with. 'auto' times the GPU and the SIMD engine on this frame and keeps the
 * faster — unless WebGL2 is a rasteriser in software: on the same cores as the SIMD engine it
 * always loses (30× here), and timing it would hold the camera's picture for a second or more
 * at 1080p. Plain JS is the fallback where neither runs (it is never the faster of the three).
 * An engine asked for by hand that cannot run here, or cannot key these frames, falls back the
 * same way. A lone candidate keys the frame once and is not timed.
 */
export async function chooseKeyEngine(preference: KeyEnginePreference, frame: VideoFrame, settings: ChromaKeySettings, behind: Behind): Promise<EngineChoice> {
  /** The engine with this frame keyed, or null (and the engine let go) where it cannot key it (the SIMD engine: too wide). */
  const keyedBy = async (engine: KeyEngine | null): Promise<{ engine: KeyEngine; keyed: VideoFrame } | null> => {
    try {
      return engine && { engine, keyed: await engine.key(frame, settings, behind) };
    } catch {
      engine?.close();
      return null;
    }
  };
  if (preference !== 'auto') {
    const chosen = await keyedBy(await open(preference));
    if (chosen) return { ...chosen, measured: {}, gpuSkipped: false };
  }
  const gpuSkipped = webgl2Device() === 'software';
  const candidates: KeyEngine[] = [];
  for (const name of gpuSkipped ? (['wasm'] as const) : (['gpu', 'wasm'] as const)) {
    const engine = await open(name);
    if (engine) candidates.push(engine);
  }
  const measured: EngineChoice['measured'] = {};
  let best: { engine: KeyEngine; keyed: VideoFrame } | null = null;
  if (candidates.length === 1) best = await keyedBy(candidates[0]!);
  else {
    for (const engine of candidates) {
      try {
        const { ms, keyed } = await timePerFrame(engine, frame, settings, behind);
        measured[engine.name] = ms;
        if (!best || ms < measured[best.engine.name]!) {
          best?.engine.close();
          best?.keyed.close();
          best = { engine, keyed };
        } else {
          engine.close();
          keyed.close();
        }
      } catch {
        engine.close();
      }
    }
  }
  return { ...(best ?? (await keyedBy(jsKeyEngine()))!), measured, gpuSkipped };
}
