import type { Page } from 'puppeteer';

/**
 * Waits until `condition` holds in the page, at most `timeoutMs`; the failure names what was
 * awaited (puppeteer's own says only how long it waited). It checks every 100 ms: puppeteer's
 * default checks once per animation frame, and a tab in the background draws no frames, so a
 * condition that became true there was never seen.
 */
export async function waitUntil<A>(page: Page, what: string, condition: (arg: A) => unknown, arg?: A, timeoutMs = 10_000): Promise<void> {
  await page.waitForFunction(condition as (arg: unknown) => unknown, { timeout: timeoutMs, polling: 100 }, arg).catch((error: unknown) => {
    throw new Error(`waited ${timeoutMs / 1000} s for ${what} on ${page.url()}: ${String(error)}`);
  });
}
