/** The chroma key's WebAssembly SIMD module (./simd/key.ts, AssemblyScript, compiled by scripts/chroma-wasm.ts). */
declare module 'virtual:chroma-key-wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
