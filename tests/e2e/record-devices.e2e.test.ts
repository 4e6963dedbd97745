import { describe, expect, it } from 'vitest';
import { CAMERA_SIZE } from './fixtures';
import { sleep } from './harness';
import { stopFromPopup, useStudio } from './session';
import { downloadFromLibrary } from './library-helpers';
import { decodeErrors, frameColorAt, hasIndex, probe, toneStrength } from './media';
import { waitUntil } from './wait';

describe('recording the camera with the microphone', () => {
  const session = useStudio('devices');

  it('asks for access on a visible page first, then records the camera and the microphone', async () => {
    const page = await session.studio.openPage('about:blank');
    let popup = await session.studio.openPopup(page);
    await popup.click('input[data-setting="microphone"]');
    // The offscreen recorder cannot prompt: the popup sends the user to a page that explains and asks.
    const grant = await session.studio.waitForPage('the permission page', (u) => u.startsWith(session.studio.url('permissions.html')));
    await grant.waitForSelector('[data-action="grant"]');
    expect(await grant.$eval('main', (e) => e.textContent)).toContain('microphone');
    await grant.click('[data-action="grant"]');
    await waitUntil(grant, 'access to be granted', () => document.body.textContent?.includes('Access granted'));
    await grant.close();

    popup = await session.studio.openPopup(page);
    expect(await popup.$eval('input[data-setting="microphone"]', (e) => (e as HTMLInputElement).checked)).toBe(true);
    await popup.click('[data-action="record-camera"]');
    // Access not remembered yet: one click on the page grants it and starts the camera recording.
    const cameraPage = await session.studio.waitForPage('the permission page that records the camera', (u) => u.startsWith(session.studio.url('permissions.html')) && u.includes('then=camera'));
    await cameraPage.waitForSelector('[data-action="grant"]');
    expect(await cameraPage.$eval('[data-action="grant"]', (e) => e.textContent)).toBe('Allow access and start recording');
    await cameraPage.click('[data-action="grant"]');
    const started = await session.studio.waitForState('the recording to start', (s) => s.status === 'recording');
    expect(started.source).toBe('camera');
    await waitUntil(cameraPage, 'the page to say it is recording', () => document.body.textContent?.includes('Recording.'));
    await sleep(3000);
    const done = await stopFromPopup(session, page);
    expect(done.error).toBeNull();

    const { file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    const info = probe(file);
    expect(info.video).toMatchObject(CAMERA_SIZE);
    expect(info.duration).toBeGreaterThan(2.5);
    expect(info.duration).toBeLessThan(3.6);
    expect(hasIndex(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
    // The clip's green field and the microphone's 440 Hz tone.
    const [r, g, b] = frameColorAt(file, 1);
    expect(g).toBeGreaterThan(150);
    expect(r + b).toBeLessThan(120);
    const tone = toneStrength(file, 440);
    expect(tone.rmsDb).toBeGreaterThan(-35);
    expect(tone.share).toBeGreaterThan(0.5);
  });
});

describe('a microphone that is gone', () => {
  const session = useStudio('devices');

  it('says so where the user is looking, and records nothing half-set-up', async () => {
    // The microphone chosen last time has been unplugged: its device id no longer exists.
    await (await session.studio.serviceWorker()).evaluate(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as { settings?: { recording?: object } };
      await chrome.storage.local.set({ settings: { ...settings, recording: { ...settings?.recording, microphone: true, microphoneId: 'unplugged-usb-mic' } } });
    });
    const page = await session.studio.openPage('about:blank');
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="record-camera"]');
    const grant = await session.studio.waitForPage('the permission page that records the camera', (u) => u.includes('permissions.html') && u.includes('then=camera'));
    await grant.waitForSelector('[data-action="grant"]');
    await grant.click('[data-action="grant"]');
    await grant.waitForSelector('.notice-error');
    expect(await grant.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/^No microphone was found/);
    const state = await session.studio.state();
    expect(state).toMatchObject({ status: 'idle', error: { code: 'no-microphone' } });
    expect(await session.studio.offscreenDocument()).toBeNull();
  });
});

describe('a machine without a camera', () => {
  const session = useStudio('no-devices');

  it('says no camera was found, not that access was refused', async () => {
    const page = await session.studio.openPage('about:blank');
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="record-camera"]');
    // Wherever the user is sent (the page that asks for access, or straight to recording), it
    // says what is wrong.
    const grant = await session.studio.waitForPage('the permission page that records the camera', (u) => u.includes('permissions.html') && u.includes('then=camera'));
    await grant.waitForSelector('[data-action="grant"]', { timeout: 10_000 });
    await grant.click('[data-action="grant"]');
    await grant.waitForSelector('.notice-error', { timeout: 10_000 });
    expect(await grant.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/^No camera was found/);
    expect(await grant.$eval('.notice-error .notice-detail', (e) => e.textContent)).toMatch(/NotFoundError/);
    expect((await session.studio.state()).status).toBe('idle');
  });

  it('the camera Studio says the same', async () => {
    const studio = await session.studio.openPage(session.studio.url('studio.html'));
    await studio.waitForSelector('[data-action="start-camera"]', { timeout: 10_000 });
    await studio.click('[data-action="start-camera"]');
    await studio.waitForSelector('.notice-error', { timeout: 10_000 });
    expect(await studio.$eval('.notice-error .notice-message', (e) => e.textContent)).toMatch(/^No camera was found/);
    await studio.close();
  });
});

describe('recording a screen', () => {
  const session = useStudio('screen');

  it('records the shared screen into the Library', async () => {
    const page = await session.studio.openPage('about:blank');
    const popup = await session.studio.openPopup(page);
    await popup.click('[data-action="record-screen"]');
    const started = await session.studio.waitForState('the recording to start', (s) => s.status === 'recording', 15_000);
    expect(started.source).toBe('screen');
    await sleep(2500);
    const done = await stopFromPopup(session, page);
    expect(done.error).toBeNull();

    const { file } = await downloadFromLibrary(session.studio, done.lastRecordingId!);
    const info = probe(file);
    expect(info.video!.width).toBeGreaterThan(0);
    expect(info.video!.frames).toBeGreaterThanOrEqual(10);
    expect(info.duration).toBeGreaterThan(2);
    expect(info.duration).toBeLessThan(3.6);
    expect(hasIndex(file)).toBe(true);
    expect(decodeErrors(file)).toBe('');
  });
});
