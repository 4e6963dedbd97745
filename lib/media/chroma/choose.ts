import { jsKeyEngine, wasmKeyEngine, type Behind, type KeyEngine, type KeyEngineName } from './engines';
import { glKeyEngine, webgl2Device } from './gl';
import type { ChromaKeySettings } from './key';
import { simdKeyAvailable } from './key-simd';

/** Which engine keys: the fastest measured here, or one chosen by hand (Options). */
export type KeyEnginePreference = 'auto' | KeyEngineName;

/** The engine chosen, and each candidate's measured cost (ms a frame) on the camera's own frame. */
export interface EngineChoice {
  engine: KeyEngine;
  measured: Partial<Record<KeyEngineName, number>>;
  /** 'auto' left WebGL2 out: here it is a rasteriser on the processor, which cannot beat SIMD on the same cores. */
  gpuSkipped: boolean;
}

/** Keyings of the same frame timed per candidate; the first (compiling shaders, warming code) is not counted. */
const TIMED_RUNS = 3;

async function timePerFrame(engine: KeyEngine, frame: VideoFrame, settings: ChromaKeySettings, behind: Behind): Promise<number> {
  (await engine.key(frame, settings, behind)).close();
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const start = performance.now();
    (await engine.key(frame, settings, behind)).close();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(TIMED_RUNS / 2)]!;
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
 * An engine asked for by hand that cannot run here, or cannot key these frames, falls back the same way.
 */
export async function chooseKeyEngine(preference: KeyEnginePreference, frame: VideoFrame, settings: ChromaKeySettings, behind: Behind): Promise<EngineChoice> {
  if (preference !== 'auto') {
    const engine = await open(preference);
    if (engine) {
      try {
        return { engine, measured: { [engine.name]: await timePerFrame(engine, frame, settings, behind) }, gpuSkipped: false };
      } catch {
        engine.close(); // it cannot key this camera's frames (the SIMD engine: too wide)
      }
    }
  }
  const gpuSkipped = webgl2Device() === 'software';
  const measured: EngineChoice['measured'] = {};
  let best: KeyEngine | null = null;
  for (const name of gpuSkipped ? (['wasm'] as const) : (['gpu', 'wasm'] as const)) {
    const engine = await open(name);
    if (!engine) continue;
    try {
      measured[name] = await timePerFrame(engine, frame, settings, behind);
    } catch {
      engine.close();
      continue;
    }
    if (!best || measured[name]! < measured[best.name]!) {
      best?.close();
      best = engine;
    } else {
      engine.close();
    }
  }
  if (best) return { engine: best, measured, gpuSkipped };
  const fallback = jsKeyEngine();
  return { engine: fallback, measured: { js: await timePerFrame(fallback, frame, settings, behind) }, gpuSkipped };
}
