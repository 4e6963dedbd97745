import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('scripts/check-prerequisites.mjs');
const run = (env: NodeJS.ProcessEnv, cwd = process.cwd()) => spawnSync(process.execPath, [SCRIPT], { env, cwd, encoding: 'utf8' });

describe('the test prerequisites check', () => {
  it('names every missing program, its package and the one command that installs them, then stops', () => {
    const result = run({ PATH: '/nonexistent', CHROME_PATH: '/nonexistent/chromium' });
    expect(result.status).toBe(1);
    for (const name of ['chromium', 'ffmpeg', 'ffprobe', 'redis-server', 'turnserver (Debian package coturn']) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('apt-get install -y --no-install-recommends chromium ffmpeg redis-server coturn');
    expect(result.stderr).toContain('bash .ci/run');
  });

  it('names the missing portrait of the blur test and the script that fetches it, then stops', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'no-portrait-'));
    try {
      const result = run(process.env, elsewhere);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('tests/.artifacts/person-photo.png');
      expect(result.stderr).toContain('bash scripts/fetch-person-photo.sh');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('says nothing when everything is there', () => {
    const result = run(process.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
