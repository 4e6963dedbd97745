import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer';
import { startCoturn, startTestServer } from '../server/testing';
import { ensureFixtures, FIXTURES } from '../tests/e2e/fixtures';
import { launchStudio, type Studio } from '../tests/e2e/harness';
import { median, percentile, report, type Goal, type Row } from './report';

/**
 * Calls on loopback between two browser instances through our signaling server, timed as a
 * person feels it: from "Join" clicked (the second person; the first is waiting in the room) to
 * the first frame of the other's camera shown. Ten calls direct, ten relay-only through a real
 * coturn; the floor, measured in the same run, is two RTCPeerConnections in one page going from
 * createOffer to connected with nothing in between.
 */
const CALLS = Number(process.env.BENCH_CALLS ?? 10);
const TURN_PORT = 34800;

/** In the page: clicks Join and resolves with the milliseconds until a remote frame is presented. */
const JOIN_TO_FIRST_FRAME = `new Promise((resolve, reject) => {
  const t0 = performance.now();
  document.querySelector('[data-action="join"]').click();
  const timeout = setTimeout(() => reject(new Error('no remote frame within 20 s')), 20000);
  const watch = () => {
    const video = document.querySelector('video[data-testid="remote-video"]');
    if (!video) return requestAnimationFrame(watch);
    video.requestVideoFrameCallback(() => { clearTimeout(timeout); resolve(performance.now() - t0); });
  };
  watch();
})`;

/** In the page: two connections with a data channel, createOffer → both connected, in ms. */
const BARE_CONNECT = `(async () => {
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  a.createDataChannel('x');
  const connected = (pc) => new Promise((r) => { const f = () => pc.connectionState === 'connected' && r(); pc.onconnectionstatechange = f; f(); });
  const t0 = performance.now();
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await Promise.all([connected(a), connected(b)]);
  const ms = performance.now() - t0;
  a.close(); b.close();
  return ms;
})()`;


async function openCall(studio: Studio, signalingUrl: string, name: string, relayOnly: boolean): Promise<Page> {
  const page = await studio.openPage(studio.url('call.html'));
  await page.evaluate(`chrome.storage.local.set({ settings: { call: ${JSON.stringify({ signalingUrl, displayName: name, relayOnly })} } })`);
  await page.reload();
  await page.waitForFunction('(document.querySelector(\'[data-testid="local-preview"]\')?.videoWidth ?? 0) > 0', { timeout: 20_000, polling: 100 });
  return page;
}

async function setRoom(page: Page, room: string): Promise<void> {
  await page.click('[data-action="room"]', { count: 3 });
  await page.type('[data-action="room"]', room);
}

/** One call: Alice waits in the room, Bob joins and is timed; both hang up and start again. */
async function timeCall(alice: Page, bob: Page, room: string): Promise<number> {
  await setRoom(alice, room);
  await setRoom(bob, room);
  await alice.click('[data-action="join"]');
  await alice.waitForFunction('document.querySelector(\'[data-testid="signaling-state"]\')?.className.includes("signaling-joined")', { timeout: 10_000, polling: 50 });
  await bob.bringToFront();
  const ms = (await bob.evaluate(JOIN_TO_FIRST_FRAME)) as number;
  for (const page of [bob, alice]) {
    await page.bringToFront();
    await page.click('[data-action="hang-up"]');
    await page.click('[data-action="start-again"]');
    await page.waitForFunction('(document.querySelector(\'[data-testid="local-preview"]\')?.videoWidth ?? 0) > 0', { timeout: 20_000, polling: 100 });
  }
  return ms;
}

export async function run(): Promise<void> {
  ensureFixtures();
  const secret = randomBytes(16).toString('hex');
  const coturn = await startCoturn(TURN_PORT, secret, [49260, 49300]);
  const server = await startTestServer({ turnUrls: [`turn:127.0.0.1:${TURN_PORT}`], turnSecret: secret });
  const [aliceBrowser, bobBrowser] = await Promise.all([
    launchStudio('devices', { cameraClip: FIXTURES.redCamera, microphoneClip: FIXTURES.voiceAudio }),
    launchStudio('devices', { cameraClip: FIXTURES.blueCamera, microphoneClip: FIXTURES.otherVoiceAudio }),
  ]);
  const rows: Row[] = [];
  const goals: Goal[] = [];
  try {
    const bare: number[] = [];
    const probe = await aliceBrowser.openPage(aliceBrowser.url('call.html'));
    for (let i = 0; i < CALLS; i++) bare.push((await probe.evaluate(BARE_CONNECT)) as number);
    await probe.close();
    const results: Record<string, number[]> = {};
    for (const relayOnly of [false, true]) {
      const alice = await openCall(aliceBrowser, server.url, 'Alice', relayOnly);
      const bob = await openCall(bobBrowser, server.url, 'Bob', relayOnly);
      const times: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        times.push(await timeCall(alice, bob, `bench-${relayOnly ? 'relay' : 'direct'}-${i}-${Date.now().toString(36)}`));
        console.log(`${relayOnly ? 'relay-only' : 'direct'} call ${i + 1}: ${times.at(-1)!.toFixed(0)} ms`);
      }
      results[relayOnly ? 'relay' : 'direct'] = times;
      await Promise.all([alice.close(), bob.close()]);
    }
    const bareMedian = median(bare);
    const row = (what: string, values: number[]): Row => ({
      what,
      runs: values.length,
      'median ms': Math.round(median(values)),
      'p90 ms': Math.round(percentile([...values].sort((x, y) => x - y), 90)),
      'median vs bare connect': Number((median(values) / bareMedian).toFixed(1)),
    });
    rows.push(
      row('"Join" → first remote frame, direct (host candidates)', results.direct!),
      row('"Join" → first remote frame, relay only (coturn, the server\'s credentials)', results.relay!),
      row('bare createOffer → connected, two connections in one page (floor)', bare),
    );
    const directMedian = Math.round(median(results.direct!));
    goals.push({ name: 'median "Join" → first remote frame, direct (ms)', value: directMedian, target: '≤ 500', met: directMedian <= 500 });
  } finally {
    await Promise.all([aliceBrowser.close(), bobBrowser.close()]);
    await server.close();
    coturn.kill('SIGTERM');
  }
  report('call', rows, goals);
}
