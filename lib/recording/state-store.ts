import { storage } from 'wxt/utils/storage';
import { IDLE_STATE, reduce, type RecordingEvent, type RecordingState } from './state';

/**
 * The recording state lives in session storage: it survives the service worker being stopped
 * and restarted mid-recording, every extension page can read and watch it, and it is cleared
 * when the browser closes.
 */
const stateItem = storage.defineItem<RecordingState>('session:recording-state', { fallback: IDLE_STATE });

export function getRecordingState(): Promise<RecordingState> {
  return stateItem.getValue();
}

export function watchRecordingState(onChange: (state: RecordingState) => void): () => void {
  return stateItem.watch((value) => onChange(value ?? IDLE_STATE));
}

let queue: Promise<unknown> = Promise.resolve();

/** Applies events one at a time, so two arriving together cannot overwrite each other. */
export function applyRecordingEvent(event: RecordingEvent): Promise<RecordingState> {
  const next = queue.then(async () => {
    const current = await stateItem.getValue();
    const updated = reduce(current, event);
    if (updated !== current) await stateItem.setValue(updated);
    return updated;
  });
  queue = next.catch(() => undefined);
  return next;
}
