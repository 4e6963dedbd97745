import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer';
import type { RecordingState } from '../../lib/recording/state';
import { FIXTURES } from './fixtures';

export const EXTENSION_PATH = path.resolve('.output/chrome-mv3');
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Keeps Chromium off the network: everything but loopback resolves nowhere or hits a dead port. */
const OFFLINE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-domain-reliability',
  '--no-pings',
  '--disable-breakpad',
  '--proxy-server=http://127.0.0.1:9',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/**
 * Which fake media a browser gets. Tab capture breaks under --use-fake-ui-for-media-stream, so
 * the synthetic screen lives in a browser of its own.
 *  - 'none': real tab capture only
 *  - 'devices': a fake camera and microphone playing generated clips, access auto-accepted
 *  - 'screen': a synthetic screen for getDisplayMedia
 *  - 'no-devices': a machine with no camera and no microphone, access auto-accepted
 *  - 'two-cameras': Chromium's own two fake cameras (test patterns at any size), access auto-accepted
 */
export type FakeMedia = 'none' | 'devices' | 'screen' | 'no-devices' | 'two-cameras';

export interface Studio {
  browser: Browser;
  extensionId: string;
  downloads: string;
  url(page: string): string;
  serviceWorker(): Promise<WebWorker>;
  openPage(url: string): Promise<Page>;
  /** Clicks the toolbar icon over `page`, as a person would, and returns the popup. */
  openPopup(page: Page): Promise<Page>;
  offscreenDocument(): Promise<Page | null>;
  /** Waits for a page (a tab, the popup) whose URL matches; `what` names it in the timeout's message. */
  waitForPage(what: string, match: (url: string) => boolean, timeoutMs?: number): Promise<Page>;
  state(): Promise<RecordingState>;
  waitForState(what: string, predicate: (state: RecordingState) => boolean, timeoutMs?: number): Promise<RecordingState>;
  badge(): Promise<{ text: string; title: string }>;
  waitForDownload(timeoutMs?: number): Promise<string>;
  /** Saves a screenshot of every open page, the recording state and the offscreen document's console to `dir`. */
  saveEvidence(dir: string): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Put the profile here (a small disk, say) instead of a fresh temporary folder. */
  profileDir?: string;
  /** The UI language, e.g. 'zh-CN'. */
  lang?: string;
  /** The window, and so the captured tab, size. */
  windowSize?: { width: number; height: number };
  /** With 'devices': the clip the fake camera plays (default: FIXTURES.cameraVideo). */
  cameraClip?: string;
  /** With 'devices': the sound the fake microphone plays (default: FIXTURES.microphoneAudio). */
  microphoneClip?: string;
  /**
   * With 'devices': Chrome's share dialog answers by itself with a synthetic screen (never
   * together with tab capture, which then fails).
   */
  fakeScreenPicker?: boolean;
  /**
   * Camera and microphone already allowed for the extension, as after a person chose "Allow"
   * (the auto-accept flag grants one request at a time, and enumerateDevices then hides the
   * devices' ids and names).
   */
  grantMedia?: boolean;
}

/** The extension's id, fixed by the manifest key (wxt.config.ts). */
const EXTENSION_ID = 'iafbeankfgjchmapklnlaibcjijghpnl';

function allowMediaInProfile(profile: string): void {
  const origin = `chrome-extension://${EXTENSION_ID},*`;
  mkdirSync(path.join(profile, 'Default'), { recursive: true });
  const allowed = { [origin]: { setting: 1 } };
  writeFileSync(
    path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { content_settings: { exceptions: { media_stream_camera: allowed, media_stream_mic: allowed } } } }),
  );
}

