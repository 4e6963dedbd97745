import type { Page } from 'puppeteer';
import { sleep, type Studio } from '../tests/e2e/harness';
import { chromiumCpuSeconds } from './proc';

/**
 * A recording made from the toolbar popup (`record-tab` or `record-camera`), `seconds` long after
 * a second to settle, with the whole browser's CPU meanwhile (cores); waits until it is saved.
 */
export async function recordFromPopup(studio: Studio, page: Page, action: 'record-tab' | 'record-camera', seconds: number): Promise<{ cores: number; recordingId: string }> {
  const popup = await studio.openPopup(page);
  await popup.click(`[data-action="${action}"]`);
  const started = await studio.waitForState('the recording to start', (s) => s.status === 'recording', 20_000);
  await sleep(1000);
  const cpuFrom = chromiumCpuSeconds();
  const at = Date.now();
  await sleep(seconds * 1000);
  const cores = (chromiumCpuSeconds() - cpuFrom) / ((Date.now() - at) / 1000);
  const stopper = await studio.openPopup(page);
  await stopper.click('[data-action="stop"]');
  const done = await studio.waitForState('the recording to be saved', (s) => s.status === 'idle' && s.lastRecordingId !== null && s.sessionId !== started.sessionId, 120_000);
  return { cores, recordingId: done.lastRecordingId! };
}
