import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin } from 'vite';

/**
 * `virtual:chroma-key-wasm`: the chroma key's WebAssembly SIMD path
 * (lib/media/chroma/simd/key.ts, AssemblyScript), compiled here at build time and bundled as
 * bytes — nothing generated is kept in the repository. lib/media/chroma/key-wasm.ts runs it.
 */
const VIRTUAL_ID = 'virtual:chroma-key-wasm';
const RESOLVED_ID = '\0virtual:chroma-key-wasm';
export const CHROMA_KEY_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'media', 'chroma', 'simd', 'key.ts');

/** The compiled module: its own memory, no imports (no runtime, no allocator, no abort). */
export async function compileChromaKey(): Promise<Uint8Array> {
  const result = await asc.compileString(
    { 'key.ts': readFileSync(CHROMA_KEY_SOURCE, 'utf8') },
    { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', enable: ['simd', 'relaxed-simd'], noAssert: true, use: ['abort='] },
  );
  if (result.error || !result.binary) throw new Error(`${CHROMA_KEY_SOURCE} did not compile:\n${result.stderr.toString()}`);
  return result.binary;
}

/** The virtual module's source: the compiled bytes, inlined. */
export async function chromaKeyWasmModule(): Promise<string> {
  const base64 = Buffer.from(await compileChromaKey()).toString('base64');
  return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
}

export function chromaKeyWasm(): Plugin {
  return {
    name: 'chroma-key-wasm',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    async load(id) {
      if (id !== RESOLVED_ID) return null;
      this.addWatchFile(CHROMA_KEY_SOURCE);
      return chromaKeyWasmModule();
    },
  };
}

/** The same for esbuild (pages the chroma bench and the engines' end-to-end test build). */
export function chromaKeyWasmForEsbuild(): EsbuildPlugin {
  return {
    name: 'chroma-key-wasm',
    setup(build) {
      build.onResolve({ filter: /^virtual:chroma-key-wasm$/ }, () => ({ path: VIRTUAL_ID, namespace: 'chroma-key-wasm' }));
      build.onLoad({ filter: /.*/, namespace: 'chroma-key-wasm' }, async () => ({ contents: await chromaKeyWasmModule(), loader: 'js' }));
    },
  };
}
