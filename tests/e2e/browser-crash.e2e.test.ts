import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchStudio, sleep, type Studio } from './harness';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, hasIndex, probe } from './media';
import { startPageServer } from './page-server';
import { waitUntil } from './wait';
import { saveEvidenceOnFailure } from './session';

describe('the whole browser dying mid-recording', () => {
  const profile = mkdtempSync(path.join(tmpdir(), 'studio-crash-profile-'));
  let studio: Studio | null = null;
  saveEvidenceOnFailure(() => studio);
  afterAll(async () => {
    await studio?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('offers the recording in the Library at the next start, playable up to the last seconds', async () => {
    const pages = await startPageServer();
    try {
      studio = await launchStudio('none', { profileDir: profile });
      const page = await studio.openPage(pages.url('animated.html'));
      const popup = await studio.openPopup(page);
      await popup.click('[data-action="record-tab"]');
      const started = await studio.waitForState('the recording to start', (s) => s.status === 'recording');
      await sleep(4000);
      const recordedBeforeCrash = (Date.now() - started.activeSince!) / 1000;
      studio.browser.process()!.kill('SIGKILL');
      await new Promise((resolve) => studio!.browser.process()!.once('exit', resolve));
      studio = null;

      studio = await launchStudio('none', { profileDir: profile });
      // Loaded from the command line, the extension counts as newly installed and opens its
      // Library, which rebuilds the recording at once.
      const library = await studio.waitForPage('the Library opened on install', (u) => u.startsWith(studio!.url('library.html')));
      await library.waitForSelector('.card .badge', { timeout: 30_000 });
      await waitUntil(library, 'the recovered notice', () => [...document.querySelectorAll('.notice-message')].some((e) => e.textContent?.includes('Recovered 1 recording')));
      const id = await library.$eval('.card', (e) => e.getAttribute('data-recording-id'));
      const { file } = await downloadFromLibrary(studio, id!);
      const info = probe(file);
      expect(info.duration).toBeGreaterThanOrEqual(recordedBeforeCrash - 2);
      expect(info.duration).toBeLessThanOrEqual(recordedBeforeCrash + 0.5);
      expect(info.audio).not.toBeNull();
      expect(hasIndex(file)).toBe(true);
      expect(decodeErrors(file)).toBe('');
    } finally {
      await pages.close();
    }
  });
});
