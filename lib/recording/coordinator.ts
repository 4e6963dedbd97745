import type { OffscreenProtocol, RecorderStartRequest, RequestOf, ResponseOf, StartResult } from '../messaging/protocol';
import { rgbOf } from '../media/chroma/backdrop';
import { cameraConstraints, videoBitsPerSecond, videoLimits } from '../media/quality';
import type { Settings } from '../settings';
import { checkTab, defaultTitle } from './naming';
import { isActive, shortcutAction, type RecordingError, type RecordingEvent, type RecordingSource, type RecordingState, type SessionEvent } from './state';

/** The recorder's leases on the offscreen document are named after their session. */
const RECORDER_LEASE = 'recorder:';


/** What the coordinator needs from the browser; the service worker passes chrome's, tests their own. */
export interface CoordinatorDeps {
  state: { get(): Promise<RecordingState>; apply(event: RecordingEvent): Promise<RecordingState> };
  /** Called with every state the coordinator applies (the badge is drawn from it). */
  onState(state: RecordingState): Promise<void>;
  tabs: {
    /** The tab's URL; null when there is no such tab. */
    url(tabId: number): Promise<string | null>;
    /** chrome.tabCapture's stream id for the tab; throws when Chrome refuses. */
    captureStreamId(tabId: number): Promise<string>;
    showInLibrary(itemId: string): Promise<void>;
  };
  offscreen: {
    acquire(lease: string): Promise<void>;
    release(lease: string): Promise<void>;
    releaseAll(prefix: string): Promise<void>;
    isOpen(): Promise<boolean>;
  };
  send<K extends keyof OffscreenProtocol & string>(type: K, request: RequestOf<OffscreenProtocol, K>): Promise<ResponseOf<OffscreenProtocol, K>>;
  settings(): Promise<Settings>;
  sourceLabel(source: RecordingSource): string;
  newSessionId(): string;
}

export type Coordinator = ReturnType<typeof createCoordinator>;

/**
 * The service worker's side of recording: it turns the user's clicks and shortcuts into
 * requests to the offscreen recorder, keeps the state machine, and holds the recorder's lease
 * on the offscreen document. It holds nothing in memory that a restart would lose.
 */
