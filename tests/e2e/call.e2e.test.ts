import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ElementHandle, Page } from 'puppeteer';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, startTestServer, TestClient } from '../../server/testing';
import type { SignalingServer } from '../../server/signaling-server';
import { descriptionsSent, join, openCallPage, remoteColour, waitForRemoteVideo, waitUntilColour } from './call-helpers';
import { FIXTURES, TONE_HZ } from './fixtures';
import { launchStudio, type Studio } from './harness';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, pixelAt, probe, toneStrength } from './media';
import { startPageServer, type FileServer } from './page-server';
import { saveEvidenceOnFailure } from './session';
import { waitUntil } from './wait';

/**
 * Two people call each other through the real signaling server, each from the extension's call
 * page in a browser of their own, each with a fake camera of its own colour and bursts of a
 * 440 Hz tone as microphone.
 */

/**
 * A man in the middle for the signaling: forwards every frame between each browser and the real
 * server, but rewrites the DTLS fingerprint in the descriptions the first connection sends.
 */
async function startTamperingRelay(target: string): Promise<{ url: string; rewritten: () => number; close: () => Promise<void> }> {
  const relay = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await new Promise((resolve) => relay.once('listening', resolve));
  let rewritten = 0;
  let first: NodeWebSocket | null = null;
  relay.on('connection', (client) => {
    first ??= client;
    const tamper = client === first;
    const upstream = new NodeWebSocket(target);
    const queued: string[] = [];
    upstream.on('open', () => queued.splice(0).forEach((m) => upstream.send(m)));
    upstream.on('message', (data) => client.send(data.toString()));
    client.on('message', (data) => {
      let text = data.toString();
      if (tamper && text.includes('a=fingerprint:')) {
        text = text.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/g, (_, byte: string) => `a=fingerprint:sha-256 ${byte === '00' ? '01' : '00'}`);
        rewritten++;
      }
      if (upstream.readyState === NodeWebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
    client.on('close', () => upstream.close());
    upstream.on('close', () => client.close());
  });
  const { port } = relay.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    rewritten: () => rewritten,
    close: () => new Promise((resolve) => relay.close(() => resolve())),
  };
}

/** coturn's port for the relay test (the unit tests' coturn uses 34780). */
const TURN_PORT = 34790;

/**
 * Waits until the other person's sound is heard on this page: some 20 ms of it louder than
 * `rms`, listening for up to 10 s (the microphone's gain control takes a moment to settle).
 */
async function waitForSound(page: Page, rms: number): Promise<void> {
  const heard = await page.evaluate(async (threshold) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')!;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(video.srcObject as MediaStream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let loudest = 0;
    for (let i = 0; i < 500 && loudest <= threshold; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      analyser.getFloatTimeDomainData(samples);
      loudest = Math.max(loudest, Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length));
    }
    await context.close();
    return loudest;
  }, rms);
  if (heard <= rms) throw new Error(`waited 10 s for the other person's sound on ${page.url()}: the loudest was ${heard.toFixed(4)} RMS`);
}

/** Opens the stats of the (first) remote tile, once they have been read once. */
async function openStats(page: Page, timeoutMs = 10_000): Promise<void> {
  await waitUntil(page, 'the first reading of the stats', () => document.querySelector('[data-testid="remote-tile"] .stats summary'), undefined, timeoutMs);
  if (!(await page.$('[data-testid="remote-tile"] .stats[open]'))) await page.click('[data-testid="remote-tile"] .stats summary');
}

/** Waits until a chat message with exactly `text` is on the page. */
async function waitForChat(page: Page, what: string, text: string): Promise<void> {
  await waitUntil(page, what, (expected) => [...document.querySelectorAll('[data-testid="chat-message"] .text')].some((e) => e.textContent === expected), text);
}

