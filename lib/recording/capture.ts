import type { RecordingSettings } from '../settings';
import { QUALITY_PRESETS } from './quality';
import type { RecordingError, RecordingSource } from './state';

/** The capture's video (and tab/system audio), before the microphone is mixed in. */
export async function acquireCapture(
  source: RecordingSource,
  streamId: string | null,
  settings: RecordingSettings,
): Promise<MediaStream> {
  const q = QUALITY_PRESETS[settings.quality];
  switch (source) {
    case 'tab': {
      if (!streamId) throw new Error('a tab capture needs a stream id');
      // Chrome's tab capture still takes the legacy `mandatory` constraints.
      const tab = { chromeMediaSource: 'tab', chromeMediaSourceId: streamId };
      return navigator.mediaDevices.getUserMedia({
        audio: settings.tabAudio ? ({ mandatory: tab } as MediaTrackConstraints) : false,
        video: { mandatory: { ...tab, maxWidth: q.width, maxHeight: q.height, maxFrameRate: q.frameRate } } as MediaTrackConstraints,
      });
    }
    case 'screen':
      return navigator.mediaDevices.getDisplayMedia({
        video: { width: { max: q.width }, height: { max: q.height }, frameRate: { max: q.frameRate } },
        audio: settings.tabAudio,
      });
    case 'camera':
      return navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: q.width }, height: { ideal: q.height }, frameRate: { ideal: q.frameRate } },
        audio: false,
      });
  }
}

export async function acquireMicrophone(deviceId: string): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: { deviceId: deviceId ? { exact: deviceId } : undefined, echoCancellation: true, noiseSuppression: true },
    video: false,
  });
}

/** Maps what getUserMedia/getDisplayMedia threw to what the popup explains. */
export function captureError(error: unknown, what: 'capture' | 'microphone', source: RecordingSource): RecordingError {
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (what === 'microphone' && (name === 'NotFoundError' || name === 'OverconstrainedError')) {
    return { code: 'no-microphone', detail };
  }
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    // Cancelling Chrome's share picker is a NotAllowedError too, and not a permission problem.
    return source === 'screen' && what === 'capture' ? { code: 'share-cancelled', detail } : { code: 'permission-denied', detail };
  }
  if (source === 'camera' && what === 'capture' && (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')) {
    return { code: 'no-camera', detail };
  }
  return { code: 'capture-failed', detail };
}
