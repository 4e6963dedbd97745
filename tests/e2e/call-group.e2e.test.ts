import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../server/testing';
import type { SignalingServer } from '../../server/signaling-server';
import { FIXTURES } from './fixtures';
import { launchStudio, type Studio } from './harness';
import { saveEvidenceOnFailure } from './session';
import { waitUntil } from './wait';

/**
 * Four people in one room: a mesh, each browser connected to the three others, each with a
 * camera of its own colour; a fifth is turned away by the call page.
 */
const PEOPLE = [
  { name: 'Red', camera: FIXTURES.redCamera, rgb: [255, 0, 0] },
  { name: 'Blue', camera: FIXTURES.blueCamera, rgb: [0, 0, 255] },
  { name: 'Yellow', camera: FIXTURES.yellowCamera, rgb: [255, 255, 0] },
  { name: 'Magenta', camera: FIXTURES.magentaCamera, rgb: [255, 0, 255] },
] as const;

/** The colour in the middle of each remote video on the page, by the name on its tile. */
function remoteColours(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    for (const tile of document.querySelectorAll('[data-testid="remote-tile"]')) {
      const video = tile.querySelector('video')!;
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(video, 0, 0);
      seen[tile.querySelector('.person-name')!.textContent!] = [...context.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data].slice(0, 3);
    }
    return seen;
  });
}

describe('a call of four', () => {
  let server: SignalingServer & { url: string };
  const browsers: Studio[] = [];
  const pages: Page[] = [];
  const room = `group-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = await startTestServer({ maxPeersPerRoom: 8 });
    browsers.push(...(await Promise.all(PEOPLE.map((person) => launchStudio('devices', { cameraClip: person.camera, microphoneClip: FIXTURES.voiceAudio })))));
  }, 120_000);
  for (let i = 0; i < PEOPLE.length; i++) saveEvidenceOnFailure(() => browsers[i]);
  afterAll(async () => {
    await Promise.all(browsers.map((studio) => studio.close()));
    await server?.close();
  });

  it('connects everyone to everyone: each sees the three others, in a grid', async () => {
    for (const [i, person] of PEOPLE.entries()) {
      const page = await browsers[i]!.openPage(browsers[i]!.url(`call.html?room=${room}`));
      await page.evaluate(async (url, name) => chrome.storage.local.set({ settings: { call: { signalingUrl: url, displayName: name } } }), server.url, person.name);
      await page.reload();
      await waitUntil(page, 'the camera preview', () => (document.querySelector<HTMLVideoElement>('[data-testid="local-preview"]')?.videoWidth ?? 0) > 0, undefined, 15_000);
      await page.click('[data-action="join"]');
      await waitUntil(page, 'being in the room', () => document.querySelector('[data-testid="signaling-state"]')?.className.includes('signaling-joined'));
      pages.push(page);
    }
    for (const [i, page] of pages.entries()) {
      await waitUntil(
        page,
        'three remote pictures',
        () => [...document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-video"]')].filter((v) => v.videoWidth > 0).length === 3,
        undefined,
        30_000,
      );
      expect(await page.$eval('.grid', (grid) => grid.className)).toContain('grid-4');
      const seen = await remoteColours(page);
      const others = PEOPLE.filter((_, j) => j !== i);
      expect(Object.keys(seen).sort()).toEqual(others.map((p) => p.name).sort());
      for (const other of others) {
        const [r, g, b] = seen[other.name]!;
        expect([r! > 128, g! > 128, b! > 128], `${PEOPLE[i]!.name} sees ${other.name} as rgb(${seen[other.name]})`).toEqual(other.rgb.map((c) => c > 128));
      }
    }
  });

  it('does not let a fifth person in, even where the server would, and says so', async () => {
    // The server allows 8 to a room here; the call page holds a mesh of four at most.
    const fifth = await browsers[0]!.openPage(browsers[0]!.url(`call.html?room=${room}`));
    await waitUntil(fifth, 'the lobby', () => document.querySelector('[data-action="join"]:not([disabled])'), undefined, 15_000);
    await fifth.click('[data-action="join"]');
    await waitUntil(fifth, 'the room-full notice', () => document.querySelector('.notice-error')?.textContent?.includes('This room is full'));
    await fifth.close();
    await pages[0]!.bringToFront();
    // The others saw the fifth come and go (the server told them), and are back to three.
    for (const page of pages) await waitUntil(page, 'the fifth person to be gone', () => document.querySelectorAll('[data-testid="remote-tile"]').length === 3);
  });

  it('keeps the others connected when one hangs up', async () => {
    await pages[3]!.click('[data-action="hang-up"]');
    for (const page of pages.slice(0, 3)) {
      await waitUntil(page, 'Magenta to leave', () => document.querySelectorAll('[data-testid="remote-tile"]').length === 2);
      expect(Object.keys(await remoteColours(page))).not.toContain('Magenta');
    }
  });
});
