import type { SessionRecord } from '../db';
import type { RecorderStartRequest, StartResult } from '../messaging/protocol';
import { mixAudio, type AudioMix } from '../media/audio-mix';
import { composeBubble, type BubblePlacement } from '../media/bubble';
import { acquire, type CaptureSource, type CaptureSpec } from '../media/capture';
import { keyTrack } from '../media/chroma/pipeline';
import { explainCaptureError } from '../media/errors';
import { chooseFormat, probeFormats } from '../media/formats';
import { KEYFRAME_INTERVAL_MS } from '../media/quality';
import { grabThumbnail } from '../media/thumbnail';
import { processVideo, type ProcessedTrack, type VideoTransform } from '../media/transform';
import { appendChunk, createSession, deleteSession, setSessionThumbnail } from './chunk-store';
import { finalizeSession, sessionLockName } from './finalize';
import type { RecordingError, SessionEvent, SessionEventBody } from './state';
import { isQuotaError, storageVerdict } from './storage-watch';

/**
 * MediaRecorder hands over a chunk this often; a crash loses about this much more than the
 * wait for the next keyframe (at 1 s, a whole-browser kill 4 s in kept 1.6–2.6 s; at 0.5 s,
 * 3.1–3.7 s).
 */
export const TIMESLICE_MS = 500;
const PROGRESS_INTERVAL_MS = 1000;
const STORAGE_CHECK_INTERVAL_MS = 5000;
/**
 * How long a start may take before it is given up: the share picker waits for a person, so it
 * gets minutes; a tab or camera answers in well under a second when it works at all.
 */
export const START_TIMEOUT_MS = { screen: 180_000, other: 30_000 } as const;

export type Report = (event: SessionEvent) => void;

/** What the recorder uses from the browser; tests pass their own. */
export interface RecorderEnvironment {
  acquire(spec: CaptureSpec): Promise<CaptureSource>;
  mixAudio(inputs: MediaStream[], monitor: MediaStream | null): Promise<AudioMix>;
  /** The virtual background on a camera's track (lib/media/chroma/pipeline.ts). */
  keyCamera(track: MediaStreamTrack, background: NonNullable<RecorderStartRequest['background']>): ProcessedTrack;
  /** The camera laid over the picture (lib/media/bubble.ts). */
  composeBubble(picture: MediaStreamTrack, camera: MediaStreamTrack, placement: BubblePlacement): ProcessedTrack;
  createRecorder(stream: MediaStream, options: MediaRecorderOptions): MediaRecorder;
  isTypeSupported(type: string): boolean;
  thumbnail(track: MediaStreamTrack): Promise<Blob>;
  store: {
    createSession(record: SessionRecord): Promise<void>;
    appendChunk(sessionId: string, index: number, data: Blob): Promise<void>;
    setSessionThumbnail(sessionId: string, thumbnail: Blob): Promise<void>;
    deleteSession(sessionId: string): Promise<void>;
    /** Turns the stored chunks into a Library item; its id, or null when nothing was recorded. */
    finalize(record: SessionRecord): Promise<string | null>;
    estimate(): Promise<StorageEstimate>;
    /** Holds the session's Web Lock until the returned function is called. */
    holdLock(sessionId: string): Promise<() => void>;
  };
}

export const browserEnvironment = (): RecorderEnvironment => ({
  acquire: (spec) => acquire(spec),
  mixAudio,
  keyCamera: (track, { key, colour, backdrop, engine }) => keyTrack(track, { key, background: colour, backdrop, engine }),
  composeBubble,
  createRecorder: (stream, options) => new MediaRecorder(stream, options),
  isTypeSupported: (type) => MediaRecorder.isTypeSupported(type),
  thumbnail: grabThumbnail,
  store: {
    createSession,
    appendChunk,
    setSessionThumbnail,
    deleteSession,
    finalize: async (record) => (await finalizeSession(record, false))?.id ?? null,
    estimate: () => navigator.storage.estimate(),
    holdLock: (sessionId) =>
      new Promise((acquired, failed) => {
        navigator.locks
          .request(sessionLockName(sessionId), () => new Promise<void>((release) => acquired(() => release())))
          .catch(failed);
      }),
  },
});

