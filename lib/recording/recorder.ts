import type { SessionRecord } from '../db';
import type { RecorderStartRequest, StartResult } from '../messaging/protocol';
import { acquireCapture, acquireMicrophone, captureError } from './capture';
import { appendChunk, createSession, deleteSession, setSessionThumbnail } from './chunk-store';
import { mixAudio, type AudioMix } from './audio-mix';
import { finalizeSession, sessionLockName } from './finalize';
import { AUDIO_BITS_PER_SECOND, pickRecorderMimeType, QUALITY_PRESETS } from './quality';
import type { RecordingError, RecordingEvent } from './state';
import { isQuotaError, storageVerdict } from './storage-watch';
import { grabThumbnail } from './thumbnail';

/** MediaRecorder hands over a chunk this often; a crash loses at most this much. */
export const TIMESLICE_MS = 1000;
const PROGRESS_INTERVAL_MS = 1000;
const STORAGE_CHECK_INTERVAL_MS = 5000;

export type ReportEvent = (sessionId: string, event: RecordingEvent) => void;

/**
 * The recorder that runs in the offscreen document: one session at a time. It acquires the
 * capture, mixes the audio, writes each chunk to IndexedDB as it arrives and, when the
 * recording ends for any reason, finalizes it into the Library.
 */
export class Recorder {
  private session: RecordingSessionRun | null = null;

  constructor(private readonly report: ReportEvent) {}

  async start(request: RecorderStartRequest): Promise<StartResult> {
    if (this.session) return { ok: false, error: { code: 'busy' } };
    const run = new RecordingSessionRun(request, (event) => this.report(request.sessionId, event), () => {
      if (this.session === run) this.session = null;
    });
    this.session = run;
    const result = await run.prepare();
    if (!result.ok) this.session = null;
    else void run.begin();
    return result;
  }

  stop(): Promise<void> {
    return this.session?.stop() ?? Promise.resolve();
  }

  pause(): void {
    this.session?.pause();
  }

  resume(): void {
    this.session?.resume();
  }
}

class RecordingSessionRun {
  private capture: MediaStream | null = null;
  private microphone: MediaStream | null = null;
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

  constructor(
    private readonly request: RecorderStartRequest,
    private readonly report: (event: RecordingEvent) => void,
    private readonly onDone: () => void,
  ) {}

  /** Everything that can fail because of the user's setup, before the start is confirmed. */
  async prepare(): Promise<StartResult> {
    const { source, streamId, settings } = this.request;
    try {
      this.capture = await acquireCapture(source, streamId, settings);
    } catch (error) {
      return { ok: false, error: captureError(error, 'capture', source) };
    }
    if (settings.microphone) {
      try {
        this.microphone = await acquireMicrophone(settings.microphoneId);
      } catch (error) {
        this.releaseMedia();
        return { ok: false, error: captureError(error, 'microphone', source) };
      }
    }
    try {
      const inputs = [this.capture, ...(this.microphone ? [this.microphone] : [])];
      this.mix = await mixAudio(inputs, source === 'tab' ? this.capture : null);
      const mimeType = pickRecorderMimeType((t) => MediaRecorder.isTypeSupported(t));
      const tracks = [...this.capture.getVideoTracks(), ...(this.mix.track ? [this.mix.track] : [])];
      this.recorder = new MediaRecorder(new MediaStream(tracks), {
        mimeType,
        videoBitsPerSecond: QUALITY_PRESETS[settings.quality].videoBitsPerSecond,
        audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
      });
      this.record = {
        id: this.request.sessionId,
        source,
        title: this.request.title,
        createdAt: Date.now(),
        mimeType,
        thumbnail: null,
      };
      await this.holdLock();
      await createSession(this.record);
    } catch (error) {
      this.releaseMedia();
      this.releaseLock?.();
      return { ok: false, error: { code: 'capture-failed', detail: String(error) } };
    }
    // Whatever ends the capture (Chrome's "Stop sharing", the tab closing, the camera
    // unplugged) ends the recording and keeps it.
    for (const track of this.capture.getVideoTracks()) track.addEventListener('ended', () => void this.stop());
    return { ok: true };
  }

  /** Counts down (nothing is recorded meanwhile), then records. */
  async begin(): Promise<void> {
    const countdownMs = this.request.settings.countdownSeconds * 1000;
    if (countdownMs > 0) {
      this.report({ type: 'countdown', endsAt: Date.now() + countdownMs });
      await new Promise((resolve) => setTimeout(resolve, countdownMs));
    }
    const recorder = this.recorder;
    if (this.stopping || !recorder) return;
    recorder.addEventListener('dataavailable', (event) => this.store(event.data));
    recorder.addEventListener('error', (event) => {
      this.endError = { code: 'recorder-crashed', detail: String((event as ErrorEvent).error ?? event.type) };
      void this.stop();
    });
    recorder.start(TIMESLICE_MS);
    this.report({ type: 'started', at: Date.now() });
    this.timers.push(setInterval(() => this.reportProgress(), PROGRESS_INTERVAL_MS));
    this.timers.push(setInterval(() => void this.checkStorage(), STORAGE_CHECK_INTERVAL_MS));
    const video = this.capture?.getVideoTracks()[0];
    if (video) {
      void grabThumbnail(video)
        .then((thumbnail) => {
          if (this.record) this.record.thumbnail = thumbnail;
          return setSessionThumbnail(this.request.sessionId, thumbnail);
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
      appendChunk(this.request.sessionId, index, data).then(
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
    // MediaStreamTrack.stats is Chromium's count of frames the capture delivered (not on every track kind).
    const stats = (this.capture?.getVideoTracks()[0] as (MediaStreamTrack & { stats?: { deliveredFrames: number } | null }) | undefined)?.stats;
    this.report({ type: 'progress', bytes: this.bytes, chunks: this.storedChunks, frames: stats?.deliveredFrames ?? null });
  }

  private async checkStorage(): Promise<void> {
    const verdict = storageVerdict(await navigator.storage.estimate(), this.bytes);
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
    this.releaseMedia();
    await this.writes;
    let recordingId: string | null = null;
    try {
      if (recorded && this.record) {
        this.report({ type: 'finalizing', at: Date.now() });
        recordingId = (await finalizeSession(this.record, false))?.id ?? null;
      } else {
        await deleteSession(this.request.sessionId);
      }
    } catch (error) {
      // The chunks stay on disk; the Library recovers them the next time it opens.
      this.endError ??= { code: 'recorder-crashed', detail: String(error) };
    } finally {
      this.releaseLock?.();
      this.onDone();
    }
    this.report({ type: 'finished', recordingId, error: this.endError });
  }

  private releaseMedia(): void {
    for (const stream of [this.capture, this.microphone]) stream?.getTracks().forEach((track) => track.stop());
    this.mix?.close();
  }

  /** Resolves once the session's lock is held; the lock is released by releaseLock(). */
  private holdLock(): Promise<void> {
    return new Promise<void>((acquired, failed) => {
      navigator.locks
        .request(sessionLockName(this.request.sessionId), () => {
          acquired();
          return new Promise<void>((release) => (this.releaseLock = release));
        })
        .catch(failed);
    });
  }
}
