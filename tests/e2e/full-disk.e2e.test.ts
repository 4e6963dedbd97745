import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchStudio, sleep, type Studio } from './harness';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, probe } from './media';
import { startPageServer } from './page-server';
import { waitUntil } from './wait';
import { saveEvidenceOnFailure } from './session';

/**
 * A real full disk: the browser profile lives on a small tmpfs that the test fills up while a
 * recording runs. (Chromium's quota estimate does not follow free disk space, and CDP's quota
 * override does not apply to extensions, so only a real disk shows what happens.)
 */
describe('a disk that fills up mid-recording', () => {
  const disk = mkdtempSync(path.join(tmpdir(), 'studio-small-disk-'));
  const filler = path.join(disk, 'filler');
  let studio: Studio;
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  saveEvidenceOnFailure(() => studio);

  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400m', 'tmpfs', disk]);
    mkdirSync(path.join(disk, 'profile'));
    pages = await startPageServer();
    studio = await launchStudio('none', { profileDir: path.join(disk, 'profile') });
  });
  afterAll(async () => {
    await studio?.close();
    await pages?.close();
    execFileSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  it('stops the recording, says why, and gives everything back once there is room', async () => {
    const page = await studio.openPage(pages.url('animated.html'));
    const popup = await studio.openPopup(page);
    await popup.click('[data-action="record-tab"]');
    await studio.waitForState('the recording to start', (s) => s.status === 'recording');
    await sleep(3000);
    // dd writes until the disk is full, then fails: that is the point.
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M'], { stdio: 'ignore' });
    } catch {
      // disk full
    }
    const stopped = await studio.waitForState('the recording to stop', (s) => s.status === 'idle', 20_000);
    expect(stopped.error?.code).toMatch(/^storage-(full|write-failed)$/);
    const again = await studio.openPopup(page);
    expect(await again.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/Nothing recorded until then is lost/);
    // No room to finish it yet: the chunks wait on disk, and the popup says so.
    await waitUntil(again, 'the unfinished-recording notice', () => document.body.textContent?.includes('An unfinished recording was found'));

    rmSync(filler);
    const library = await studio.openPage(studio.url('library.html'));
    await library.waitForSelector('.card', { timeout: 30_000 });
    // The Library, where the user ends up, explains what happened too.
    expect(await library.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/Nothing recorded until then is lost/);
    const id = await library.$eval('.card', (e) => e.getAttribute('data-recording-id'));
    const { file } = await downloadFromLibrary(studio, id!);
    const info = probe(file);
    expect(info.duration).toBeGreaterThanOrEqual(1.5);
    expect(info.video).not.toBeNull();
    expect(decodeErrors(file)).toBe('');
    await library.close();
    await page.close();
  });
});
