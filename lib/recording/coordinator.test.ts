import { describe, expect, it } from 'vitest';
import type { StartResult } from '../messaging/protocol';
import { DEFAULT_SETTINGS } from '../settings';
import { createCoordinator, recorderRequest, type CoordinatorDeps } from './coordinator';
import { IDLE_STATE, reduce, type RecordingState } from './state';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A coordinator over in-memory state, tabs and a scripted offscreen recorder. */
function setUp(options: { tabUrl?: string | null; refuseCapture?: boolean } = {}) {
  let state: RecordingState = IDLE_STATE;
  let queue: Promise<unknown> = Promise.resolve();
  const sent: { type: string; request: unknown }[] = [];
  const leases = new Set<string>();
  const shown: string[] = [];
  let documentOpen = false;
  let ids = 0;
  const starts: Deferred<StartResult>[] = [];
  const deps: CoordinatorDeps = {
    state: {
      get: async () => state,
      apply: (event) => {
        const next = queue.then(() => (state = reduce(state, event)));
        queue = next;
        return next;
      },
    },
    onState: async () => undefined,
    tabs: {
      url: async () => (options.tabUrl === undefined ? 'https://example.com/page' : options.tabUrl),
      captureStreamId: async () => {
        if (options.refuseCapture) throw new Error('Extension has not been invoked for the current page');
        return 'stream-1';
      },
      showInLibrary: async (id) => void shown.push(id),
    },
    offscreen: {
      acquire: async (lease) => {
        leases.add(lease);
        documentOpen = true;
      },
      release: async (lease) => {
        leases.delete(lease);
        if (leases.size === 0) documentOpen = false;
      },
      releaseAll: async (prefix) => {
        for (const lease of [...leases]) if (lease.startsWith(prefix)) leases.delete(lease);
        if (leases.size === 0) documentOpen = false;
      },
      isOpen: async () => documentOpen,
    },
    send: (async (type: string, request: unknown) => {
      sent.push({ type, request });
      if (type === 'recorder/start') {
        const answer = deferred<StartResult>();
        starts.push(answer);
        return answer.promise;
      }
      return undefined;
    }) as CoordinatorDeps['send'],
    settings: async () => DEFAULT_SETTINGS,
    sourceLabel: (source) => source,
    newSessionId: () => `s${++ids}`,
  };
  const until = async (predicate: () => boolean) => {
    for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 0));
    if (!predicate()) throw new Error('condition never held');
  };
  const coordinator = createCoordinator(deps);
  return {
    coordinator,
    /** Starts recording the tab and has the recorder report it started. */
    async record(tabId: number) {
      const start = coordinator.start('tab', tabId);
      await until(() => starts.length === 1);
      starts[0]!.resolve({ ok: true });
      await start;
      await coordinator.onRecorderEvent({ sessionId: 's1', type: 'started', at: 0 });
    },
    state: () => state,
    sent,
    leases,
    shown,
    starts,
    until,
    crashDocument: () => void (documentOpen = false),
  };
}

describe('the recording coordinator', () => {
  it('takes only one of two starts made at the same moment', async () => {
    const t = setUp();
    const first = t.coordinator.start('tab', 1);
    const second = t.coordinator.start('screen', null);
    expect(await second).toEqual({ ok: false, error: { code: 'busy' } });
    await t.until(() => t.starts.length === 1);
    t.starts[0]!.resolve({ ok: true });
    expect(await first).toEqual({ ok: true });
    expect(t.sent.filter((m) => m.type === 'recorder/start')).toHaveLength(1);
    expect(t.state()).toMatchObject({ status: 'starting', sessionId: 's1', source: 'tab' });
  });

  it('does not let a failing second start reset the first (the `failed` race)', async () => {
    const t = setUp({ tabUrl: 'https://chromewebstore.google.com/detail/x' });
    const first = t.coordinator.start('screen', null);
    await t.until(() => t.starts.length === 1);
    // A second start on an uncapturable tab, while the first waits for the share picker.
    expect(await t.coordinator.start('tab', 9)).toEqual({ ok: false, error: { code: 'busy' } });
    t.starts[0]!.resolve({ ok: true });
    await first;
    await t.coordinator.onRecorderEvent({ sessionId: 's1', type: 'started', at: 1 });
    // A late failure of some other session changes nothing either.
    await t.coordinator.onRecorderEvent({ sessionId: 's2', type: 'failed', error: { code: 'uncapturable-page' } });
    expect(t.state()).toMatchObject({ status: 'recording', sessionId: 's1', error: null });
  });

  it('explains an uncapturable tab without waking the offscreen document', async () => {
    const t = setUp({ refuseCapture: true });
    const result = await t.coordinator.start('tab', 3);
    expect(result).toMatchObject({ ok: false, error: { code: 'uncapturable-page', detail: /not been invoked/ } });
    expect(t.state()).toMatchObject({ status: 'idle', error: { code: 'uncapturable-page' } });
    expect(t.leases.size).toBe(0);
    expect(t.sent).toEqual([]);
  });

  it('cancels a start that waits for the share picker, and closes the document', async () => {
    const t = setUp();
    const start = t.coordinator.start('screen', null);
    await t.until(() => t.starts.length === 1);
    await t.coordinator.stop();
    expect(t.state()).toMatchObject({ status: 'idle', error: null });
    expect(t.sent.map((m) => m.type)).toEqual(['recorder/start', 'recorder/cancel']);
    // The recorder answers the cancelled start; that answer is no error for the user.
    t.starts[0]!.resolve({ ok: false, error: { code: 'share-cancelled' } });
    await start;
    expect(t.state()).toMatchObject({ status: 'idle', error: null });
    expect(t.leases.size).toBe(0);
  });

  it('gives the lease back when the recording is saved, and shows it in the Library', async () => {
    const t = setUp();
    await t.record(1);
    expect([...t.leases]).toEqual(['recorder:s1']);
    await t.coordinator.stop();
    expect(t.sent.at(-1)).toEqual({ type: 'recorder/stop', request: { sessionId: 's1' } });
    await t.coordinator.onRecorderEvent({ sessionId: 's1', type: 'finalizing', at: 2000 });
    await t.coordinator.onRecorderEvent({ sessionId: 's1', type: 'finished', recordingId: 's1' });
    expect(t.state()).toMatchObject({ status: 'idle', lastRecordingId: 's1', notice: 'recording-saved' });
    expect(t.leases.size).toBe(0);
    expect(t.shown).toEqual(['s1']);
  });

  it('notices a recorder whose document died, and frees its lease', async () => {
    const t = setUp();
    await t.record(1);
    await t.coordinator.checkRecorderAlive();
    expect(t.state().status).toBe('recording');
    t.crashDocument();
    await t.coordinator.checkRecorderAlive();
    expect(t.state()).toMatchObject({ status: 'idle', notice: 'recording-interrupted' });
    expect(t.leases.size).toBe(0);
  });

  it('stops the recording when its tab is closed, and only then', async () => {
    const t = setUp();
    await t.record(5);
    await t.coordinator.onTabRemoved(6);
    expect(t.sent.map((m) => m.type)).not.toContain('recorder/stop');
    await t.coordinator.onTabRemoved(5);
    expect(t.sent.at(-1)?.type).toBe('recorder/stop');
  });
});

