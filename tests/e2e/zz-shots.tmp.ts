import { FIXTURES, ensureFixtures } from './fixtures';
import { launchStudio } from './harness';
import { openStudio } from './studio-helpers';
ensureFixtures();
for (const lang of ['en', 'zh-CN']) {
  const studio = await launchStudio('devices', { cameraClip: FIXTURES.greenScreenVideo, grantMedia: true, lang, windowSize: { width: 800, height: 1000 } });
  for (const scheme of ['light', 'dark']) {
    const page = await studio.openPage(studio.url('studio.html'));
    await page.setViewport({ width: 800, height: 1000 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await openStudio(page);
    if (!(await page.$eval('input[data-setting="background"]', (e) => (e as HTMLInputElement).checked))) await page.click('input[data-setting="background"]');
    await page.waitForSelector('[data-testid="key-engine"]', { timeout: 15000 });
    await page.click('button[data-action="eyedropper"]');
    await new Promise((r) => setTimeout(r, 800));
    const panel = (await page.$('[data-testid="virtual-background"]'))!;
    await panel.screenshot({ path: `/tmp/shots/studio-panel-${lang}-${scheme}.png` });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `/tmp/shots/studio-top-${lang}-${scheme}.png` });
    await page.close();
    const options = await studio.openPage(studio.url('options.html'));
    await options.setViewport({ width: 800, height: 1000 });
    await options.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    const section = (await options.waitForSelector('[data-section="background"]'))!;
    await section.screenshot({ path: `/tmp/shots/options-bg-${lang}-${scheme}.png` });
    await options.close();
  }
  await studio.close();
}
