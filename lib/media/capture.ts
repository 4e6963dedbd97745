import { CaptureFailure, explainCaptureError } from './errors';

/** The largest picture a capture may deliver. */
export interface VideoLimits {
  width: number;
  height: number;
  frameRate: number;
}

/** What to capture. Everything a capture needs is in its spec; nothing is read from elsewhere. */
export type CaptureSpec =
  /** A tab, by the stream id chrome.tabCapture handed out for it. */
  | { kind: 'tab'; streamId: string; audio: boolean; limits: VideoLimits }
  /** A screen, window or tab the user picks in the browser's share dialog. */
  | { kind: 'screen'; audio: boolean; limits: VideoLimits }
  /** A camera: null deviceId is the browser's choice; `constraints` are added as asked. */
  | { kind: 'camera'; deviceId: string | null; constraints: MediaTrackConstraints }
  /** A microphone: null deviceId is the system default. */
  | { kind: 'microphone'; deviceId: string | null }
  /** A call: its grid and sound, composed by the call page (lib/media/compose.ts); no browser API opens it. */
  | { kind: 'call' };

export type CaptureKind = CaptureSpec['kind'];

/** A live capture. */
export interface CaptureSource {
  readonly spec: CaptureSpec;
  readonly stream: MediaStream;
  /**
   * Settles when the capture ends by itself — "Stop sharing", the tab closed, the device
   * unplugged — never because of stop().
   */
  readonly ended: Promise<void>;
  /** Video frames the capture has delivered, where the browser counts them (Chromium does). */
  deliveredFrames(): number | null;
  stop(): void;
}

export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia' | 'getDisplayMedia'>;

/** The constraints a spec asks the browser for. */
export function constraintsFor(spec: CaptureSpec): { display: boolean; constraints: MediaStreamConstraints } {
  switch (spec.kind) {
    case 'tab': {
      // Chrome's tab capture still takes the legacy `mandatory` constraints.
      const tab = { chromeMediaSource: 'tab', chromeMediaSourceId: spec.streamId };
      const { width, height, frameRate } = spec.limits;
      return {
        display: false,
        constraints: {
          audio: spec.audio ? ({ mandatory: tab } as MediaTrackConstraints) : false,
          video: { mandatory: { ...tab, maxWidth: width, maxHeight: height, maxFrameRate: frameRate } } as MediaTrackConstraints,
        },
      };
    }
    case 'screen': {
      const { width, height, frameRate } = spec.limits;
      return {
        display: true,
        constraints: { video: { width: { max: width }, height: { max: height }, frameRate: { max: frameRate } }, audio: spec.audio },
      };
    }
    case 'camera':
      return {
        display: false,
        constraints: { video: { ...spec.constraints, ...(spec.deviceId ? { deviceId: { exact: spec.deviceId } } : {}) }, audio: false },
      };
    case 'call':
      throw new Error('a call is composed by the call page, not captured');
    case 'microphone':
      return {
        display: false,
        constraints: {
          audio: { ...(spec.deviceId ? { deviceId: { exact: spec.deviceId } } : {}), echoCancellation: true, noiseSuppression: true },
          video: false,
        },
      };
  }
}

/**
 * Starts a capture. Fails with a CaptureFailure whose error says what happened in the user's
 * terms (a missing camera, a cancelled picker, a refused permission).
 */
export async function acquire(spec: CaptureSpec, devices: MediaDevicesLike = navigator.mediaDevices): Promise<CaptureSource> {
  const { display, constraints } = constraintsFor(spec);
  let stream: MediaStream;
  try {
    stream = display ? await devices.getDisplayMedia(constraints) : await devices.getUserMedia(constraints);
  } catch (error) {
    throw new CaptureFailure(explainCaptureError(error, spec.kind));
  }
  // The picture ends a video capture; a microphone ends with its sound.
  const watched = spec.kind === 'microphone' ? stream.getAudioTracks() : stream.getVideoTracks();
  const ended = new Promise<void>((resolve) => {
    for (const track of watched) track.addEventListener('ended', () => resolve(), { once: true });
  });
  return {
    spec,
    stream,
    ended,
    deliveredFrames() {
      // MediaStreamTrack.stats is Chromium's count of frames the capture delivered.
      const stats = (stream.getVideoTracks()[0] as (MediaStreamTrack & { stats?: { deliveredFrames: number } | null }) | undefined)?.stats;
      return stats?.deliveredFrames ?? null;
    },
    stop() {
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

/** The captures that make a picture: what a recording records. */
export type VideoSourceKind = Exclude<CaptureKind, 'microphone'>;
