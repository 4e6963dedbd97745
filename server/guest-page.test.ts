import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUEST_CSP } from './guest-page';
import type { SignalingServer } from './signaling-server';
import { startTestServer } from './testing';

describe('the guest page', () => {
  let server: SignalingServer & { url: string };
  let base = '';
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guest-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><p>guest</p>');
    writeFileSync(path.join(dir, 'guest.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'not served');
    server = await startTestServer({ guestDir: dir });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it('serves the call page for a room, with its own CSP', async () => {
    const response = await fetch(`${base}/r/team-standup_1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toBe(GUEST_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('guest');
    const script = await fetch(`${base}/guest/guest.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('serves nothing else: bad room names, other files, paths out of its folder', async () => {
    for (const url of ['/r/bad%20room', '/r/a/b', '/r/' + 'x'.repeat(65), '/guest/secret.txt', '/guest/..%2Fconfig.ts', '/guest/../server/config.ts', '/r/%E0%A4%A']) {
      expect((await fetch(base + url)).status, url).toBe(404);
    }
    expect((await fetch(`${base}/r/room`, { method: 'POST' })).status).toBe(404);
  });

  it('says so when the page is not built', async () => {
    const bare = await startTestServer({ guestDir: path.join(tmpdir(), 'no-such-guest-dir') });
    try {
      const response = await fetch(`http://127.0.0.1:${bare.port}/r/room`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('npm run build:guest');
    } finally {
      await bare.close();
    }
  });
});