/**
 * The recorder job of the offscreen document: one session at a time. It acquires the capture
 * (lib/media), passes the picture through the transforms, mixes the audio, writes each chunk
 * to IndexedDB as it arrives and, when the recording ends for any reason, finalizes it into
 * the Library.
 */
export class Recorder {
  private session: RecordingSessionRun | null = null;

  constructor(
    private readonly report: Report,
    private readonly onBusyChange: (busy: boolean) => void = () => undefined,
    private readonly env: RecorderEnvironment = browserEnvironment(),
  ) {}

  async start(request: RecorderStartRequest): Promise<StartResult> {
    if (this.session) return { ok: false, error: { code: 'busy' } };
    const run = new RecordingSessionRun(request, this.report, this.env, () => {
      if (this.session !== run) return;
      this.session = null;
      this.onBusyChange(false);
    });
    this.session = run;
    this.onBusyChange(true);
    const result = await run.prepare();
    if (result.ok) void run.begin();
    return result;
  }

  private current(sessionId: string): RecordingSessionRun | null {
    return this.session?.sessionId === sessionId ? this.session : null;
  }

  stop(sessionId: string): Promise<void> {
    return this.current(sessionId)?.stop() ?? Promise.resolve();
  }

  cancel(sessionId: string): void {
    this.current(sessionId)?.cancel();
  }

  pause(sessionId: string): void {
    this.current(sessionId)?.pause();
  }

  resume(sessionId: string): void {
    this.current(sessionId)?.resume();
  }
}

class RecordingSessionRun {
  readonly sessionId: string;
  private capture: CaptureSource | null = null;
  private microphone: CaptureSource | null = null;
  /** The camera in the bubble, and its keyed track (virtual background) when there is one. */
  private bubbleCamera: CaptureSource | null = null;
  private bubbleKeyed: ProcessedTrack | null = null;
  private video: ProcessedTrack | null = null;
  private mix: AudioMix | null = null;
  private recorder: MediaRecorder | null = null;
  private record: SessionRecord | null = null;
  private nextChunk = 0;
  private bytes = 0;
  private storedChunks = 0;
  private writes: Promise<void> = Promise.resolve();
  private timers: ReturnType<typeof setInterval>[] = [];
  private releaseLock: (() => void) | null = null;
  private stopping: Promise<void> | null = null;
  private endError: RecordingError | undefined;
  private warnedLowStorage = false;
  private abandon: ((error: RecordingError) => void) | null = null;

  constructor(
    private readonly request: RecorderStartRequest,
    private readonly reportEvent: Report,
    private readonly env: RecorderEnvironment,
    private readonly onDone: () => void,
  ) {
    this.sessionId = request.sessionId;
  }

  private report(event: SessionEventBody): void {
    this.reportEvent({ ...event, sessionId: this.sessionId } as SessionEvent);
  }

  /**
   * Everything that can fail because of the user's setup, before the start is confirmed. A
   * start that is cancelled, or that never completes (a share picker nobody answers), ends
   * here with nothing left running.
   */
  async prepare(): Promise<StartResult> {
    const given = new Promise<RecordingError>((resolve) => {
      this.abandon = (error) => {
        this.abandon = null;
        resolve(error);
      };
    });
    const timeoutMs = this.request.capture.kind === 'screen' ? START_TIMEOUT_MS.screen : START_TIMEOUT_MS.other;
    const timer = setTimeout(() => this.abandon?.({ code: 'start-timed-out' }), timeoutMs);
    const setup = this.setUp();
    const outcome = await Promise.race([
      setup.then(
        () => null,
        (error: RecordingError) => error,
      ),
      given,
    ]);
    clearTimeout(timer);
    const abandoned = this.abandon === null;
    this.abandon = null;
    if (outcome) {
      if (abandoned) {
        // The capture may still arrive (the picker answered late): stop whatever it brings.
        void setup.then(
          () => {
            this.tearDown();
            return this.env.store.deleteSession(this.sessionId);
          },
          () => undefined,
        );
      }
      this.tearDown();
      this.onDone();
      return { ok: false, error: outcome };
    }
    // Whatever ends the capture ("Stop sharing", the tab closing, the camera unplugged) ends
    // the recording and keeps it.
    void this.capture!.ended.then(() => this.stop());
    return { ok: true };
  }

