import type { Page } from 'puppeteer';
import { afterAll, beforeAll } from 'vitest';
import { launchStudio, type FakeMedia, type LaunchOptions, type Studio } from './harness';
import type { RecordingState } from '../../lib/recording/state';
import { startPageServer } from './page-server';

export interface Session {
  studio: Studio;
  pages: Awaited<ReturnType<typeof startPageServer>>;
}

/** One browser with the extension, and the loopback page server, for a describe block. */
export function useStudio(media: FakeMedia = 'none', options?: LaunchOptions): Session {
  const session = {} as Session;
  beforeAll(async () => {
    session.pages = await startPageServer();
    session.studio = await launchStudio(media, options);
  });
  afterAll(async () => {
    await session.studio?.close();
    await session.pages?.close();
  });
  return session;
}

/** Opens the animated test page and starts recording it from the toolbar, as a person would. */
export async function startTabRecording({ studio, pages }: Session): Promise<{ page: Page; started: RecordingState }> {
  const page = await studio.openPage(pages.url('animated.html'));
  await page.waitForFunction('window.toneRunning()');
  const popup = await studio.openPopup(page);
  await popup.click('[data-action="record-tab"]');
  const started = await studio.waitForState((s) => s.status === 'recording', 15_000);
  return { page, started };
}

/** Clicks Stop in the toolbar popup and waits until the recording is in the Library. */
export async function stopFromPopup({ studio }: Session, page: Page): Promise<RecordingState> {
  const before = (await studio.state()).lastRecordingId;
  const popup = await studio.openPopup(page);
  await popup.click('[data-action="stop"]');
  return studio.waitForState((s) => s.status === 'idle' && s.lastRecordingId !== null && s.lastRecordingId !== before);
}
