import { mixSounds } from '../media/audio-mix';
import { composeGrid, type GridTile } from '../media/compose';
import type { CaptureSource } from '../media/capture';
import { videoBitsPerSecond } from '../media/quality';
import type { Settings } from '../settings';
import { browserEnvironment, Recorder } from './recorder';
import type { RecordingError, SessionEvent } from './state';

/**
 * Recording a call, in the call page: the grid of everyone's pictures and the mix of everyone's
 * sound (lib/media/compose.ts, lib/media/audio-mix.ts) go through the same Recorder as any recording — each second's
 * chunk stored as it comes, the session locked, finalized into the Library, recovered by the
 * Library if the page dies — in the file type chosen in Options. (A live track cannot travel to
 * the offscreen document, so the call page records itself; the toolbar's recorder is untouched.)
 */
export interface CallRecordingStatus {
  /** When recording started, for the running time. */
  startedAt: number | null;
  finished: { recordingId: string | null; error?: RecordingError } | null;
}

export interface CallRecording {
  /** Who is on the grid and whose sound is mixed, as the call changes. */
  update(tiles: GridTile[], sounds: MediaStream[]): void;
  stop(): Promise<void>;
}

const FRAME_RATE = 30;

export async function recordCall(options: {
  title: string;
  settings: Settings;
  tiles: GridTile[];
  sounds: MediaStream[];
  onStatus: (status: CallRecordingStatus) => void;
}): Promise<{ ok: true; recording: CallRecording } | { ok: false; error: RecordingError }> {
  const grid = composeGrid(1280, 720, FRAME_RATE);
  const sound = mixSounds();
  grid.setTiles(options.tiles);
  sound.setStreams(options.sounds);
  const stream = new MediaStream([grid.track, sound.track]);
  let ended: () => void = () => undefined;
  const source: CaptureSource = {
    spec: { kind: 'call' },
    stream,
    ended: new Promise<void>((resolve) => (ended = resolve)),
    deliveredFrames: () => null,
    stop() {
      grid.close();
      sound.close();
      ended();
    },
  };
  const status: CallRecordingStatus = { startedAt: null, finished: null };
  const sessionId = crypto.randomUUID();
  const onEvent = (event: SessionEvent) => {
    if (event.type === 'started') status.startedAt = event.at;
    else if (event.type === 'finished') status.finished = { recordingId: event.recordingId, error: event.error };
    else if (event.type === 'failed') status.finished = { recordingId: null, error: event.error };
    else return;
    options.onStatus({ ...status });
  };
  const recorder = new Recorder(onEvent, () => undefined, { ...browserEnvironment(), acquire: async () => source });
  const { recording } = options.settings;
  const result = await recorder.start({
    sessionId,
    capture: { kind: 'call' },
    microphone: null,
    format: { container: recording.container, video: recording.videoCodec, audio: recording.audioCodec },
    videoBitsPerSecond: videoBitsPerSecond('720p', FRAME_RATE, recording.videoBitrateKbps),
    audioBitsPerSecond: recording.audioBitrateKbps * 1000,
    frameRate: FRAME_RATE,
    countdownSeconds: 0,
    title: options.title,
    // The call's picture is what was sent: its camera already keyed, if the virtual background is on.
    background: null,
    bubble: null,
  });
  if (!result.ok) {
    source.stop();
    return result;
  }
  return {
    ok: true,
    recording: {
      update(tiles, sounds) {
        grid.setTiles(tiles);
        sound.setStreams(sounds);
      },
      stop: () => recorder.stop(sessionId),
    },
  };
}
