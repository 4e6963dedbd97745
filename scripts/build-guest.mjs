// Builds the guest call page — the extension's call component as a plain web page, which the
// signaling server serves at /r/<room> — into .output/guest/ (index.html, guest.js, guest.css).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const GUEST_DIR = path.join(root, '.output', 'guest');

mkdirSync(GUEST_DIR, { recursive: true });
await build({
  entryPoints: { guest: path.join(root, 'server', 'guest', 'main.tsx') },
  outdir: GUEST_DIR,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync(path.join(root, 'server', 'guest', 'index.html'), path.join(GUEST_DIR, 'index.html'));
