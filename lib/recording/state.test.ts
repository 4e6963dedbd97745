import { describe, expect, it } from 'vitest';
import { elapsedMs, IDLE_STATE, reduce, shortcutAction, type RecordingEvent, type RecordingState } from './state';

function run(events: RecordingEvent[], from: RecordingState = IDLE_STATE): RecordingState {
  return events.reduce(reduce, from);
}

const start: RecordingEvent = { type: 'start-requested', sessionId: 's1', source: 'tab', tabId: 7 };

describe('recording state machine', () => {
  it('goes idle → starting → countdown → recording → finalizing → idle', () => {
    let s = run([start]);
    expect(s).toMatchObject({ status: 'starting', sessionId: 's1', tabId: 7 });
    s = reduce(s, { sessionId: 's1', type: 'countdown', endsAt: 3000 });
    expect(s.status).toBe('countdown');
    s = reduce(s, { sessionId: 's1', type: 'started', at: 3000 });
    expect(s).toMatchObject({ status: 'recording', countdownEndsAt: null });
    s = reduce(s, { sessionId: 's1', type: 'finalizing', at: 5000 });
    expect(s).toMatchObject({ status: 'finalizing', accumulatedMs: 2000 });
    s = reduce(s, { sessionId: 's1', type: 'finished', recordingId: 'r1' });
    expect(s).toMatchObject({ status: 'idle', lastRecordingId: 'r1', notice: 'recording-saved', sessionId: null });
  });

  it('excludes paused time from the elapsed time', () => {
    let s = run([start, { sessionId: 's1', type: 'started', at: 1000 }, { sessionId: 's1', type: 'paused', at: 3000 }]);
    expect(elapsedMs(s, 10_000)).toBe(2000);
    s = reduce(s, { sessionId: 's1', type: 'resumed', at: 10_000 });
    expect(elapsedMs(s, 10_500)).toBe(2500);
    s = reduce(s, { sessionId: 's1', type: 'finalizing', at: 11_000 });
    expect(elapsedMs(s, 99_000)).toBe(3000);
  });

  it('ignores events that do not fit the current status', () => {
    const recording = run([start, { sessionId: 's1', type: 'started', at: 0 }]);
    expect(reduce(recording, start)).toBe(recording);
    expect(reduce(recording, { sessionId: 's1', type: 'resumed', at: 5 })).toBe(recording);
    expect(reduce(IDLE_STATE, { sessionId: 's1', type: 'paused', at: 5 })).toBe(IDLE_STATE);
    expect(reduce(IDLE_STATE, { sessionId: 's1', type: 'progress', bytes: 5, chunks: 1, frames: 3 })).toBe(IDLE_STATE);
    expect(reduce(IDLE_STATE, { sessionId: 's1', type: 'finished', recordingId: 'x' })).toBe(IDLE_STATE);
  });

  it('keeps the latest progress', () => {
    const s = run([start, { sessionId: 's1', type: 'started', at: 0 }, { sessionId: 's1', type: 'progress', bytes: 2048, chunks: 2, frames: 40 }]);
    expect(s).toMatchObject({ bytes: 2048, chunks: 2, frames: 40 });
  });

  it('keeps a failure for the popup until dismissed', () => {
    let s = run([start, { sessionId: 's1', type: 'failed', error: { code: 'permission-denied', detail: 'NotAllowedError' } }]);
    expect(s).toMatchObject({ status: 'idle', error: { code: 'permission-denied' } });
    s = reduce(s, { type: 'dismiss' });
    expect(s.error).toBeNull();
  });

  it('ends with the error when a recording is stopped by a full disk but still saved', () => {
    const s = run([
      start,
      { sessionId: 's1', type: 'started', at: 0 },
      { sessionId: 's1', type: 'finalizing', at: 10 },
      { sessionId: 's1', type: 'finished', recordingId: 'r2', error: { code: 'storage-full' } },
    ]);
    expect(s).toMatchObject({ status: 'idle', lastRecordingId: 'r2', error: { code: 'storage-full' } });
  });

  it('marks an interrupted recording so the popup can point at the Library', () => {
    const s = run([start, { sessionId: 's1', type: 'started', at: 0 }, { sessionId: 's1', type: 'interrupted' }]);
    expect(s).toMatchObject({ status: 'idle', notice: 'recording-interrupted' });
  });

  it('ignores every event of another session: a late failure cannot reset the running recording', () => {
    const recording = run([start, { sessionId: 's1', type: 'started', at: 0 }]);
    for (const event of [
      { sessionId: 's2', type: 'failed', error: { code: 'uncapturable-page' } },
      { sessionId: 's2', type: 'finished', recordingId: 'x' },
      { sessionId: 's2', type: 'interrupted' },
      { sessionId: 's2', type: 'cancelled' },
      { sessionId: 's2', type: 'progress', bytes: 1, chunks: 1, frames: 1 },
    ] as RecordingEvent[]) {
      expect(reduce(recording, event), event.type).toBe(recording);
    }
  });

  it('cancels a start, but not a recording under way', () => {
    expect(run([start, { sessionId: 's1', type: 'cancelled' }])).toMatchObject({ status: 'idle', error: null, notice: null });
    const recording = run([start, { sessionId: 's1', type: 'started', at: 0 }]);
    expect(reduce(recording, { sessionId: 's1', type: 'cancelled' })).toBe(recording);
  });

  it('a new start keeps the last saved recording and clears old errors', () => {
    const s = run([
      start,
      { sessionId: 's1', type: 'failed', error: { code: 'busy' } },
      { ...start, sessionId: 's2' },
    ]);
    expect(s).toMatchObject({ status: 'starting', sessionId: 's2', error: null });
  });
});

describe('keyboard shortcuts', () => {
  it('Alt+Shift+S starts recording the tab when idle and stops otherwise', () => {
    expect(shortcutAction('toggle-recording', 'idle')).toBe('start-tab');
    for (const status of ['starting', 'countdown', 'recording', 'paused'] as const) expect(shortcutAction('toggle-recording', status)).toBe('stop');
  });

  it('Alt+Shift+K pauses or resumes, and does nothing otherwise', () => {
    expect(shortcutAction('toggle-pause', 'recording')).toBe('pause');
    expect(shortcutAction('toggle-pause', 'paused')).toBe('resume');
    expect(shortcutAction('toggle-pause', 'idle')).toBeNull();
    expect(shortcutAction('toggle-pause', 'countdown')).toBeNull();
    expect(shortcutAction('unknown', 'recording')).toBeNull();
  });
});