export async function launchStudio(media: FakeMedia = 'none', options: LaunchOptions = {}): Promise<Studio> {
  const profile = options.profileDir ?? mkdtempSync(path.join(tmpdir(), 'studio-profile-'));
  const downloads = mkdtempSync(path.join(tmpdir(), 'studio-downloads-'));
  if (options.grantMedia) allowMediaInProfile(profile);
  const args = [
    ...OFFLINE_ARGS,
    `--lang=${options.lang ?? 'en-US'}`,
    `--window-size=${options.windowSize?.width ?? 800},${options.windowSize?.height ?? 600}`,
    '--autoplay-policy=no-user-gesture-required',
    // Calls between browsers on this machine: loopback candidates, and real addresses instead of mDNS names.
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    `--load-extension=${EXTENSION_PATH}`,
    `--disable-extensions-except=${EXTENSION_PATH}`,
  ];
  if (media === 'devices') {
    args.push(
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${options.cameraClip ?? FIXTURES.cameraVideo}`,
      `--use-file-for-fake-audio-capture=${options.microphoneClip ?? FIXTURES.microphoneAudio}`,
      // Chromium 156 crashes at start given both; the fake picker grants camera and microphone too.
      options.fakeScreenPicker ? '--use-fake-ui-for-media-stream' : '--auto-accept-camera-and-microphone-capture',
    );
  } else if (media === 'two-cameras') {
    args.push('--use-fake-device-for-media-stream=device-count=2', '--auto-accept-camera-and-microphone-capture');
  } else if (media === 'no-devices') {
    args.push('--auto-accept-camera-and-microphone-capture');
  } else if (media === 'screen') {
    args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
  }
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    pipe: true,
    enableExtensions: true,
    userDataDir: profile,
    args,
    downloadBehavior: { policy: 'allow', downloadPath: downloads },
    // Puppeteer's default --mute-audio silences what tab capture hears from a Web Audio page.
    ignoreDefaultArgs: ['--mute-audio'],
  });
  // A fresh install starts the service worker; a profile that already has the extension does
  // not, so fall back to the installed-extension list.
  const worker = await browser
    .waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 5000 })
    .catch(() => null);
  const extensionId = worker ? new URL(worker.url()).host : [...(await browser.extensions()).keys()][0]!;
  const url = (page: string) => `chrome-extension://${extensionId}/${page}`;
  // The extension opens its Library on install — at every launch from the command line. Let it
  // arrive before the test starts: arriving later, it takes the focus, which closes an open popup
  // and leaves the test's page behind, where nothing draws.
  await browser
    .waitForTarget((t) => t.url() === url('library.html?welcome'), { timeout: 10_000 })
    .catch(() => console.warn('The welcome Library did not open within 10 s.'));

  // What the offscreen document prints, kept for a failing test's evidence. (Not the service worker's:
  // attaching to it kept a worker that Chrome restarted from ever answering.)
  const consoleLog: string[] = [];
  const listen = async (target: Target) => {
    const from = target.url().replace(url(''), '');
    if (target.type() === 'background_page' && target.url().startsWith(url(''))) {
      const page = await target.asPage().catch(() => null);
      page?.on('console', (message) => consoleLog.push(`[${new Date().toISOString()}] ${from} ${message.type()}: ${message.text()}`));
    }
  };
  browser.on('targetcreated', (target: Target) => void listen(target));
  for (const target of browser.targets()) void listen(target);

  const serviceWorker = async () => {
    const isWorker = (t: { type(): string; url(): string }) => t.type() === 'service_worker' && t.url().startsWith(url(''));
    let target = browser.targets().find(isWorker);
    if (!target) {
      // A stopped worker starts on the next message sent to it.
      const waker = await browser.newPage();
      await waker.goto(url('popup.html'));
      await waker.evaluate(() => chrome.runtime.sendMessage({ target: 'nobody' }).catch(() => undefined));
      target = await browser.waitForTarget(isWorker, { timeout: 10_000 });
      await waker.close();
    }
    const sw = await target.worker();
    if (!sw) throw new Error('no service worker');
    return sw;
  };
  const state = async () =>
    (await serviceWorker()).evaluate(async () => {
      const { 'recording-state': value } = await chrome.storage.session.get('recording-state');
      return (value ?? { status: 'idle', error: null, notice: null, lastRecordingId: null }) as RecordingState;
    });

  const studio: Studio = {
    browser,
    extensionId,
    downloads,
    url,
    serviceWorker,
    async openPage(target) {
      const page = await browser.newPage();
      await page.goto(target);
      // The Library the extension opens on install can arrive after this page and cover it; a
      // page behind another draws no frames, and a click (which waits for one) never lands.
      await page.bringToFront();
      return page;
    },
    async openPopup(page) {
      const extension = (await browser.extensions()).get(extensionId);
      if (!extension) throw new Error('extension not installed');
      await page.bringToFront();
      await page.triggerExtensionAction(extension);
      const popup = await studio.waitForPage('the toolbar popup', (u) => u === url('popup.html'), 10_000);
      await popup.waitForSelector('main', { timeout: 10_000 });
      return popup;
    },
    async offscreenDocument() {
      const target = browser.targets().find((t) => t.url() === url('offscreen.html'));
      return target ? target.asPage() : null;
    },
    async waitForPage(what, match, timeoutMs = 15_000) {
      const target = await browser.waitForTarget((t) => match(t.url()), { timeout: timeoutMs }).catch(() => {
        throw new Error(`no page for ${what} within ${timeoutMs / 1000} s; open: ${browser.targets().map((t) => t.url()).join(', ')}`);
      });
      const page = await target.asPage();
      if (!page) throw new Error(`${what} is not a page`);
      return page;
    },
    state,
    async waitForState(what, predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: RecordingState | null = null;
      while (Date.now() < deadline) {
        last = await state();
        if (predicate(last)) return last;
        await sleep(100);
      }
      throw new Error(`waited ${timeoutMs / 1000} s for ${what}; the recording state was: ${JSON.stringify(last)}`);
    },
    async badge() {
      return (await serviceWorker()).evaluate(async () => ({
        text: await chrome.action.getBadgeText({}),
        title: await chrome.action.getTitle({}),
      }));
    },
    async waitForDownload(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const done = readdirSync(downloads).filter((f) => !f.endsWith('.crdownload'));
        if (done.length > 0) return path.join(downloads, done[0]!);
        await sleep(100);
      }
      throw new Error(`no download arrived within ${timeoutMs / 1000} s`);
    },
    async saveEvidence(dir) {
      mkdirSync(dir, { recursive: true });
      const stateNow = await bounded(state(), 5000, 'the recording state').catch((error: unknown) => ({ unreadable: String(error) }));
      writeFileSync(path.join(dir, 'recording-state.json'), `${JSON.stringify(stateNow, null, 2)}\n`);
      writeFileSync(path.join(dir, 'targets.txt'), `${browser.targets().map((t) => `${t.type()} ${t.url()}`).join('\n')}\n`);
      writeFileSync(path.join(dir, 'offscreen-console.log'), `${consoleLog.join('\n')}\n`);
      // Which browser process is busy (a page stuck in a loop blocks its whole process).
      const ps = spawnSync('ps', ['-o', 'pid,pcpu,rss,etime,args', '--ppid', String(browser.process()?.pid ?? 0)], { encoding: 'utf8' });
      writeFileSync(path.join(dir, 'processes.txt'), ps.stdout.split('\n').map((l) => l.slice(0, 300)).join('\n'));
      // A page draws only while in front: bring each forward, and give up on one that hangs.
      let n = 0;
      for (const target of browser.targets().filter((t) => t.type() === 'page')) {
        const name = `${String(++n).padStart(2, '0')}-${target.url().replace(/^[a-z-]+:\/\/[^/]*\//, '').replace(/[^a-zA-Z0-9.-]+/g, '_').slice(0, 60) || 'blank'}.png`;
        await bounded(
          (async () => {
            const page = await target.asPage();
            await page.bringToFront();
            await page.screenshot({ path: path.join(dir, name) as `${string}.png` });
          })(),
          5000,
          `a screenshot of ${target.url()}`,
        ).catch((error: unknown) => writeFileSync(path.join(dir, `${name}.txt`), `${String(error)}\n`));
      }
    },
    async close() {
      await browser.close();
      if (!options.profileDir) rmSync(profile, { recursive: true, force: true });
    },
  };
  return studio;
}

/** `work`, or an error naming `what` after `timeoutMs`. */
export function bounded<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${timeoutMs / 1000} s for ${what}`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh folder for one test's downloads. */
export function freshDir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