  /** Gives up a start that is still waiting; a recording under way is not affected. */
  cancel(): void {
    this.abandon?.({ code: 'share-cancelled' });
  }

  /** Acquires, transforms, mixes and prepares storage; throws a RecordingError. */
  private async setUp(): Promise<void> {
    const { capture, microphone } = this.request;
    try {
      this.capture = await this.env.acquire(capture);
    } catch (error) {
      throw explainCaptureError(error, capture.kind);
    }
    if (microphone) {
      try {
        this.microphone = await this.env.acquire(microphone);
      } catch (error) {
        throw explainCaptureError(error, 'microphone');
      }
    }
    const { background, bubble } = this.request;
    if (bubble) {
      try {
        this.bubbleCamera = await this.env.acquire(bubble.camera);
      } catch (error) {
        throw explainCaptureError(error, 'camera');
      }
    }
    try {
      const picture = this.capture.stream.getVideoTracks()[0];
      if (!picture) throw new Error('the capture has no picture');
      // Between capture and encoder: a recorded camera's virtual background; the camera bubble
      // (its camera keyed too) over a tab or screen.
      const transforms: VideoTransform[] = [];
      if (background && capture.kind === 'camera') transforms.push({ name: 'virtual background', apply: (track) => this.env.keyCamera(track, background) });
      const bubbleTrack = this.bubbleCamera?.stream.getVideoTracks()[0];
      if (bubble && bubbleTrack) {
        this.bubbleKeyed = background ? this.env.keyCamera(bubbleTrack, background) : null;
        const face = this.bubbleKeyed?.track ?? bubbleTrack;
        transforms.push({ name: 'camera bubble', apply: (track) => this.env.composeBubble(track, face, bubble.placement) });
      }
      this.video = await processVideo(picture, transforms);
      const sounds = [this.capture.stream, ...(this.microphone ? [this.microphone.stream] : [])];
      // Tab capture mutes the tab for the user: play its sound back while it is recorded.
      this.mix = await this.env.mixAudio(sounds, capture.kind === 'tab' ? this.capture.stream : null);
      const { mimeType } = chooseFormat(this.request.format, probeFormats((type) => this.env.isTypeSupported(type)));
      const tracks = [this.video.track, ...(this.mix.track ? [this.mix.track] : [])];
      this.recorder = this.env.createRecorder(new MediaStream(tracks), {
        mimeType,
        videoBitsPerSecond: this.request.videoBitsPerSecond,
        audioBitsPerSecond: this.request.audioBitsPerSecond,
        videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
      } as MediaRecorderOptions);
      this.record = {
        id: this.sessionId,
        source: capture.kind,
        title: this.request.title,
        createdAt: Date.now(),
        mimeType,
        thumbnail: null,
        frameRate: this.request.frameRate,
      };
      this.releaseLock = await this.env.store.holdLock(this.sessionId);
      await this.env.store.createSession(this.record);
    } catch (error) {
      throw { code: 'capture-failed', detail: String(error) } satisfies RecordingError;
    }
  }

