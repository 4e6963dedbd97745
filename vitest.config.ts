import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { aacWasm } from './scripts/aac-wasm';
import { chromaKeyWasm } from './scripts/chroma-wasm';
import { personSegmentation } from './scripts/person-segmentation';

// Unit tests: lib/ logic with WXT's fake browser and a fake IndexedDB.
export default defineConfig({
  plugins: [WxtVitest(), aacWasm(), chromaKeyWasm(), personSegmentation()],
  test: {
    include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    // The chroma key's wasm uses relaxed SIMD (fused multiply-add): on by default in Chrome 114+,
    // behind a flag in Node 20's V8.
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
