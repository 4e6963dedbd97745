import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin } from 'vite';

/**
 * `virtual:person-segmentation`: what finds a person in a camera picture (lib/media/blur/), from
 * @twilio/video-processors (BSD-3-Clause), used unchanged: TensorFlow Lite built as WebAssembly
 * SIMD with XNNPACK (Apache-2.0) and MediaPipe's landscape selfie-segmentation model
 * (Apache-2.0, 256×144). The Emscripten loader is a classic script: it is exported here as the
 * ES module it can be, with the wasm and the model as bytes, so nothing is fetched at run time.
 * It is imported dynamically, so only a blurred camera loads it.
 */
const VIRTUAL_ID = 'virtual:person-segmentation';
const RESOLVED_ID = '\0virtual:person-segmentation';
const LOADER_NAME = 'createTwilioTFLiteSIMDModule';

function buildDirectory(): string {
  const entry = createRequire(import.meta.url).resolve('@twilio/video-processors/package.json');
  return path.join(path.dirname(entry), 'dist', 'build');
}

const inlined = (file: string) => `Uint8Array.from(atob(${JSON.stringify(readFileSync(file).toString('base64'))}), (c) => c.charCodeAt(0))`;

export function personSegmentationModule(): string {
  const directory = buildDirectory();
  const loader = readFileSync(path.join(directory, 'tflite-simd-1-0-0.js'), 'utf8');
  if (!loader.includes(`var ${LOADER_NAME} = `)) {
    throw new Error(`${directory}/tflite-simd-1-0-0.js is not the loader this build expects: check @twilio/video-processors' version`);
  }
  return [
    loader,
    `export default ${LOADER_NAME};`,
    `export const wasm = ${inlined(path.join(directory, 'tflite-simd-1-0-0.wasm'))};`,
    `export const model = ${inlined(path.join(directory, 'selfie_segmentation_landscape.tflite'))};`,
  ].join('\n');
}

export function personSegmentation(): Plugin {
  return {
    name: 'person-segmentation',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    load: (id) => (id === RESOLVED_ID ? personSegmentationModule() : null),
  };
}

/** The same for esbuild (the chroma bench's page). */
export function personSegmentationForEsbuild(): EsbuildPlugin {
  return {
    name: 'person-segmentation',
    setup(build) {
      build.onResolve({ filter: /^virtual:person-segmentation$/ }, () => ({ path: VIRTUAL_ID, namespace: 'person-segmentation' }));
      build.onLoad({ filter: /.*/, namespace: 'person-segmentation' }, () => ({ contents: personSegmentationModule(), loader: 'js' }));
      // The loader's Node branch (never taken in a browser) requires these: left unbundled.
      build.onResolve({ filter: /^(fs|path)$/ }, (args) => (args.namespace === 'person-segmentation' ? { path: args.path, external: true } : null));
    },
  };
}
