// `npm start`: builds the extension, starts the local signaling server, and opens Chromium with
// the extension in a fresh profile.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const extension = path.join(root, '.output', 'chrome-mv3');
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
const port = process.env.PORT || '8787';

const build = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [];
/** Folders made for this run (the browser profile), removed on the way out. */
const temporary = [];
const stopAll = async (code) => {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  for (const child of running) child.kill('SIGTERM');
  // Let Chromium let go of its profile before the profile is removed.
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  process.exit(code);
};
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll(0));

for (const script of ['scripts/build-server.mjs', 'scripts/build-guest.mjs']) {
  const built = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, '.output/server/index.mjs'], { cwd: root, stdio: 'inherit', env: { ...process.env, PORT: port } });
children.push(server);
server.on('exit', (code) => {
  if (code) console.error(`The signaling server stopped (exit ${code}); see its message above.`);
});
console.log(`\nSignaling server: ws://127.0.0.1:${port}/ws (health: http://127.0.0.1:${port}/healthz; guests join calls at http://127.0.0.1:${port}/r/<room>)`);

const howToLoad = `Load the extension into Chrome yourself: open chrome://extensions, switch on "Developer mode",
click "Load unpacked" and choose:
  ${extension}`;

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log(`\nBuilt the extension. There is no display here, so no browser was opened.\n${howToLoad}\n\nCtrl+C stops the signaling server.\n`);
} else if (!existsSync(chrome)) {
  console.log(`\nBuilt the extension, but found no Chromium at ${chrome} (set CHROME_PATH).\n${howToLoad}\n\nCtrl+C stops the signaling server.\n`);
} else {
  const profile = mkdtempSync(path.join(tmpdir(), 'webrtc-studio-profile-'));
  temporary.push(profile);
  console.log(`Opening Chromium with WebRTC Studio (fresh profile in ${profile}, removed when it closes).`);
  console.log('The extension opens its Library; click its icon in the toolbar (pin it from the puzzle-piece menu) to record.\n');
  const browser = spawn(
    chrome,
    [
      `--user-data-dir=${profile}`,
      `--load-extension=${extension}`,
      `--disable-extensions-except=${extension}`,
      '--no-first-run',
      '--no-default-browser-check',
      // Chromium refuses to run as root with its sandbox on (containers, CI boxes).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
    { stdio: 'inherit' },
  );
  children.push(browser);
  // The profile is removed once Chromium has let go of it.
  browser.on('exit', () => void stopAll(0));
}
