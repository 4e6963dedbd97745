import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * `virtual:aac-wasm`: FFmpeg's AAC encoder as wasm, the Emscripten module @mediabunny/aac-encoder
 * ships (MPL-2.0, used unchanged). The package exports only its own wrapper, and its module file
 * is CommonJS that uses `import.meta`, so it is loaded here as the ES module it really is.
 * lib/export/aac drives it.
 */
const VIRTUAL_ID = 'virtual:aac-wasm';
const RESOLVED_ID = '\0virtual:aac-wasm';

function moduleFile(): string {
  const entry = createRequire(import.meta.url).resolve('@mediabunny/aac-encoder');
  return path.join(path.dirname(entry), '..', 'modules', 'build', 'aac.js');
}

export function aacWasm(): Plugin {
  return {
    name: 'aac-wasm',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      const source = readFileSync(moduleFile(), 'utf8');
      const header = '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });';
      const footer = 'exports.default = Module;';
      if (!source.startsWith(header) || !source.trimEnd().endsWith(footer)) {
        throw new Error(`${moduleFile()} is not the Emscripten module this build expects: check @mediabunny/aac-encoder's version`);
      }
      return source.slice(header.length).replace(footer, 'export default Module;');
    },
  };
}
