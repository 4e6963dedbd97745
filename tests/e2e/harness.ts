import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer';
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
 */
export type FakeMedia = 'none' | 'devices' | 'screen';

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
  state(): Promise<RecordingState>;
  waitForState(predicate: (state: RecordingState) => boolean, timeoutMs?: number): Promise<RecordingState>;
  badge(): Promise<{ text: string; title: string }>;
  waitForDownload(timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Put the profile here (a small disk, say) instead of a fresh temporary folder. */
  profileDir?: string;
  /** The UI language, e.g. 'zh-CN'. */
  lang?: string;
  /** The window, and so the captured tab, size. */
  windowSize?: { width: number; height: number };
}

export async function launchStudio(media: FakeMedia = 'none', options: LaunchOptions = {}): Promise<Studio> {
  const profile = options.profileDir ?? mkdtempSync(path.join(tmpdir(), 'studio-profile-'));
  const downloads = mkdtempSync(path.join(tmpdir(), 'studio-downloads-'));
  const args = [
    ...OFFLINE_ARGS,
    `--lang=${options.lang ?? 'en-US'}`,
    `--window-size=${options.windowSize?.width ?? 800},${options.windowSize?.height ?? 600}`,
    '--autoplay-policy=no-user-gesture-required',
    `--load-extension=${EXTENSION_PATH}`,
    `--disable-extensions-except=${EXTENSION_PATH}`,
  ];
  if (media === 'devices') {
    args.push(
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${FIXTURES.cameraVideo}`,
      `--use-file-for-fake-audio-capture=${FIXTURES.microphoneAudio}`,
      '--auto-accept-camera-and-microphone-capture',
    );
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
      return page;
    },
    async openPopup(page) {
      const extension = (await browser.extensions()).get(extensionId);
      if (!extension) throw new Error('extension not installed');
      await page.bringToFront();
      await page.triggerExtensionAction(extension);
      const target = await browser.waitForTarget((t) => t.url() === url('popup.html'), { timeout: 10_000 });
      const popup = await target.asPage();
      await popup.waitForSelector('main');
      return popup;
    },
    async offscreenDocument() {
      const target = browser.targets().find((t) => t.url() === url('offscreen.html'));
      return target ? target.asPage() : null;
    },
    state,
    async waitForState(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: RecordingState | null = null;
      while (Date.now() < deadline) {
        last = await state();
        if (predicate(last)) return last;
        await sleep(100);
      }
      throw new Error(`recording state never matched; last: ${JSON.stringify(last)}`);
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
      throw new Error('no download arrived');
    },
    async close() {
      await browser.close();
      if (!options.profileDir) rmSync(profile, { recursive: true, force: true });
    },
  };
  return studio;
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