  /** Counts down (nothing is recorded meanwhile), then records. */
  async begin(): Promise<void> {
    const countdownMs = this.request.countdownSeconds * 1000;
    if (countdownMs > 0) {
      this.report({ type: 'countdown', endsAt: Date.now() + countdownMs });
      await new Promise((resolve) => setTimeout(resolve, countdownMs));
    }
    const recorder = this.recorder;
    if (this.stopping || !recorder) return;
    recorder.addEventListener('dataavailable', (event) => this.store((event as BlobEvent).data));
    recorder.addEventListener('error', (event) => {
      this.endError = { code: 'recorder-crashed', detail: String((event as ErrorEvent).error ?? event.type) };
      void this.stop();
    });
    recorder.start(TIMESLICE_MS);
    this.report({ type: 'started', at: Date.now() });
    this.timers.push(setInterval(() => this.reportProgress(), PROGRESS_INTERVAL_MS));
    this.timers.push(setInterval(() => void this.checkStorage(), STORAGE_CHECK_INTERVAL_MS));
    const video = this.video?.track;
    if (video) {
      // The thumbnail shows what is encoded: the processed picture.
      void this.env
        .thumbnail(video)
        .then((thumbnail) => {
          if (this.record) this.record.thumbnail = thumbnail;
          return this.env.store.setSessionThumbnail(this.sessionId, thumbnail);
        })
        .catch((error) => console.warn('No thumbnail:', error));
    }
  }

  pause(): void {
    if (this.recorder?.state !== 'recording') return;
    this.recorder.pause();
    this.report({ type: 'paused', at: Date.now() });
  }

  resume(): void {
    if (this.recorder?.state !== 'paused') return;
    this.recorder.resume();
    this.report({ type: 'resumed', at: Date.now() });
  }

  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private store(data: Blob): void {
    if (data.size === 0) return;
    const index = this.nextChunk++;
    this.bytes += data.size;
    this.writes = this.writes.then(() =>
      this.env.store.appendChunk(this.sessionId, index, data).then(
        () => void this.storedChunks++,
        (error) => {
          // Chromium reports a full disk as a quota error or by closing the database connection.
          this.endError ??= isQuotaError(error) ? { code: 'storage-full' } : { code: 'storage-write-failed', detail: String(error) };
          void this.stop();
        },
      ),
    );
  }

  private reportProgress(): void {
    this.report({ type: 'progress', bytes: this.bytes, chunks: this.storedChunks, frames: this.capture?.deliveredFrames() ?? null });
  }

  private async checkStorage(): Promise<void> {
    const verdict = storageVerdict(await this.env.store.estimate(), this.bytes);
    if (verdict === 'full') {
      this.endError = { code: 'storage-full' };
      void this.stop();
    } else if (verdict === 'low' && !this.warnedLowStorage) {
      this.warnedLowStorage = true;
      this.report({ type: 'storage-low' });
    }
  }

  private async finish(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const recorder = this.recorder;
    const recorded = recorder !== null && recorder.state !== 'inactive';
    if (recorded) {
      const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
      recorder.stop();
      await stopped;
    }
    this.tearDown();
    await this.writes;
    let recordingId: string | null = null;
    try {
      if (recorded && this.record) {
        this.report({ type: 'finalizing', at: Date.now() });
        recordingId = await this.env.store.finalize(this.record);
      } else {
        await this.env.store.deleteSession(this.sessionId);
      }
    } catch (error) {
      // The chunks stay on disk; the Library recovers them the next time it opens.
      this.endError ??= { code: 'recorder-crashed', detail: String(error) };
    } finally {
      this.releaseLock?.();
      this.releaseLock = null;
      this.onDone();
    }
    this.report({ type: 'finished', recordingId, error: this.endError });
  }

  /** Stops every capture and everything made from them; the lock is released by its owner. */
  private tearDown(): void {
    this.video?.close();
    this.bubbleKeyed?.close();
    this.bubbleCamera?.stop();
    this.capture?.stop();
    this.microphone?.stop();
    this.mix?.close();
    if (!this.stopping) {
      this.releaseLock?.();
      this.releaseLock = null;
    }
  }
}
