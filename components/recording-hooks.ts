import { useEffect, useState } from 'preact/hooks';
import { IDLE_STATE, type RecordingState } from '@/lib/recording/state';
import { getRecordingState, watchRecordingState } from '@/lib/recording/state-store';

/** The live recording state, as the service worker keeps it (extension pages only). null until first read. */
export function useRecordingState(): RecordingState | null {
  const [state, setState] = useState<RecordingState | null>(null);
  useEffect(() => {
    void getRecordingState().then((s) => setState(s ?? IDLE_STATE));
    return watchRecordingState(setState);
  }, []);
  return state;
}
