import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionRecord } from '../db';
import type { RecorderStartRequest } from '../messaging/protocol';
import type { CaptureSource, CaptureSpec } from '../media/capture';
import { CaptureFailure } from '../media/errors';
import { Recorder, START_TIMEOUT_MS, type RecorderEnvironment } from './recorder';
import type { SessionEvent } from './state';
import { FakeStream, FakeTrack, fakeStream } from '../testing/fake-media';

/** MediaRecorder's observable behaviour: a chunk a second while recording, the last on stop. */
class FakeMediaRecorder extends EventTarget {
  state: RecordingState = 'inactive';
  start() {
    this.state = 'recording';
  }
  pause() {
    this.state = 'paused';
  }
  resume() {
    this.state = 'recording';
  }
  emit(data: string) {
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([data]) }));
  }
  stop() {
    this.state = 'inactive';
    this.emit('last');
    this.dispatchEvent(new Event('stop'));
  }
}

function source(spec: CaptureSpec, tracks: FakeTrack[]): CaptureSource & { end(): void } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    spec,
    stream: fakeStream(tracks),
    ended,
    end,
    deliveredFrames: () => 42,
    stop: () => tracks.forEach((t) => t.stop()),
  };
}

function environment(acquire: RecorderEnvironment['acquire']) {
  const chunks: string[] = [];
  const sessions = new Map<string, SessionRecord>();
  const recorders: FakeMediaRecorder[] = [];
  const locks = { held: 0 };
  const env: RecorderEnvironment = {
    acquire,
    mixAudio: async () => ({ track: null, close: () => undefined }),
    keyCamera: (track) => ({ track, close: () => undefined }),
    composeBubble: (picture) => ({ track: picture, close: () => undefined }),
    createRecorder: () => {
      const recorder = new FakeMediaRecorder();
      recorders.push(recorder);
      return recorder as unknown as MediaRecorder;
    },
    isTypeSupported: () => true,
    thumbnail: async () => new Blob(['jpeg']),
    store: {
      createSession: async (record) => void sessions.set(record.id, record),
      appendChunk: async (_id, index, data) => void (chunks[index] = await data.text()),
      setSessionThumbnail: async () => undefined,
      deleteSession: async (id) => void sessions.delete(id),
      finalize: async (record) => {
        sessions.delete(record.id);
        return record.id;
      },
      estimate: async () => ({ quota: 1e12, usage: 0 }),
      holdLock: async () => {
        locks.held++;
        return () => void locks.held--;
      },
    },
  };
  return { env, chunks, sessions, recorders, locks };
}

const request = (capture: RecorderStartRequest['capture'], microphone: RecorderStartRequest['microphone'] = null): RecorderStartRequest => ({
  sessionId: 'S',
  capture,
  microphone,
  format: { container: 'mp4', video: 'h264', audio: 'opus' },
  videoBitsPerSecond: 1,
  audioBitsPerSecond: 2,
  frameRate: 30,
  countdownSeconds: 0,
  title: 'T',
  background: null,
  bubble: null,
});
const limits = { width: 1280, height: 720, frameRate: 30 };
const tab = { kind: 'tab', streamId: 'x', audio: true, limits } as const;
const screen = { kind: 'screen', audio: false, limits } as const;

