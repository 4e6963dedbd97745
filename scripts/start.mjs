// `npm start`: builds the extension and opens it in Chromium with a fresh profile.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const extension = path.join(root, '.output', 'chrome-mv3');
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
const EXTENSION_ID = 'iafbeankfgjchmapklnlaibcjijghpnl';

const build = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const howToLoad = `Load it into Chrome yourself: open chrome://extensions, switch on "Developer mode",
click "Load unpacked" and choose:
  ${extension}`;

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log(`\nBuilt the extension. There is no display here, so no browser was opened.\n${howToLoad}\n`);
  process.exit(0);
}
if (!existsSync(chrome)) {
  console.log(`\nBuilt the extension, but found no Chromium at ${chrome} (set CHROME_PATH).\n${howToLoad}\n`);
  process.exit(0);
}

const profile = mkdtempSync(path.join(tmpdir(), 'webrtc-studio-profile-'));
console.log(`\nOpening Chromium with WebRTC Studio (fresh profile in ${profile}).`);
console.log('Click the extension icon in the toolbar (pin it from the puzzle-piece menu) to record.\n');
const browser = spawn(
  chrome,
  [
    `--user-data-dir=${profile}`,
    `--load-extension=${extension}`,
    `--disable-extensions-except=${extension}`,
    '--no-first-run',
    '--no-default-browser-check',
    `chrome-extension://${EXTENSION_ID}/library.html`,
  ],
  { stdio: 'inherit' },
);
browser.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => browser.kill(signal));