describe('what the recorder is asked to do', () => {
  it('follows the settings: quality limits, tab sound, microphone, countdown', () => {
    const settings = { ...DEFAULT_SETTINGS, recording: { ...DEFAULT_SETTINGS.recording, quality: '1080p' as const, microphone: true, microphoneId: 'mic-2', countdownSeconds: 3 as const } };
    const request = recorderRequest('s', 'tab', 'stream', settings, 'Tab · example.com');
    expect(request.capture).toEqual({ kind: 'tab', streamId: 'stream', audio: true, limits: { width: 1920, height: 1080, frameRate: 30 } });
    expect(request.microphone).toEqual({ kind: 'microphone', deviceId: 'mic-2' });
    expect(request).toMatchObject({ videoBitsPerSecond: 8_000_000, audioBitsPerSecond: 128_000, frameRate: 30, countdownSeconds: 3 });
    // The default type: H.264 in MP4, the cheapest to record (the recorder checks the browser has it).
    expect(request.format).toEqual({ container: 'mp4', video: 'h264', audio: 'opus' });
    const sixty = recorderRequest('s', 'screen', null, { ...settings, recording: { ...settings.recording, frameRate: 60, videoBitrateKbps: 2500 } }, 'Screen');
    expect(sixty.capture).toMatchObject({ limits: { frameRate: 60 } });
    expect(sixty.videoBitsPerSecond).toBe(2_500_000);
    const camera = recorderRequest('s', 'camera', null, DEFAULT_SETTINGS, 'Camera');
    expect(camera.capture).toEqual({ kind: 'camera', deviceId: null, constraints: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } } });
    expect(camera.microphone).toBeNull();
    expect(() => recorderRequest('s', 'tab', null, DEFAULT_SETTINGS, 'x')).toThrow(/stream id/);
  });

  it('adds the camera bubble to a tab or screen (the Studio\'s camera, mirrored as chosen) and the virtual background, only when they are on', () => {
    expect(recorderRequest('s', 'tab', 'stream', DEFAULT_SETTINGS, 'T')).toMatchObject({ background: null, bubble: null });
    const settings = {
      ...DEFAULT_SETTINGS,
      recording: { ...DEFAULT_SETTINGS.recording, cameraBubble: true, bubbleCorner: 'top-left' as const, bubbleMirror: false },
      camera: { ...DEFAULT_SETTINGS.camera, deviceId: 'cam-2' },
      background: { enabled: true, backdrop: 'dusk' as const, colour: '#ff0080', engine: 'wasm' as const, key: null },
    };
    const tab = recorderRequest('s', 'tab', 'stream', settings, 'T');
    expect(tab.background).toEqual({ key: null, colour: [255, 0, 128], backdrop: 'dusk', engine: 'wasm' });
    expect(tab.bubble).toMatchObject({ camera: { kind: 'camera', deviceId: 'cam-2' }, placement: { corner: 'top-left', size: 'medium', shape: 'circle', mirror: false } });
    // A camera recording is the camera already: no bubble over it.
    expect(recorderRequest('s', 'camera', null, settings, 'C').bubble).toBeNull();
  });
});
