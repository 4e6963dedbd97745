import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { aacWasm } from './scripts/aac-wasm';
import { chromaKeyWasm } from './scripts/chroma-wasm';
import { personSegmentation } from './scripts/person-segmentation';

// A fixed public key keeps the extension id stable (iafbeankfgjchmapklnlaibcjijghpnl) across
// machines, so the signaling server's origin allowlist and bookmarks to its pages keep working.
const EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1AagfbFZX8US3Xh3fh4J9uM58SwANsIrO652zx9T2xgUnCKujTGJ6ERUkoKvuKV0vRhQR2q58NtAZKm++pLLvd95jl3nnt87DIvtg5pdq4ylFb7BYAHhLVEx97VMD5wRCs5cOQWQzlrjdb7SV2Z7ZJ6RAKuCEeP+9icdsFkeaghoZS57A95qOfmqckkkQeWboDFSqwphX7QsxeOd2o3XRpfSNaB8yJT9shk/TwDVxu9rEpEcV9z1ZLKLFW5YNk8BzgYAGZUQe1bN3dRzlNDmkIPcYBKRK46QR1VJzj+9ISz69oe+7hKgCBK/ZkmT+J3bwRrV19c6/CzPdyjK/Q9wwIDAQAB';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Workers are ES modules: the AAC encoder's wasm module reads import.meta.
  vite: () => ({
    plugins: [preact(), aacWasm(), chromaKeyWasm(), personSegmentation()],
    worker: { format: 'es', plugins: () => [aacWasm(), chromaKeyWasm(), personSegmentation()] },
  }),
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    key: EXTENSION_KEY,
    minimum_chrome_version: '116',
    permissions: ['tabCapture', 'offscreen', 'storage', 'activeTab'],
    action: { default_title: '__MSG_actionTitle__' },
    // 'wasm-unsafe-eval' is for bundled wasm and nothing else: the AAC encoder (MP4 export), the
    // chroma key's SIMD path and the person segmentation behind a blurred background.
    content_security_policy: {
      extension_pages:
        "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
    // Chromium leaves some Alt+Shift keys unassigned (R, P, W, X among them): these two it takes.
    commands: {
      'toggle-recording': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: '__MSG_commandToggleRecording__',
      },
      'toggle-pause': {
        suggested_key: { default: 'Alt+Shift+K' },
        description: '__MSG_commandTogglePause__',
      },
    },
  },
});
