// Runs before `npm test`: the tests need Debian's chromium, ffmpeg, redis-server and coturn, and
// the portrait the blurred-background test films. Name every one that is missing and how to get
// it, and stop there — instead of failing deep inside a test with "spawn turnserver ENOENT".
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';

/** [what the tests run, the Debian package that brings it, where it must be] */
const NEEDED = [
  ['chromium', 'chromium', chrome],
  ['ffmpeg', 'ffmpeg', 'ffmpeg'],
  ['ffprobe', 'ffmpeg', 'ffprobe'],
  ['redis-server', 'redis-server', 'redis-server'],
  ['turnserver', 'coturn', 'turnserver'],
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  if (command.includes('/')) return executable(command);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, command)));
}

/** Fetched once from Debian's archive by scripts/fetch-person-photo.sh (run from the repository's root). */
const PORTRAIT = 'tests/.artifacts/person-photo.png';

const missing = NEEDED.filter(([, , command]) => !onPath(command));
const portraitMissing = !existsSync(PORTRAIT);
if (portraitMissing) {
  console.error(`The blurred-background test films a portrait this machine does not have yet (${PORTRAIT}):`);
  console.error(`  bash scripts/fetch-person-photo.sh`);
  console.error(`takes it (a public-domain NASA portrait) from Debian's python3-skimage package.\n`);
}
if (missing.length > 0) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  console.error(`The tests need programs this machine does not have:`);
  for (const [name, pkg, command] of missing) console.error(`  - ${name} (Debian package ${pkg}; looked for ${command})`);
  console.error(`\nInstall them with:\n  apt-get install -y --no-install-recommends ${packages.join(' ')}`);
  console.error(`or run \`bash .ci/run\`, which installs what is missing and then runs the tests.`);
  if (missing.some(([name]) => name === 'chromium')) console.error(`(A Chromium elsewhere can be named with CHROME_PATH.)`);
}
if (missing.length > 0 || portraitMissing) process.exit(1);