export function createCoordinator(deps: CoordinatorDeps) {
  async function apply(event: RecordingEvent): Promise<RecordingState> {
    const state = await deps.state.apply(event);
    await deps.onState(state);
    return state;
  }

  async function fail(sessionId: string, error: RecordingError): Promise<StartResult> {
    await apply({ type: 'failed', sessionId, error });
    return { ok: false, error };
  }

  async function start(source: RecordingSource, tabId: number | null): Promise<StartResult> {
    const sessionId = deps.newSessionId();
    // The session is claimed first: of two starts at once (a double click, a shortcut and a
    // click) only one is taken, and the other's failures cannot touch it.
    const requested = await apply({ type: 'start-requested', sessionId, source, tabId: source === 'tab' ? tabId : null });
    if (requested.sessionId !== sessionId) return { ok: false, error: { code: 'busy' } };

    let subject: string | null = null;
    let streamId: string | null = null;
    if (source === 'tab') {
      const tab = await checkTab(tabId, deps.tabs);
      if (!tab.ok) return fail(sessionId, tab.error);
      ({ streamId, subject } = tab);
    }
    const request = recorderRequest(sessionId, source, streamId, await deps.settings(), defaultTitle(deps.sourceLabel(source), subject));
    const lease = RECORDER_LEASE + sessionId;
    const stillOurs = async () => (await deps.state.get()).sessionId === sessionId;
    let result: StartResult;
    try {
      await deps.offscreen.acquire(lease);
      // Cancelled while Chrome was asked for the tab: nothing to start.
      result = (await stillOurs()) ? await deps.send('recorder/start', request) : { ok: false, error: { code: 'share-cancelled' } };
    } catch (error) {
      result = { ok: false, error: { code: 'capture-failed', detail: String(error) } };
    }
    if (!result.ok) {
      await apply({ type: 'failed', sessionId, error: result.error });
      await deps.offscreen.release(lease);
    } else if (!(await stillOurs())) {
      // Cancelled just as the capture began: end it; its 'finished' gives the lease back.
      await deps.send('recorder/stop', { sessionId }).catch(() => undefined);
    }
    return result;
  }

  /** Stops the recording; a start still waiting (the share picker open) is cancelled instead. */
  async function stop(): Promise<void> {
    const state = await deps.state.get();
    if (!isActive(state) || !state.sessionId) return;
    const { sessionId } = state;
    if (state.status === 'starting') {
      await apply({ type: 'cancelled', sessionId });
      await deps.send('recorder/cancel', { sessionId }).catch(() => undefined);
      return;
    }
    if (!(await deps.offscreen.isOpen())) {
      await apply({ type: 'interrupted', sessionId });
      await deps.offscreen.releaseAll(RECORDER_LEASE);
      return;
    }
    await deps.send('recorder/stop', { sessionId }).catch(() => undefined);
  }

  async function forward(type: 'recorder/pause' | 'recorder/resume'): Promise<void> {
    const state = await deps.state.get();
    if (!isActive(state) || !state.sessionId) return;
    await deps.send(type, { sessionId: state.sessionId }).catch(() => undefined);
  }

  async function onRecorderEvent(event: SessionEvent): Promise<void> {
    const current = (await deps.state.get()).sessionId === event.sessionId;
    if (current) await apply(event);
    if (event.type !== 'finished') return;
    // A session's end gives its lease back, even a session the state has moved on from.
    await deps.offscreen.release(RECORDER_LEASE + event.sessionId);
    // Show the result where the user can play, rename or download it.
    if (current && event.recordingId) await deps.tabs.showInLibrary(event.recordingId);
  }

  /** A recorder that vanished (its document crashed or was closed) leaves chunks for the Library to recover. */
  async function checkRecorderAlive(): Promise<void> {
    const state = await deps.state.get();
    if (!isActive(state) || state.status === 'starting' || !state.sessionId) return;
    if (await deps.offscreen.isOpen()) return;
    await apply({ type: 'interrupted', sessionId: state.sessionId });
    await deps.offscreen.releaseAll(RECORDER_LEASE);
  }

  async function onTabRemoved(tabId: number): Promise<void> {
    const state = await deps.state.get();
    if (isActive(state) && state.source === 'tab' && state.tabId === tabId) await stop();
  }

  async function onCommand(command: string, tabId: number | null): Promise<void> {
    switch (shortcutAction(command, (await deps.state.get()).status)) {
      case 'start-tab':
        return void (await start('tab', tabId));
      case 'stop':
        return stop();
      case 'pause':
        return forward('recorder/pause');
      case 'resume':
        return forward('recorder/resume');
    }
  }

  return {
    start,
    stop,
    pause: () => forward('recorder/pause'),
    resume: () => forward('recorder/resume'),
    dismiss: async () => void (await apply({ type: 'dismiss' })),
    onRecorderEvent,
    checkRecorderAlive,
    onTabRemoved,
    onCommand,
  };
}

/** What the recorder is asked to do, from the user's settings: capture specs, bitrate, countdown. */
export function recorderRequest(sessionId: string, source: RecordingSource, streamId: string | null, settings: Settings, title: string): RecorderStartRequest {
  const { quality, frameRate, tabAudio, microphone, microphoneId, countdownSeconds } = settings.recording;
  const limits = videoLimits(quality, frameRate);
  let capture: RecorderStartRequest['capture'];
  switch (source) {
    case 'tab':
      if (!streamId) throw new Error('a tab recording needs a stream id');
      capture = { kind: 'tab', streamId, audio: tabAudio, limits };
      break;
    case 'screen':
      capture = { kind: 'screen', audio: tabAudio, limits };
      break;
    case 'camera':
      capture = { kind: 'camera', deviceId: null, constraints: cameraConstraints(quality, frameRate) };
      break;
  }
  return {
    sessionId,
    capture,
    microphone: microphone ? { kind: 'microphone', deviceId: microphoneId || null } : null,
    format: { container: settings.recording.container, video: settings.recording.videoCodec, audio: settings.recording.audioCodec },
    videoBitsPerSecond: videoBitsPerSecond(quality, frameRate, settings.recording.videoBitrateKbps),
    audioBitsPerSecond: settings.recording.audioBitrateKbps * 1000,
    frameRate,
    countdownSeconds,
    title,
    background: settings.background.enabled
      ? { key: settings.background.key, colour: rgbOf(settings.background.colour), backdrop: settings.background.backdrop, engine: settings.background.engine }
      : null,
    bubble:
      settings.recording.cameraBubble && source !== 'camera'
        ? {
            camera: { kind: 'camera', deviceId: settings.camera.deviceId || null, constraints: cameraConstraints('720p', 30) },
            placement: { corner: settings.recording.bubbleCorner, size: settings.recording.bubbleSize, shape: settings.recording.bubbleShape, mirror: settings.recording.bubbleMirror },
          }
        : null,
  };
}

