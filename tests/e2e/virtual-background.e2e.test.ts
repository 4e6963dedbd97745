import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../server/testing';
import type { SignalingServer } from '../../server/signaling-server';
import { descriptionsSent, join, openCallPage, remoteColour, waitForRemoteVideo, waitUntilColour } from './call-helpers';
import { FIXTURES } from './fixtures';
import { launchStudio, type Studio } from './harness';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, pixelAt } from './media';
import { saveEvidenceOnFailure, startTabRecording, stopFromPopup, useStudio } from './session';
import { expectColourNear, openStudio, previewColours, savedPicture, showUnmirrored, snap, type Rgb } from './studio-helpers';
import { waitUntil } from './wait';

/** Points of the green-screen clip (640×360): the screen's bright and dark sides, the face, the shirt. */
const SCREEN_BRIGHT: [number, number] = [30, 30];
const SCREEN_DARK: [number, number] = [610, 30];
const FACE: [number, number] = [320, 125];
const SHIRT: [number, number] = [320, 300];
const MAGENTA: Rgb = [255, 0, 255];

/** Waits (up to 10 s) until the preview shows, at a point of the clip, a colour `matches` accepts. */
async function waitUntilPreview(page: Page, what: string, at: [number, number], matches: (rgb: Rgb) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: Rgb = [0, 0, 0];
  while (Date.now() < deadline) {
    [last] = await previewColours(page, [at]);
    if (matches(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`waited 10 s for ${what} in the preview; at ${at} it stayed rgb(${last.join(', ')})`);
}

describe('the virtual background in the camera Studio', () => {
  const session = useStudio('devices', { cameraClip: FIXTURES.greenScreenVideo, windowSize: { width: 1200, height: 900 } });

  it('finds the green screen by itself and replaces it live with a colour, a picture that comes with it or the person\'s own, in the preview and in snapshots, and remembers it', async () => {
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    // Not mirrored, so the screen's lit side is where the clip has it.
    await showUnmirrored(page);
    const before = await previewColours(page, [SCREEN_BRIGHT, FACE]);
    expect(before[0]![1], 'the screen is green before').toBeGreaterThan(150);

    // A background colour, then on: no slider touched.
    await page.$eval('input[data-setting="background-colour"]', (input) => {
      (input as HTMLInputElement).value = '#ff00ff';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('input[data-setting="background"]');
    await waitUntil(page, 'the screen to be found', () => document.querySelector('[data-testid="key-found"]')?.getAttribute('data-key-color'));
    const keyColor = await page.$eval('[data-testid="key-found"]', (p) => p.getAttribute('data-key-color')!);
    // The screen's colour at its brightest (the clip's is #28c83c, darkened to the right).
    const rgb = [1, 3, 5].map((i) => parseInt(keyColor.slice(i, i + 2), 16));
    expect(rgb[1]).toBeGreaterThan(rgb[0]! + 100);
    expect(rgb[1]).toBeGreaterThan(rgb[2]! + 80);

    await waitUntil(page, 'the preview to show the keyed picture', () => {
      const video = document.querySelector('video[data-testid="preview"]') as HTMLVideoElement;
      return (video.srcObject as MediaStream | null)?.getVideoTracks()[0]?.kind === 'video' && video.readyState >= 2 && !video.paused && video.currentTime > 0.2;
    });
    const shown = await previewColours(page, [SCREEN_BRIGHT, SCREEN_DARK, FACE, SHIRT]);
    expectColourNear(shown[0]!, MAGENTA, 12, 'the screen, lit');
    expectColourNear(shown[1]!, MAGENTA, 12, 'the screen, in shadow');
    expectColourNear(shown[2]!, [224, 172, 140], 20, 'the face');
    expectColourNear(shown[3]!, [40, 80, 40], 20, 'the dark green shirt');

    // A snapshot is what the preview shows.
    const photo = await savedPicture(page, await snap(page), [SCREEN_BRIGHT, SCREEN_DARK, FACE, SHIRT]);
    expectColourNear(photo.colours[0]!, MAGENTA, 12, 'snapshot: the screen');
    expectColourNear(photo.colours[1]!, MAGENTA, 12, 'snapshot: the screen in shadow');
    expectColourNear(photo.colours[2]!, [224, 172, 140], 20, 'snapshot: the face');
    expectColourNear(photo.colours[3]!, [40, 80, 40], 20, 'snapshot: the shirt');

    // A picture behind instead: the sky that comes with the product (its top is #8ec5ff)...
    await page.select('select[data-setting="backdrop"]', 'sky');
    await waitUntilPreview(page, 'the sky behind', SCREEN_BRIGHT, ([r, g, b]) => Math.abs(r - 142) < 30 && Math.abs(g - 197) < 30 && b > 220);
    // ...or nothing: the preview shows a checkerboard through the screen, and a snapshot keeps
    // it see-through (alpha 0) around the person, who stays opaque.
    await page.select('select[data-setting="backdrop"]', 'transparent');
    await waitUntil(page, 'the see-through preview', () => document.querySelector('.preview.see-through'));
    await waitUntilPreview(page, 'the checkerboard behind', SCREEN_BRIGHT, ([r, g, b]) => r > 200 && g > 200 && b > 200);
    const seeThrough = await savedPicture(page, await snap(page), [SCREEN_BRIGHT, SCREEN_DARK, FACE, SHIRT]);
    expect(seeThrough.alphas.slice(0, 2), 'snapshot: the screen, see-through').toEqual([0, 0]);
    expect(seeThrough.alphas.slice(2), 'snapshot: the face and the shirt, opaque').toEqual([255, 255]);
    expectColourNear(seeThrough.colours[2]!, [224, 172, 140], 20, 'snapshot: the face');
    // ...or the person's own: a file that is no picture is refused and said so; a red one shows.
    await page.select('select[data-setting="backdrop"]', 'own');
    const input = (await page.waitForSelector('input[data-setting="own-picture"]'))!;
    const dir = mkdtempSync(path.join(tmpdir(), 'own-picture-'));
    writeFileSync(path.join(dir, 'notes.png'), 'not a picture');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x180', '-frames:v', '1', path.join(dir, 'red.png')]);
    await (input as ElementHandle<HTMLInputElement>).uploadFile(path.join(dir, 'notes.png'));
    await waitUntil(page, 'the refusal', () => document.querySelector('[data-testid="virtual-background"] [role="alert"]')?.textContent?.includes('notes.png'));
    await (input as ElementHandle<HTMLInputElement>).uploadFile(path.join(dir, 'red.png'));
    await waitUntilPreview(page, 'the own picture behind', SCREEN_DARK, ([r, g, b]) => r > 220 && g < 40 && b < 40);
    rmSync(dir, { recursive: true, force: true });

    // Remembered: the Studio opens with it on.
    await page.reload();
    await openStudio(page);
    expect(await page.$eval('input[data-setting="background"]', (input) => (input as HTMLInputElement).checked)).toBe(true);
    await waitUntil(page, 'the screen to be found again', () => document.querySelector('[data-testid="key-found"]')?.getAttribute('data-key-color'));
    await page.close();
  });
  it('is set in Options too: switched off there, the Studio opens without it', async () => {
    const options = await session.studio.openPage(session.studio.url('options.html'));
    await options.waitForSelector('[data-section="background"] input[data-setting="background"]');
    expect(await options.$eval('[data-section="background"] input[data-setting="background"]', (input) => (input as HTMLInputElement).checked)).toBe(true);
    expect(await options.$eval('[data-section="background"] select[data-setting="backdrop"]', (select) => (select as HTMLSelectElement).value)).toBe('own');
    expect(await options.$eval('[data-testid="key-source"]', (hint) => hint.textContent)).toBe('Found from the picture each time the camera starts.');
    await options.click('[data-section="background"] input[data-setting="background"]');
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await waitUntil(page, 'the switch to be off', () => (document.querySelector('input[data-setting="background"]') as HTMLInputElement | null)?.checked === false);
    expect(await page.$('[data-testid="key-found"]')).toBeNull();
    await page.close();
    await options.close();
  });
  it('says which engine keys and takes one chosen in Options; a preset picks which screen, the eyedropper its colour', async () => {
    const options = await session.studio.openPage(session.studio.url('options.html'));
    await options.waitForSelector('[data-section="background"] select[data-setting="key-engine"]');
    expect(await options.$eval('[data-section="background"] select[data-setting="key-engine"]', (select) => (select as HTMLSelectElement).value)).toBe('auto');
    await options.select('[data-section="background"] select[data-setting="key-engine"]', 'js');
    await options.select('[data-section="background"] select[data-setting="backdrop"]', 'colour');
    await options.waitForSelector('[data-section="background"] input[data-setting="background-colour"]');
    await options.$eval('[data-section="background"] input[data-setting="background-colour"]', (input) => {
      (input as HTMLInputElement).value = '#ff00ff';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    if (!(await options.$eval('[data-section="background"] input[data-setting="background"]', (input) => (input as HTMLInputElement).checked))) {
      await options.click('[data-section="background"] input[data-setting="background"]');
    }
    const page = await session.studio.openPage(session.studio.url('studio.html'));
    await openStudio(page);
    await showUnmirrored(page);
    await waitUntil(page, 'the plain JS engine to key', () => document.querySelector('[data-testid="key-engine"]')?.getAttribute('data-engine') === 'js');
    await waitUntilPreview(page, 'the screen keyed by plain JS', SCREEN_BRIGHT, (rgb) => rgb.every((v, c) => Math.abs(v - MAGENTA[c]!) <= 12));

    // Back to the fastest, measured again on the camera's picture: WebGL2 here is a software
    // rasteriser, so the SIMD engine keys without the GPU being timed, and the panel says why.
    await options.select('[data-section="background"] select[data-setting="key-engine"]', 'auto');
    await waitUntil(page, 'the engine to be chosen again', () => document.querySelector('[data-testid="key-engine"]')?.getAttribute('data-engine') === 'wasm');
    // The only candidate is not timed when chosen: its cost comes from the frames it keys.
    await waitUntil(page, "the SIMD engine's cost, measured on the frames it keys", () => 'wasm' in JSON.parse(document.querySelector('[data-testid="key-engine"]')?.getAttribute('data-measured') ?? '{}'));
    const line = await page.$eval('[data-testid="key-engine"]', (p) => ({ measured: JSON.parse(p.getAttribute('data-measured')!) as Record<string, number>, text: p.textContent }));
    expect(Object.keys(line.measured)).toEqual(['wasm']);
    expect(line.text).toMatch(/^Keyed by the processor \(WebAssembly SIMD\): \d+\.\d ms a frame; the graphics card here is emulated on the processor, so it is not used\.$/);
    await options.close();

    // A blue-screen preset over a green screen finds none: the picture shows as it is.
    await page.click('button[data-action="preset-blue"]');
    await waitUntil(page, 'no blue screen to be found', () => document.querySelector('[data-testid="key-found"]')?.getAttribute('data-key-color') === '');
    await waitUntilPreview(page, 'the green screen back, unkeyed', SCREEN_BRIGHT, ([r, g]) => g > 150 && r < 100);
    await page.click('button[data-action="preset-green"]');
    await waitUntilPreview(page, 'the green screen keyed again', SCREEN_BRIGHT, (rgb) => rgb.every((v, c) => Math.abs(v - MAGENTA[c]!) <= 12));

    // The eyedropper: armed, a click on the screen in the picture sets its colour by hand.
    await page.click('button[data-action="eyedropper"]');
    await page.waitForSelector('[data-testid="eyedropper-hint"]');
    const at = await page.$eval(
      'video[data-testid="preview"]',
      (element, [x, y]) => {
        const video = element as HTMLVideoElement;
        video.scrollIntoView({ block: 'center' });
        const box = video.getBoundingClientRect();
        const scale = Math.min(box.width / video.videoWidth, box.height / video.videoHeight);
        return { x: box.left + (box.width - video.videoWidth * scale) / 2 + x! * scale, y: box.top + (box.height - video.videoHeight * scale) / 2 + y! * scale };
      },
      SCREEN_BRIGHT,
    );
    await page.mouse.click(at.x, at.y);
    await waitUntil(page, 'the colour set by hand', () => document.querySelector('[data-testid="key-found"]')?.textContent?.includes('set by hand'));
    expect(await page.$('[data-testid="eyedropper-hint"]')).toBeNull();
    const picked = await page.$eval('[data-testid="key-found"]', (p) => p.getAttribute('data-key-color')!);
    // The clip's screen is #28c83c where it is lit (±the clip's noise and the encoder's).
    expectColourNear([1, 3, 5].map((i) => parseInt(picked.slice(i, i + 2), 16)) as Rgb, [40, 200, 60], 24, 'the picked colour');
    await waitUntilPreview(page, 'the screen keyed with the picked colour', SCREEN_DARK, (rgb) => rgb.every((v, c) => Math.abs(v - MAGENTA[c]!) <= 12));
    await page.close();
  });
});

describe('the virtual background in a call', () => {
  let server: SignalingServer & { url: string };
  let alice: Studio;
  let bob: Studio;
  let alicePage: Page;
  let bobPage: Page;
  const room = `vb-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = await startTestServer();
    [alice, bob] = await Promise.all([launchStudio('devices', { cameraClip: FIXTURES.greenScreenVideo }), launchStudio('devices', { cameraClip: FIXTURES.redCamera })]);
    alicePage = await openCallPage(alice, server.url, 'Alice', room);
    bobPage = await openCallPage(bob, server.url, 'Bob', room);
  });
  saveEvidenceOnFailure(() => alice);
  saveEvidenceOnFailure(() => bob);
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.close();
  });

  it('sends the replaced background, and switches it off mid-call without renegotiating', async () => {
    // Magenta behind her (the colour chosen in the Studio), switched on in the lobby; "see-through"
    // chosen for her snapshots, which a call cannot carry: it sends the colour.
    await alicePage.evaluate(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings?: Record<string, unknown> };
      await chrome.storage.local.set({ settings: { ...settings, background: { enabled: false, backdrop: 'transparent', colour: '#ff00ff', key: null } } });
    });
    await alicePage.waitForSelector('input[data-setting="background"]');
    await alicePage.click('input[data-setting="background"]');
    await join(alicePage, 'Alice');
    await join(bobPage, 'Bob');
    await waitForRemoteVideo(bobPage);
    // Bob sees Alice over magenta: the screen's lit corner and its shadowed one; her face as it is.
    await waitUntilColour(bobPage, "Alice's background as magenta", ([r, g, b]) => r > 200 && g < 60 && b > 200, [0.05, 0.08]);
    for (const corner of [[0.05, 0.08], [0.95, 0.08]] as [number, number][]) expectColourNear(await remoteColour(bobPage, corner), MAGENTA, 30, `Bob's view of Alice's screen at ${corner}`);
    expectColourNear(await remoteColour(bobPage, [0.5, 125 / 360]), [224, 172, 140], 30, "Bob's view of Alice's face");

    // Off mid-call: the camera as it is goes in its place — the same connection, no new offer.
    const offers = await descriptionsSent(alicePage);
    await alicePage.click('input[data-setting="background"]');
    await waitUntilColour(bobPage, "Alice's green screen again", ([r, g, b]) => g > 150 && r < 100 && b < 120, [0.05, 0.08]);
    expect(await descriptionsSent(alicePage)).toBe(offers);
  });
});

describe('the camera bubble in a tab recording', () => {
  // Chromium's fake camera: green (a screen to key) with a white box moving across; camera
  // access granted in the profile, as after "Allow".
  const session = useStudio('devices', { grantMedia: true });

  it('lays the camera, its green keyed to the background colour, in the corner chosen, and nothing else over the tab', async () => {
    // Options: the bubble on (bottom right, medium, circle: the defaults); the virtual background on, magenta.
    const options = await session.studio.openPage(session.studio.url('options.html'));
    await options.waitForSelector('input[data-setting="cameraBubble"]');
    await options.click('input[data-setting="cameraBubble"]');
    await options.waitForSelector('select[data-setting="bubbleCorner"]');
    await options.evaluate(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings?: Record<string, unknown> };
      await chrome.storage.local.set({ settings: { ...settings, background: { enabled: true, colour: '#ff00ff', key: null } } });
    });
    await options.close();

    const { page } = await startTabRecording(session);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const done = await stopFromPopup(session, page);
    const { file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    // The tab is blue; the bubble (a circle 28 % of the height, 4 % in from the bottom right
    // corner) shows the camera with its green replaced by magenta.
    const bubble: [number, number] = [1 - (0.18 * 9) / 16, 0.82];
    const magentaAt = pixelAt(file, 2, ...bubble);
    expect(magentaAt[0], `the bubble: rgb(${magentaAt})`).toBeGreaterThan(180);
    expect(magentaAt[1], `the bubble: rgb(${magentaAt})`).toBeLessThan(90);
    expect(magentaAt[2], `the bubble: rgb(${magentaAt})`).toBeGreaterThan(180);
    for (const point of [[0.2, 0.25], [0.6, 0.9], [0.5, 0.2]] as [number, number][]) {
      const tab = pixelAt(file, 2, ...point);
      expect(tab[2], `the tab at ${point}: rgb(${tab})`).toBeGreaterThan(180);
      expect(tab[1], `the tab at ${point}: rgb(${tab})`).toBeLessThan(90);
    }
    // Outside the circle, within its square: not the camera (what the tab shows there).
    const squareCorner = pixelAt(file, 2, 1 - (0.04 * 9) / 16 - 0.005, 0.96 - 0.005);
    expect(squareCorner[0], `the bubble's square corner: rgb(${squareCorner})`).toBeLessThan(100);
    expect(decodeErrors(file)).toBe('');
  });
});