describe('the recorder', () => {
  beforeEach(() => {
    vi.stubGlobal('MediaStream', FakeStream);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('records, stores each chunk, and reports every step with its session id', async () => {
    const video = new FakeTrack('video');
    const t = environment(async (spec) => source(spec, [video]));
    const events: SessionEvent[] = [];
    const busy: boolean[] = [];
    const recorder = new Recorder((e) => events.push(e), (b) => busy.push(b), t.env);
    expect(await recorder.start(request(tab))).toEqual({ ok: true });
    await vi.waitFor(() => expect(t.recorders[0]?.state).toBe('recording'));
    t.recorders[0]!.emit('one');
    await recorder.stop('S');
    expect(t.chunks).toEqual(['one', 'last']);
    expect(events.map((e) => e.type)).toEqual(['started', 'finalizing', 'finished']);
    expect(events.every((e) => e.sessionId === 'S')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'finished', recordingId: 'S' });
    expect(video.stopped).toBe(true);
    expect(t.locks.held).toBe(0);
    expect(busy).toEqual([true, false]);
  });

  it('lays the camera (keyed, with the virtual background on) over a tab, and stops it with the recording', async () => {
    const picture = new FakeTrack('video');
    const face = new FakeTrack('video');
    const t = environment(async (spec) => source(spec, [spec.kind === 'camera' ? face : picture]));
    const keyed = new FakeTrack('video');
    const bubbled = new FakeTrack('video');
    const calls: string[] = [];
    const as = (track: FakeTrack) => track as unknown as MediaStreamTrack;
    t.env.keyCamera = (track) => {
      calls.push(`key ${track === as(face) ? 'camera' : 'other'}`);
      return { track: as(keyed), close: () => void calls.push('keyer closed') };
    };
    t.env.composeBubble = (under, over, placement) => {
      calls.push(`bubble ${under === as(picture) ? 'tab' : 'other'} ${over === as(keyed) ? 'keyed camera' : 'other'} ${placement.corner}`);
      return { track: as(bubbled), close: () => void calls.push('bubble closed') };
    };
    const recorder = new Recorder(() => undefined, undefined, t.env);
    const placement = { corner: 'top-left', size: 'small', shape: 'circle', mirror: true } as const;
    const camera = { kind: 'camera', deviceId: null, constraints: {} } as const;
    expect(await recorder.start({ ...request(tab), background: { key: null, colour: [255, 0, 255], backdrop: 'colour', engine: 'auto' }, bubble: { camera, placement } })).toEqual({ ok: true });
    await vi.waitFor(() => expect(t.recorders[0]?.state).toBe('recording'));
    expect(calls).toEqual(['key camera', 'bubble tab keyed camera top-left']);
    await recorder.stop('S');
    expect(calls).toEqual(['key camera', 'bubble tab keyed camera top-left', 'bubble closed', 'keyer closed']);
    expect(face.stopped).toBe(true);
    expect(picture.stopped).toBe(true);
  });

  it('keys a camera recording itself when the virtual background is on, and not a tab', async () => {
    const keyedTracks: string[] = [];
    const t = environment(async (spec) => source(spec, [new FakeTrack('video')]));
    t.env.keyCamera = (track) => {
      keyedTracks.push('keyed');
      return { track, close: () => undefined };
    };
    const background = { key: null, colour: [0, 0, 0] as const, backdrop: 'colour' as const, engine: 'auto' as const };
    const camera = new Recorder(() => undefined, undefined, t.env);
    await camera.start({ ...request({ kind: 'camera', deviceId: null, constraints: {} }), background });
    await camera.stop('S');
    expect(keyedTracks).toEqual(['keyed']);
    const tabRecorder = new Recorder(() => undefined, undefined, t.env);
    await tabRecorder.start({ ...request(tab), background });
    await tabRecorder.stop('S');
    expect(keyedTracks).toEqual(['keyed']);
  });

  it('ends and keeps the recording when the capture ends by itself', async () => {
    let capture!: ReturnType<typeof source>;
    const t = environment(async (spec) => (capture = source(spec, [new FakeTrack('video')])));
    const events: SessionEvent[] = [];
    const recorder = new Recorder((e) => events.push(e), undefined, t.env);
    await recorder.start(request(tab));
    await vi.waitFor(() => expect(t.recorders[0]?.state).toBe('recording'));
    capture.end();
    await vi.waitFor(() => expect(events.at(-1)?.type).toBe('finished'));
    expect(events.at(-1)).toMatchObject({ recordingId: 'S' });
  });

  it('explains a missing microphone and leaves nothing running', async () => {
    const video = new FakeTrack('video');
    const t = environment(async (spec) => {
      if (spec.kind === 'microphone') throw new CaptureFailure({ code: 'no-microphone', detail: 'NotFoundError' });
      return source(spec, [video]);
    });
    const recorder = new Recorder(() => undefined, undefined, t.env);
    expect(await recorder.start(request(tab, { kind: 'microphone', deviceId: 'gone' }))).toEqual({
      ok: false,
      error: { code: 'no-microphone', detail: 'NotFoundError' },
    });
    expect(video.stopped).toBe(true);
    expect(t.sessions.size).toBe(0);
    // Nothing is left busy: the next start is taken.
    expect((await recorder.start(request(tab))).ok).toBe(true);
  });

  it('gives up a start when the share picker is cancelled, and stops a capture that arrives late', async () => {
    let answerPicker!: (source: CaptureSource) => void;
    const video = new FakeTrack('video');
    const t = environment((spec) => new Promise((resolve) => (answerPicker = () => resolve(source(spec, [video])))));
    const busy: boolean[] = [];
    const recorder = new Recorder(() => undefined, (b) => busy.push(b), t.env);
    const start = recorder.start(request(screen));
    recorder.cancel('other-session');
    recorder.cancel('S');
    expect(await start).toEqual({ ok: false, error: { code: 'share-cancelled' } });
    expect(busy).toEqual([true, false]);
    answerPicker(source(screen, [video]));
    await vi.waitFor(() => expect(video.stopped).toBe(true));
    await vi.waitFor(() => expect(t.locks.held).toBe(0));
    expect(t.sessions.size).toBe(0);
  });

  it('ends a start that never completes', async () => {
    vi.useFakeTimers();
    const t = environment(() => new Promise(() => undefined));
    const recorder = new Recorder(() => undefined, undefined, t.env);
    const start = recorder.start(request(screen));
    await vi.advanceTimersByTimeAsync(START_TIMEOUT_MS.screen);
    expect(await start).toEqual({ ok: false, error: { code: 'start-timed-out' } });
  });

  it('answers only its own session', async () => {
    const t = environment(async (spec) => source(spec, [new FakeTrack('video')]));
    const recorder = new Recorder(() => undefined, undefined, t.env);
    await recorder.start(request(tab));
    await vi.waitFor(() => expect(t.recorders[0]?.state).toBe('recording'));
    recorder.pause('other');
    await recorder.stop('other');
    expect(t.recorders[0]!.state).toBe('recording');
    recorder.pause('S');
    expect(t.recorders[0]!.state).toBe('paused');
    expect(await recorder.start({ ...request(tab), sessionId: 'T' })).toEqual({ ok: false, error: { code: 'busy' } });
  });
});
