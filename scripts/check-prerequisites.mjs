// Runs before `npm test`: the tests need Debian's chromium, ffmpeg, redis-server and coturn.
// Name every one that is missing and how to get them, and stop there — instead of failing
// deep inside a test with "spawn turnserver ENOENT".
import { accessSync, constants } from 'node:fs';
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

const missing = NEEDED.filter(([, , command]) => !onPath(command));
if (missing.length > 0) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  console.error(`The tests need programs this machine does not have:`);
  for (const [name, pkg, command] of missing) console.error(`  - ${name} (Debian package ${pkg}; looked for ${command})`);
  console.error(`\nInstall them with:\n  apt-get install -y --no-install-recommends ${packages.join(' ')}`);
  console.error(`or run \`bash .ci/run\`, which installs what is missing and then runs the tests.`);
  if (missing.some(([name]) => name === 'chromium')) console.error(`(A Chromium elsewhere can be named with CHROME_PATH.)`);
  process.exit(1);
}
