import type { VideoSourceKind } from '../media/capture';
import type { CaptureErrorCode } from '../media/errors';

/**
 * The recording state machine. The service worker is its only writer: it applies the events
 * the offscreen recorder reports and keeps the result in session storage, where a restarted
 * service worker and every open popup find it.
 *
 *   idle → starting → (countdown →) recording ⇄ paused → finalizing → idle
 *   any step before finalizing → idle on failure (the error kept for the popup) or on cancel
 *
 * Every event but the user's "dismiss" names its session, and an event of any session but the
 * current one changes nothing: a late failure of a start that was refused, cancelled or
 * superseded can never reset the recording that is running.
 */
/** What the toolbar records (a call is recorded by its own page). */
export type RecordingSource = Exclude<VideoSourceKind, 'call'>;

export type RecordingStatus = 'idle' | 'starting' | 'countdown' | 'recording' | 'paused' | 'finalizing';

export type RecordingErrorCode =
  | CaptureErrorCode
  | 'uncapturable-page'
  | 'start-timed-out'
  | 'storage-full'
  | 'storage-write-failed'
  | 'busy'
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
  /** The Library item the last recording became, for the popup's notice and the tests. */
  lastRecordingId: string | null;
}

export type SessionEvent = { sessionId: string } & (
  | { type: 'start-requested'; source: RecordingSource; tabId: number | null }
  | { type: 'countdown'; endsAt: number }
  | { type: 'started'; at: number }
  | { type: 'paused'; at: number }
  | { type: 'resumed'; at: number }
  | { type: 'progress'; bytes: number; chunks: number; frames: number | null }
  | { type: 'storage-low' }
  | { type: 'finalizing'; at: number }
  | { type: 'finished'; recordingId: string | null; error?: RecordingError }
  | { type: 'failed'; error: RecordingError }
  | { type: 'cancelled' }
  | { type: 'interrupted' }
);

export type RecordingEvent = SessionEvent | { type: 'dismiss' };

/** An event as its session reports it, before the session id is added. */
export type SessionEventBody = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'sessionId'> : never) : never;

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

/** Applies an event; an event that does not fit the current status or session leaves the state as it is. */
export function reduce(state: RecordingState, event: RecordingEvent): RecordingState {
  if (event.type === 'dismiss') return state.error || state.notice ? { ...state, error: null, notice: null } : state;
  if (event.type === 'start-requested') {
    if (state.status !== 'idle') return state;
    return {
      ...IDLE_STATE,
      status: 'starting',
      sessionId: event.sessionId,
      source: event.source,
      tabId: event.tabId,
      lastRecordingId: state.lastRecordingId,
    };
  }
  if (event.sessionId !== state.sessionId || state.status === 'idle') return state;
  switch (event.type) {
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
      return { ...state, bytes: event.bytes, chunks: event.chunks, frames: event.frames };
    case 'storage-low':
      return { ...state, notice: 'storage-low' };
    case 'finalizing':
      if (state.status !== 'recording' && state.status !== 'paused') return state;
      return { ...state, status: 'finalizing', accumulatedMs: elapsedMs(state, event.at), activeSince: null };
    case 'finished':
      return {
        ...IDLE_STATE,
        error: event.error ?? null,
        notice: event.recordingId ? 'recording-saved' : null,
        lastRecordingId: event.recordingId ?? state.lastRecordingId,
      };
    case 'failed':
      if (state.status === 'finalizing') return state;
      return { ...IDLE_STATE, error: event.error, lastRecordingId: state.lastRecordingId };
    case 'cancelled':
      if (state.status !== 'starting' && state.status !== 'countdown') return state;
      return { ...IDLE_STATE, lastRecordingId: state.lastRecordingId };
    case 'interrupted':
      return { ...IDLE_STATE, notice: 'recording-interrupted', lastRecordingId: state.lastRecordingId };
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