describe('a call between two browsers', () => {
  let server: SignalingServer & { url: string };
  let pages: FileServer;
  let alice: Studio;
  let bob: Studio;
  let alicePage: Page;
  let bobPage: Page;
  const room = `e2e-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = await startTestServer();
    pages = await startPageServer();
    [alice, bob] = await Promise.all([
      launchStudio('devices', { cameraClip: FIXTURES.redCamera, microphoneClip: FIXTURES.voiceAudio, fakeScreenPicker: true }),
      launchStudio('devices', { cameraClip: FIXTURES.blueCamera, microphoneClip: FIXTURES.otherVoiceAudio }),
    ]);
    alicePage = await openCallPage(alice, server.url, 'Alice', room);
    bobPage = await openCallPage(bob, server.url, 'Bob <b>the builder</b>', room);
  });
  saveEvidenceOnFailure(() => alice);
  saveEvidenceOnFailure(() => bob);
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.close();
    await pages?.close();
  });

  it('connects: each sees the other\'s camera and hears their microphone', async () => {
    await join(alicePage, 'Alice');
    await bobPage.click('[data-action="join"]');
    await waitForRemoteVideo(alicePage);
    await waitForRemoteVideo(bobPage);
    // Alice's camera is red, Bob's blue: each sees the other's colour.
    const seenByAlice = await remoteColour(alicePage);
    const seenByBob = await remoteColour(bobPage);
    expect(seenByAlice[2]).toBeGreaterThan(200);
    expect(seenByAlice[0]).toBeLessThan(60);
    expect(seenByBob[0]).toBeGreaterThan(200);
    expect(seenByBob[2]).toBeLessThan(60);
    await waitForSound(alicePage, 0.02);
    await waitForSound(bobPage, 0.02);
    // Names from the network are shown as text.
    expect(await alicePage.$eval('[data-testid="remote-tile"] .person-name', (e) => e.textContent)).toBe('Bob <b>the builder</b>');
  });

  it('shares a screen in place of the camera without a new offer, and comes back to the camera', async () => {
    const descriptions = async () => (await descriptionsSent(alicePage)) + (await descriptionsSent(bobPage));
    const descriptionsBefore = await descriptions();
    expect(descriptionsBefore).toBeGreaterThanOrEqual(2); // the offer and the answer that set the call up
    await alicePage.click('[data-action="share-screen"]');
    await waitUntil(bobPage, 'Bob to see that Alice shares her screen', () => document.querySelector('[data-testid="remote-sharing"]'));
    await waitUntilColour(bobPage, 'the shared screen instead of Alice\'s red camera', ([r, g, b]) => !(r > 200 && g < 60 && b < 60));
    await alicePage.click('[data-action="stop-share"]');
    await waitUntil(bobPage, 'the sharing badge to go', () => !document.querySelector('[data-testid="remote-sharing"]'));
    await waitUntilColour(bobPage, 'Alice\'s red camera again', ([r, g, b]) => r > 200 && g < 60 && b < 60);
    // The picture was swapped on the running connection: nothing was renegotiated.
    expect(await descriptions()).toBe(descriptionsBefore);
  });

  it('shares the tab Bob is on, picture and sound, from the toolbar popup, in place of his camera; closing the tab brings the camera back', async () => {
    const descriptions = async () => (await descriptionsSent(alicePage)) + (await descriptionsSent(bobPage));
    const before = await descriptions();
    // Bob mutes his microphone: what Alice hears next is the tab's own sound.
    await bobPage.click('[data-action="mute"]');
    // A yellow page with a moving box and a 440 Hz tone (tab capture sends frames when the page changes).
    const tab = await bob.openPage(pages.url('animated.html?colour=%23ffff00'));
    const popup = await bob.openPopup(tab);
    await popup.click('[data-action="share-tab-in-call"]');
    await waitUntil(alicePage, 'Alice to see that Bob shares', () => document.querySelector('[data-testid="remote-sharing"]'));
    await waitUntilColour(alicePage, 'Bob\'s yellow tab', ([r, g, b]) => r > 200 && g > 200 && b < 60);
    await waitForSound(alicePage, 0.02);
    expect(await descriptions()).toBe(before);
    // Closing the shared tab ends the share by itself: his camera comes back.
    await tab.close();
    await bobPage.bringToFront();
    await waitUntilColour(alicePage, 'Bob\'s blue camera again', ([r, g, b]) => b > 200 && r < 60 && g < 60);
    await waitUntil(alicePage, 'the sharing badge to go', () => !document.querySelector('[data-testid="remote-sharing"]'));
    await bobPage.click('[data-action="mute"]');
  });

  it('shows the same safety code on both sides', async () => {
    const code = (page: Page) => page.$eval('[data-testid="safety-code"]', (e) => e.textContent ?? '');
    await waitUntil(alicePage, 'a safety code', () => /^\d{3} \d{3}$/.test(document.querySelector('[data-testid="safety-code"]')?.textContent ?? ''));
    await waitUntil(bobPage, 'a safety code', () => /^\d{3} \d{3}$/.test(document.querySelector('[data-testid="safety-code"]')?.textContent ?? ''));
    expect(await code(alicePage)).toBe(await code(bobPage));
  });

  it('chats both ways, showing markup as text', async () => {
    const hostile = '<img src=x onerror="document.title=\'owned\'"> & <b>bold</b>';
    await alicePage.type('[data-action="chat-text"]', hostile);
    await alicePage.click('[data-action="chat-send"]');
    await waitUntil(bobPage, 'Alice\'s message', () => document.querySelectorAll('[data-testid="chat-message"]').length === 1);
    expect(await bobPage.$eval('[data-testid="chat-message"] .text', (e) => e.textContent)).toBe(hostile);
    expect(await bobPage.$eval('[data-testid="chat-message"] .from', (e) => e.textContent)).toBe('Alice');
    expect(await bobPage.$$('[data-testid="chat-messages"] img, [data-testid="chat-messages"] b')).toHaveLength(0);
    await bobPage.type('[data-action="chat-text"]', 'Hello Alice');
    await bobPage.keyboard.press('Enter');
    await waitUntil(alicePage, 'Bob\'s answer', () => document.querySelectorAll('[data-testid="chat-message"]').length === 2);
    expect(await alicePage.$$eval('[data-testid="chat-message"] .text', (list) => list.map((e) => e.textContent))).toEqual([hostile, 'Hello Alice']);
    expect(await bobPage.title()).not.toBe('owned');
  });

  it('records the call into the Library: both pictures side by side and the sound, like any recording', async () => {
    await alicePage.click('[data-action="record-call"]');
    await waitUntil(alicePage, 'the recording to start', () => document.querySelector('[data-action="stop-recording"]'));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await alicePage.click('[data-action="stop-recording"]');
    await waitUntil(alicePage, 'the recording to be saved', () => document.querySelector('[data-action="open-recording"]'), undefined, 30_000);
    const href = await alicePage.$eval('[data-action="open-recording"]', (a) => a.getAttribute('href')!);
    const recordingId = decodeURIComponent(href.split('#')[1]!);
    const { library, file } = await downloadFromLibrary(alice, recordingId);
    await library.close();
    await alicePage.bringToFront();
    const info = probe(file);
    expect(info.video?.codec).toBe('h264');
    expect(info.audio).toBeTruthy();
    expect(info.duration).toBeGreaterThan(2);
    expect(info.duration).toBeLessThan(6);
    expect(decodeErrors(file)).toBe('');
    // The sound: the microphones' tone bursts, mixed — most of its power at Alice's 440 Hz and
    // Bob's 660 Hz (noise or silence has next to none). How much of each depends on when their
    // bursts overlap: echo cancellation turns a voice down while the other one talks.
    const alices = toneStrength(file, TONE_HZ.voice);
    const bobs = toneStrength(file, TONE_HZ.otherVoice);
    expect(alices.share + bobs.share, `440 Hz: ${alices.share.toFixed(2)}, 660 Hz: ${bobs.share.toFixed(2)}`).toBeGreaterThan(0.5);
    expect(alices.rmsDb).toBeGreaterThan(-40);
    // Alice's own tile (red) on the left, Bob's (blue) on the right.
    const [lr, , lb] = pixelAt(file, 1.5, 0.25, 0.5);
    const [rr, , rb] = pixelAt(file, 1.5, 0.75, 0.5);
    expect(lr).toBeGreaterThan(180);
    expect(lb).toBeLessThan(80);
    expect(rb).toBeGreaterThan(180);
    expect(rr).toBeLessThan(80);
  });

  it('sends a 5 MB file that arrives byte-identical, after the other person accepts it', async () => {
    const sent = path.join(mkdtempSync(path.join(tmpdir(), 'call-file-')), 'holiday <video>.bin');
    writeFileSync(sent, randomBytes(5 * 1024 * 1024));
    const picker = (await alicePage.$('input[data-action="send-file"]')) as ElementHandle<HTMLInputElement>;
    await picker!.uploadFile(sent);
    await waitUntil(bobPage, 'the offer of a file', () => document.querySelector('[data-action="accept-file"]'));
    expect(await bobPage.$eval('[data-testid="transfer"] .transfer-name', (e) => e.textContent)).toBe('holiday <video>.bin · 5.2 MB');
    for (const old of readdirSync(bob.downloads)) rmSync(path.join(bob.downloads, old), { force: true });
    await bobPage.click('[data-action="accept-file"]');
    await waitUntil(bobPage, 'the file to arrive and check out', () => document.querySelector('[data-testid="transfer"]')?.getAttribute('data-state') === 'done', undefined, 30_000);
    await waitUntil(alicePage, 'the sender to hear it arrived', () => document.querySelector('[data-testid="transfer"]')?.getAttribute('data-state') === 'done', undefined, 10_000);
    await waitUntil(bobPage, 'the Save link', () => document.querySelector('[data-action="save-file"]'));
    await bobPage.click('[data-action="save-file"]');
    const saved = await bob.waitForDownload(20_000);
    expect(path.basename(saved)).toBe('holiday _video_.bin');
    expect(readFileSync(saved).equals(readFileSync(sent))).toBe(true);
  });

  it('shows the call\'s numbers once a second', async () => {
    await openStats(bobPage);
    await waitUntil(bobPage, 'the route of the call', () => document.querySelector('[data-testid="route"]')?.textContent?.startsWith('host'));
    // Loopback loses nothing: the indicator settles on good (a burst of loss right after a switch may say fair for a second).
    await waitUntil(bobPage, 'a good connection', () => document.querySelector('[data-testid="quality"]')?.textContent === 'Good connection');
  });

  it('survives both sides renegotiating at the same moment (glare): "Reconnect" on both tiles at once', async () => {
    const before = [await descriptionsSent(alicePage), await descriptionsSent(bobPage)];
    const code = await alicePage.$eval('[data-testid="safety-code"]', (e) => e.textContent);
    // Both stats panels are open (the test above opened Bob's); each clicks at once, in its own browser.
    await openStats(alicePage);
    await Promise.all([alicePage.$eval('[data-action="reconnect"]', (b) => (b as HTMLButtonElement).click()), bobPage.$eval('[data-action="reconnect"]', (b) => (b as HTMLButtonElement).click())]);
    // Both offered; one gave way and answered: new descriptions on both sides, the call goes on.
    await waitUntil(alicePage, 'a new offer or answer from Alice', (n) => (window as unknown as { descriptionsSent: number }).descriptionsSent > n, before[0]!);
    await waitUntil(bobPage, 'a new offer or answer from Bob', (n) => (window as unknown as { descriptionsSent: number }).descriptionsSent > n, before[1]!);
    for (const page of [alicePage, bobPage]) {
      await waitUntil(page, 'the connection to be up', () => document.querySelector('[data-testid="remote-tile"]')?.getAttribute('data-state') === 'connected', undefined, 15_000);
    }
    await waitUntilColour(alicePage, 'Bob\'s blue camera', ([r, g, b]) => b > 200 && r < 60 && g < 60);
    await waitUntilColour(bobPage, 'Alice\'s red camera', ([r, g, b]) => r > 200 && g < 60 && b < 60);
    expect(await bobPage.$eval('[data-testid="safety-code"]', (e) => e.textContent)).toBe(code);
  });

  it('carries on through a signaling server restart: media keeps flowing, nothing is renegotiated, a later renegotiation works', async () => {
    const descriptions = async () => (await descriptionsSent(alicePage)) + (await descriptionsSent(bobPage));
    const before = await descriptions();
    const port = server.port;
    await server.close();
    await waitUntil(bobPage, 'Bob to notice the server is gone', () => document.querySelector('[data-testid="signaling-state"]')?.className.includes('signaling-reconnecting'));
    // Two seconds without a signaling server: Alice's picture keeps coming.
    const frames = () => bobPage.$eval('[data-testid="remote-video"]', (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames);
    const framesBefore = await frames();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await frames()).toBeGreaterThan(framesBefore + 10);
    server = await startTestServer({ port });
    for (const page of [alicePage, bobPage]) {
      await waitUntil(page, 'the page to be back in the room', () => document.querySelector('[data-testid="signaling-state"]')?.className.includes('signaling-joined'), undefined, 20_000);
      // The same person on the same connection (recognised by their hello), not a new one.
      await waitUntil(page, 'the other person to be recognised', () => document.querySelectorAll('[data-testid="remote-tile"]').length === 1 && !document.querySelector('[data-testid="away"]'), undefined, 10_000);
    }
    expect(await descriptions()).toBe(before);
    await alicePage.type('[data-action="chat-text"]', 'still here');
    await alicePage.keyboard.press('Enter');
    await waitForChat(bobPage, 'chat after the restart', 'still here');
    // A renegotiation after the restart goes through the new ids.
    await openStats(alicePage);
    await alicePage.click('[data-action="reconnect"]');
    await waitUntil(bobPage, 'Bob to answer the new offer', (n) => (window as unknown as { descriptionsSent: number }).descriptionsSent > n, await descriptionsSent(bobPage));
    await waitUntil(alicePage, 'the connection to be up', () => document.querySelector('[data-testid="remote-tile"]')?.getAttribute('data-state') === 'connected', undefined, 15_000);
    await waitUntilColour(alicePage, 'Bob\'s blue camera', ([r, g, b]) => b > 200 && r < 60 && g < 60);
  });

  it('refuses a third person in a two-person room, saying so', async () => {
    // Someone else holds the room with Alice once Bob has gone: Bob, coming back, finds it full.
    await bobPage.click('[data-action="hang-up"]');
    await waitUntil(alicePage, 'Bob to leave Alice\'s call', () => document.querySelectorAll('[data-testid="remote-tile"]').length === 0);
    // Hanging up turned Bob's camera off: the lobby shows no picture until he starts again.
    await waitUntil(bobPage, 'Bob\'s preview to go dark', () => document.querySelector<HTMLVideoElement>('[data-testid="local-preview"]')?.srcObject === null);
    const intruder = await TestClient.connect(server.url);
    intruder.send({ type: 'join', room, name: 'Mallory' });
    await intruder.next('welcome');
    await bobPage.click('[data-action="start-again"]');
    await bobPage.click('[data-action="join"]');
    await waitUntil(bobPage, 'the room-full notice', () => document.querySelector('.notice-error')?.textContent?.includes('This room is full'));
    intruder.socket.close();
  });

  it('hangs up: the camera and microphone go off', async () => {
    await alicePage.click('[data-action="hang-up"]');
    await waitUntil(alicePage, 'the call to end', () => document.querySelector('.notice')?.textContent?.includes('You left the call'));
    await waitUntil(alicePage, 'Alice\'s preview to go dark', () => document.querySelector<HTMLVideoElement>('[data-testid="local-preview"]')?.srcObject === null);
  });

  it('tests the connection from Options: the server answers, a dead address is named', async () => {
    const options = await alice.openPage(alice.url('options.html'));
    const field = '[data-section="call"] [data-setting="signalingUrl"]';
    await options.waitForSelector(field);
    const setUrl = async (url: string) => {
      await options.$eval(field, (input) => ((input as HTMLInputElement).value = ''));
      await options.type(field, url);
    };
    await setUrl('https://127.0.0.1:9/ws');
    await waitUntil(options, 'the address to be refused', () => document.querySelector('[data-section="call"] .error-text')?.textContent?.includes('not a ws://'));
    await setUrl(server.url);
    await options.click('[data-action="test-connection"]');
    await waitUntil(options, 'the test to finish', () => document.querySelector('[data-testid="test-host"]'), undefined, 15_000);
    expect(await options.$eval('[data-testid="test-signaling"]', (e) => e.getAttribute('data-ok'))).toBe('true');
    expect(await options.$eval('[data-testid="test-host"]', (e) => e.getAttribute('data-ok'))).toBe('true');
    // A port nobody listens on.
    await setUrl('ws://127.0.0.1:9/ws');
    await options.click('[data-action="test-connection"]');
    await waitUntil(options, 'the failed test', () => document.querySelector('[data-testid="test-signaling"]')?.getAttribute('data-ok') === 'false', undefined, 15_000);
    expect(await options.$eval('[data-testid="test-signaling"]', (e) => e.textContent)).toContain('cannot be reached');
    await setUrl(server.url);
    await waitUntil(
      options,
      'the server\'s address to be saved',
      async (url) => ((await chrome.storage.local.get('settings')) as { settings?: { call?: { signalingUrl?: string } } }).settings?.call?.signalingUrl === url,
      server.url,
    );
    // A page behind another draws no frames (and takes no clicks): the call page comes back in front.
    await options.close();
    await alicePage.bringToFront();
  });

  it('lets a guest join by link from a plain web page, the same call client without the extension', async () => {
    const guestRoom = `${room}-guest`;
    await alicePage.click('[data-action="start-again"]');
    await alicePage.click('[data-action="room"]', { count: 3 });
    await alicePage.type('[data-action="room"]', guestRoom);
    await alicePage.click('[data-action="join"]');
    // "Copy link" gives the guest page's address on the signaling server.
    const link = await alicePage.$eval('[data-action="copy-link"]', (e) => e.getAttribute('data-link'));
    expect(link).toBe(`http://127.0.0.1:${server.port}/r/${guestRoom}`);
    const guest = await bob.openPage(link!);
    const response = await guest.reload();
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(guest.url().startsWith('http://127.0.0.1')).toBe(true);
    await guest.waitForSelector('[data-action="join"]');
    expect(await guest.$eval('[data-action="room"]', (input) => (input as HTMLInputElement).value)).toBe(guestRoom);
    await waitUntil(guest, 'the guest\'s camera preview', () => (document.querySelector<HTMLVideoElement>('[data-testid="local-preview"]')?.videoWidth ?? 0) > 0, undefined, 15_000);
    await guest.type('[data-action="name"]', 'Guest Bob');
    await guest.click('[data-action="join"]');
    await waitForRemoteVideo(guest);
    await waitForRemoteVideo(alicePage);
    expect((await remoteColour(guest))[0]).toBeGreaterThan(200); // Alice's red
    expect((await remoteColour(alicePage))[2]).toBeGreaterThan(200); // Bob's blue
    await waitForSound(guest, 0.02);
    expect(await alicePage.$eval('[data-testid="remote-tile"] .person-name', (e) => e.textContent)).toBe('Guest Bob');
    await waitUntil(guest, 'a safety code', () => /^\d{3} \d{3}$/.test(document.querySelector('[data-testid="safety-code"]')?.textContent ?? ''));
    await waitUntil(alicePage, 'a safety code', () => /^\d{3} \d{3}$/.test(document.querySelector('[data-testid="safety-code"]')?.textContent ?? ''));
    expect(await guest.$eval('[data-testid="safety-code"]', (e) => e.textContent)).toBe(await alicePage.$eval('[data-testid="safety-code"]', (e) => e.textContent));
    await guest.type('[data-action="chat-text"]', 'from the guest page');
    await guest.keyboard.press('Enter');
    await waitForChat(alicePage, 'the guest\'s message', 'from the guest page');
    await guest.click('[data-action="hang-up"]');
    await waitUntil(alicePage, 'the guest to leave', () => document.querySelectorAll('[data-testid="remote-tile"]').length === 0);
  });

  it('calls through a TURN relay only, with the server\'s short-lived credentials, when Options say "relay only"', async () => {
    const secret = randomBytes(16).toString('hex');
    const coturn = await startCoturn(TURN_PORT, secret, [49210, 49250]);
    const turnServer = await startTestServer({ turnUrls: [`turn:127.0.0.1:${TURN_PORT}`], turnSecret: secret, turnTtlSeconds: 600 });
    try {
      const relayRoom = `${room}-relay`;
      const [a, b] = await Promise.all([openCallPage(alice, turnServer.url, 'Alice', relayRoom, { relayOnly: true }), openCallPage(bob, turnServer.url, 'Bob', relayRoom, { relayOnly: true })]);
      await join(a, 'Alice');
      await b.click('[data-action="join"]');
      await waitForRemoteVideo(a);
      await waitForRemoteVideo(b);
      expect((await remoteColour(b))[0]).toBeGreaterThan(200);
      for (const page of [a, b]) {
        await openStats(page);
        await waitUntil(page, 'the route of the call', () => document.querySelector('[data-testid="route"]')?.textContent?.startsWith('relay'));
      }
      await a.click('[data-action="hang-up"]');
      await b.click('[data-action="hang-up"]');
      await Promise.all([a.close(), b.close()]);
    } finally {
      await turnServer.close();
      coturn.kill('SIGTERM');
    }
  });

  it('shows different safety codes when something between the two rewrites a fingerprint', async () => {
    // A hostile relay in front of the real server: it swaps Alice's DTLS fingerprint in what Bob receives.
    const relay = await startTamperingRelay(server.url);
    try {
      const tamperRoom = `${room}-mitm`;
      const [a, b] = await Promise.all([openCallPage(alice, relay.url, 'Alice', tamperRoom), openCallPage(bob, relay.url, 'Bob', tamperRoom)]);
      await join(a, 'Alice');
      await b.click('[data-action="join"]');
      for (const page of [a, b]) await waitUntil(page, 'a safety code', () => /^\d{3} \d{3}$/.test(document.querySelector('[data-testid="safety-code"]')?.textContent ?? ''), undefined, 15_000);
      expect(relay.rewritten()).toBeGreaterThan(0);
      expect(await a.$eval('[data-testid="safety-code"]', (e) => e.textContent)).not.toBe(await b.$eval('[data-testid="safety-code"]', (e) => e.textContent));
      await Promise.all([a.close(), b.close()]);
    } finally {
      await relay.close();
    }
  });

  it('sends the video codec chosen in Options, and shows it', async () => {
    const codecRoom = `${room}-vp9`;
    const [a, b] = await Promise.all([openCallPage(alice, server.url, 'Alice', codecRoom, { videoCodec: 'vp9' }), openCallPage(bob, server.url, 'Bob', codecRoom, { videoCodec: 'vp9' })]);
    await join(a, 'Alice');
    await b.click('[data-action="join"]');
    for (const page of [a, b]) {
      await openStats(page, 15_000);
      await waitUntil(page, 'VP9 both ways', () => [...document.querySelectorAll('[data-testid="stats"] td')].filter((td) => td.textContent?.startsWith('VP9')).length === 2, undefined, 10_000);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('takes a call from a plain WebRTC client that knows only descriptions, candidates and chat', async () => {
    // server/PROTOCOL.md's promise: no hello, no status, no bye, and still a call.
    const open = await startTestServer({ allowedOrigins: ['*'] });
    try {
      const plainRoom = `${room}-plain`;
      const a = await openCallPage(alice, open.url, 'Alice', plainRoom);
      await join(a, 'Alice');
      const plain = await bob.openPage(pages.url(`plain-client.html?server=${encodeURIComponent(open.url)}&room=${plainRoom}`));
      await waitForRemoteVideo(a);
      await waitUntilColour(a, 'the plain client\'s green picture', ([r, g, b]) => g > 200 && r < 60 && b < 60);
      expect(await a.$eval('[data-testid="remote-tile"] .person-name', (e) => e.textContent)).toBe('Plain client');
      await waitForChat(a, 'the plain client\'s chat', 'hello from a plain client');
      await a.type('[data-action="chat-text"]', 'hello plain client');
      await a.keyboard.press('Enter');
      await waitUntil(plain, 'Alice\'s chat on the plain client', () => (window as unknown as { chat: string[] }).chat.includes('hello plain client'));
      await waitUntil(plain, 'Alice\'s picture on the plain client', () => (document.querySelector<HTMLVideoElement>('#remote')?.videoWidth ?? 0) > 0, undefined, 15_000);
      await Promise.all([a.close(), plain.close()]);
    } finally {
      await open.close();
    }
  });
});
