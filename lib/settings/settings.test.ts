import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, getSettings, installSettingsStore, parseSettings, updateSettings, watchSettings } from './index';
import { extensionSettingsStore } from './extension';
import { webSettingsStore } from './web';

describe('settings in the extension', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    installSettingsStore(extensionSettingsStore);
  });

  it('starts from the defaults', async () => {
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.recording).toEqual({
      microphone: false,
      microphoneId: '',
      tabAudio: true,
      quality: '720p',
      frameRate: 30,
      container: 'mp4',
      videoCodec: 'h264',
      audioCodec: 'opus',
      videoBitrateKbps: 0,
      audioBitrateKbps: 128,
      countdownSeconds: 0,
      cameraBubble: false,
      bubbleCorner: 'bottom-right',
      bubbleSize: 'medium',
      bubbleShape: 'circle',
      bubbleMirror: true,
    });
  });

  it('keeps a call\'s settings only when they are valid', async () => {
    expect(DEFAULT_SETTINGS.call).toMatchObject({ signalingUrl: 'ws://127.0.0.1:8787/ws', relayOnly: false, videoCodec: 'auto', maxBitrateKbps: 0 });
    expect(parseSettings({ call: { signalingUrl: 'javascript:alert(1)', videoCodec: 'hevc', maxBitrateKbps: 123 } }).call).toEqual(DEFAULT_SETTINGS.call);
    const updated = await updateSettings('call', { signalingUrl: 'wss://signal.example.org/ws', relayOnly: true });
    expect(updated.call).toMatchObject({ signalingUrl: 'wss://signal.example.org/ws', relayOnly: true });
    // An invalid address keeps the last good one.
    expect((await updateSettings('call', { signalingUrl: 'http://example.org' })).call.signalingUrl).toBe('wss://signal.example.org/ws');
  });

  it('keeps a virtual background only when it is valid: off by default, the key found from the picture', async () => {
    expect(DEFAULT_SETTINGS.background).toEqual({ enabled: false, backdrop: 'colour', colour: '#2f4858', engine: 'auto', key: null });
    const bad = parseSettings({ background: { enabled: 'yes', backdrop: '../../etc', colour: 'red; x', engine: 'cuda', key: { keyColor: [0, 300, 0], similarity: 0.2, smoothness: 0.1, spill: 0.1 } } });
    expect(bad.background).toEqual(DEFAULT_SETTINGS.background);
    const key = { keyColor: [40, 200, 60] as [number, number, number], similarity: 0.02, smoothness: 0.015, spill: 0.1 };
    const updated = await updateSettings('background', { enabled: true, backdrop: 'sky', colour: '#ff00ff', engine: 'gpu', key });
    expect(updated.background).toEqual({ enabled: true, backdrop: 'sky', colour: '#ff00ff', engine: 'gpu', key });
    expect((await updateSettings('background', { backdrop: 'transparent' })).background.backdrop).toBe('transparent');
    expect((await updateSettings('background', { backdrop: 'blur' })).background.backdrop).toBe('blur');
  });

  it('keeps an update and tells watchers', async () => {
    const seen: boolean[] = [];
    const unwatch = watchSettings((s) => seen.push(s.recording.microphone));
    const next = await updateSettings('recording', { microphone: true, quality: '1080p' });
    expect(next.recording.microphone).toBe(true);
    expect((await getSettings()).recording).toMatchObject({ microphone: true, quality: '1080p', tabAudio: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toContain(true);
    unwatch();
  });

  it('applies updates made at the same moment one after another', async () => {
    await Promise.all([updateSettings('recording', { microphone: true }), updateSettings('recording', { tabAudio: false })]);
    expect((await getSettings()).recording).toMatchObject({ microphone: true, tabAudio: false });
  });

  it('repairs invalid stored values field by field', () => {
    const repaired = parseSettings({
      recording: { microphone: 'yes', quality: '8k', countdownSeconds: 7, tabAudio: false, microphoneId: 42 },
    });
    expect(repaired.recording).toEqual({ ...DEFAULT_SETTINGS.recording, tabAudio: false });
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings([1, 2])).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ recording: 'x' })).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ recording: { microphoneId: 'x'.repeat(513) } }).recording.microphoneId).toBe('');
  });

  it('rejects an update that would store an invalid value, keeping the current one', async () => {
    await updateSettings('recording', { countdownSeconds: 3 });
    await updateSettings('recording', { countdownSeconds: 5 as 3, quality: '480p' });
    expect((await getSettings()).recording).toMatchObject({ countdownSeconds: 3, quality: '480p' });
  });
});

describe('settings in a web page', () => {
  it('live in localStorage and come back parsed', async () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) } as Storage;
    const events = new EventTarget() as unknown as Window;
    installSettingsStore(webSettingsStore(storage, events));
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
    await updateSettings('recording', { quality: '480p' });
    expect((await getSettings()).recording.quality).toBe('480p');
    map.set('webrtc-studio:settings', '{not json');
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('the camera section', () => {
  it('starts mirrored at 720p30 with no filter, and repairs what is stored', () => {
    expect(DEFAULT_SETTINGS.camera).toEqual({ deviceId: '', microphoneId: '', resolution: '720p', frameRate: 30, mirror: true, filters: {}, countdownSeconds: 0, burst: 1 });
    const repaired = parseSettings({ camera: { resolution: '8k', frameRate: 24, filters: { sepia: 50, evil: 1, blur: 'x' }, burst: 10, countdownSeconds: 10 } });
    expect(repaired.camera).toMatchObject({ resolution: '720p', frameRate: 30, filters: { sepia: 50 }, burst: 10, countdownSeconds: 10 });
  });
});

describe('updating the camera section', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    installSettingsStore(extensionSettingsStore);
  });

  it('keeps a filter selection (an object) and refuses an invalid strength', async () => {
    await updateSettings('camera', { filters: { sepia: 100, blur: 5 } });
    expect((await getSettings()).camera.filters).toEqual({ sepia: 100, blur: 5 });
    await updateSettings('camera', { filters: { sepia: 100, blur: 999 } });
    expect((await getSettings()).camera.filters).toEqual({ sepia: 100, blur: 5 });
  });
});
