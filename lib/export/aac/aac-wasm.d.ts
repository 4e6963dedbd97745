/** FFmpeg's AAC encoder as wasm, from @mediabunny/aac-encoder (made an ES module by scripts/aac-wasm.ts). */
declare module 'virtual:aac-wasm' {
  import type { AacWasmModule } from './core';
  const createAacModule: () => Promise<AacWasmModule>;
  export default createAacModule;
}
