import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ARTIFACTS } from './fixtures';
import { launchStudio, type FakeMedia, type LaunchOptions, type Studio } from './harness';
import type { RecordingState } from '../../lib/recording/state';
import { startPageServer } from './page-server';

export interface Session {
  studio: Studio;
  pages: Awaited<ReturnType<typeof startPageServer>>;
}

/** Where a failing test leaves its evidence; .ci/run prints this folder when tests fail. */
export const FAILURES = path.join(ARTIFACTS, 'failures');

/**
 * When a test fails, saves what the browser showed: a screenshot of each open page, the
 * recording state and the offscreen document's console (tests/.artifacts/failures/<test>/).
 */
export function saveEvidenceOnFailure(studio: () => Studio | null | undefined): void {
  afterEach(async (context) => {
    const current = studio();
    if (context.task.result?.state !== 'fail' || !current) return;
    const name = `${path.basename(context.task.file?.name ?? 'test')}-${context.task.name}`.replace(/[^a-zA-Z0-9.-]+/g, '_').slice(0, 120);
    const dir = path.join(FAILURES, name);
    await current.saveEvidence(dir).catch((error: unknown) => console.error('could not save evidence', error));
    console.error(`Evidence of the failure: ${dir}`);
  });
}

/** One browser with the extension, and the loopback page server, for a describe block. */
export function useStudio(media: FakeMedia = 'none', options?: LaunchOptions): Session {
  const session = {} as Session;
  beforeAll(async () => {
    session.pages = await startPageServer();
    session.studio = await launchStudio(media, options);
  });
  saveEvidenceOnFailure(() => session.studio);
  afterAll(async () => {
    await session.studio?.close();
    await session.pages?.close();
  });
  return session;
}

/** Opens the animated test page and starts recording it from the toolbar, as a person would. */
export async function startTabRecording({ studio, pages }: Session): Promise<{ page: Page; started: RecordingState }> {
  const page = await studio.openPage(pages.url('animated.html'));
  await page.waitForFunction('window.toneRunning()', { timeout: 10_000 });
  const popup = await studio.openPopup(page);
  await popup.click('[data-action="record-tab"]');
  const started = await studio.waitForState('the recording to start', (s) => s.status === 'recording', 15_000);
  return { page, started };
}

/** Clicks Stop in the toolbar popup and waits until the recording is in the Library. */
export async function stopFromPopup({ studio }: Session, page: Page): Promise<RecordingState> {
  const before = (await studio.state()).lastRecordingId;
  const popup = await studio.openPopup(page);
  await popup.click('[data-action="stop"]');
  return studio.waitForState('the recording to be saved in the Library', (s) => s.status === 'idle' && s.lastRecordingId !== null && s.lastRecordingId !== before);
}
