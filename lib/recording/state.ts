/**
 * The recording state machine. The service worker is its only writer: it applies the events
 * the offscreen recorder reports and keeps the result in session storage, where a restarted
 * service worker and every open popup find it.
 *
 *   idle → starting → (countdown →) recording ⇄ paused → finalizing → idle
 *   any step before finalizing → idle on failure, with the error kept for the popup
 */
export type RecordingSource = 'tab' | 'screen' | 'camera';

export type RecordingStatus = 'idle' | 'starting' | 'countdown' | 'recording' | 'paused' | 'finalizing';

export type RecordingErrorCode =
  | 'uncapturable-page'
  | 'permission-denied'
  | 'no-microphone'
  | 'no-camera'
  | 'share-cancelled'
  | 'storage-full'
  | 'storage-write-failed'
  | 'busy'
  | 'capture-failed'
  | 'recorder-crashed';

export interface RecordingError {
  code: RecordingErrorCode;
  /** The browser's own words, shown small under our explanation. */
  detail?: string;
}

export type RecordingNotice = 'storage-low' | 'recording-saved' | 'recording-interrupted';

export interface RecordingState {
  status: RecordingStatus;
  sessionId: string | null;
  source: RecordingSource | null;
  /** The recorded tab, so closing it can end the recording. */
  tabId: number | null;
  countdownEndsAt: number | null;
  /** When the current stretch of recording began; null while paused or not recording. */
  activeSince: number | null;
  /** Recorded time before the current stretch (pauses excluded). */
  accumulatedMs: number;
  bytes: number;
  /** Chunks safely stored so far. */
  chunks: number;
  /** Video frames the capture has delivered, where the browser counts them. */
  frames: number | null;
  error: RecordingError | null;
  notice: RecordingNotice | null;
  lastRecordingId: string | null;
}

export type RecordingEvent =
  | { type: 'start-requested'; sessionId: string; source: RecordingSource; tabId: number | null }
  | { type: 'countdown'; endsAt: number }
  | { type: 'started'; at: number }
  | { type: 'paused'; at: number }
  | { type: 'resumed'; at: number }
  | { type: 'progress'; bytes: number; chunks: number; frames: number | null }
  | { type: 'storage-low' }
  | { type: 'finalizing'; at: number }
  | { type: 'finished'; recordingId: string | null; error?: RecordingError }
  | { type: 'failed'; error: RecordingError }
  | { type: 'interrupted' }
  | { type: 'dismiss' };

export const IDLE_STATE: RecordingState = {
  status: 'idle',
  sessionId: null,
  source: null,
  tabId: null,
  countdownEndsAt: null,
  activeSince: null,
  accumulatedMs: 0,
  bytes: 0,
  chunks: 0,
  frames: null,
  error: null,
  notice: null,
  lastRecordingId: null,
};

export function isActive(state: RecordingState): boolean {
  return state.status !== 'idle';
}

/** Applies an event; an event that does not fit the current status leaves the state as it is. */
export function reduce(state: RecordingState, event: RecordingEvent): RecordingState {
  switch (event.type) {
    case 'start-requested':
      if (state.status !== 'idle') return state;
      return {
        ...IDLE_STATE,
        status: 'starting',
        sessionId: event.sessionId,
        source: event.source,
        tabId: event.tabId,
        lastRecordingId: state.lastRecordingId,
      };
    case 'countdown':
      if (state.status !== 'starting') return state;
      return { ...state, status: 'countdown', countdownEndsAt: event.endsAt };
    case 'started':
      if (state.status !== 'starting' && state.status !== 'countdown') return state;
      return { ...state, status: 'recording', countdownEndsAt: null, activeSince: event.at, accumulatedMs: 0 };
    case 'paused':
      if (state.status !== 'recording') return state;
      return {
        ...state,
        status: 'paused',
        accumulatedMs: state.accumulatedMs + Math.max(0, event.at - (state.activeSince ?? event.at)),
        activeSince: null,
      };
    case 'resumed':
      if (state.status !== 'paused') return state;
      return { ...state, status: 'recording', activeSince: event.at };
    case 'progress':
      if (state.status === 'idle') return state;
      return { ...state, bytes: event.bytes, chunks: event.chunks, frames: event.frames };
    case 'storage-low':
      if (state.status === 'idle') return state;
      return { ...state, notice: 'storage-low' };
    case 'finalizing':
      if (state.status !== 'recording' && state.status !== 'paused') return state;
      return { ...state, status: 'finalizing', accumulatedMs: elapsedMs(state, event.at), activeSince: null };
    case 'finished':
      if (state.status === 'idle') return state;
      return {
        ...IDLE_STATE,
        error: event.error ?? null,
        notice: event.recordingId ? 'recording-saved' : null,
        lastRecordingId: event.recordingId ?? state.lastRecordingId,
      };
    case 'failed':
      return { ...IDLE_STATE, error: event.error, lastRecordingId: state.lastRecordingId };
    case 'interrupted':
      if (state.status === 'idle') return state;
      return { ...IDLE_STATE, notice: 'recording-interrupted', lastRecordingId: state.lastRecordingId };
    case 'dismiss':
      return { ...state, error: null, notice: null };
  }
}

/** Recorded time so far, pauses excluded. */
export function elapsedMs(state: RecordingState, now: number): number {
  const running = state.activeSince === null ? 0 : Math.max(0, now - state.activeSince);
  return state.accumulatedMs + running;
}

export type ShortcutAction = 'start-tab' | 'stop' | 'pause' | 'resume' | null;

/** What a keyboard shortcut (manifest `commands`) does in the current state. */
export function shortcutAction(command: string, status: RecordingStatus): ShortcutAction {
  if (command === 'toggle-recording') return status === 'idle' ? 'start-tab' : 'stop';
  if (command === 'toggle-pause') return status === 'recording' ? 'pause' : status === 'paused' ? 'resume' : null;
  return null;
}
