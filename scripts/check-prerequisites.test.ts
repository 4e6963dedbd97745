import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['scripts/check-prerequisites.mjs'], { env, encoding: 'utf8' });

describe('the test prerequisites check', () => {
  it('names every missing program, its package and the one command that installs them, then stops', () => {
    const result = run({ PATH: '/nonexistent', CHROME_PATH: '/nonexistent/chromium' });
    expect(result.status).toBe(1);
    for (const name of ['chromium', 'ffmpeg', 'ffprobe', 'redis-server', 'turnserver (Debian package coturn']) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('apt-get install -y --no-install-recommends chromium ffmpeg redis-server coturn');
    expect(result.stderr).toContain('bash .ci/run');
  });

  it('says nothing when everything is there', () => {
    const result = run(process.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
