import { describe, expect, it } from 'vitest';
import { acquire, constraintsFor, type MediaDevicesLike } from './capture';
import { CaptureFailure } from './errors';
import { FakeTrack, fakeStream } from '../testing/fake-media';

const limits = { width: 1280, height: 720, frameRate: 30 };

function devices(result: MediaStream | Error): MediaDevicesLike & { asked: MediaStreamConstraints[] } {
  const asked: MediaStreamConstraints[] = [];
  const answer = async (c?: MediaStreamConstraints) => {
    asked.push(c ?? {});
    if (result instanceof Error) throw result;
    return result;
  };
  return { asked, getUserMedia: answer, getDisplayMedia: answer };
}

describe('capture specs', () => {
  it('asks for a tab by its stream id, within the limits', () => {
    const { display, constraints } = constraintsFor({ kind: 'tab', streamId: 'S', audio: true, limits });
    expect(display).toBe(false);
    expect(constraints.video).toEqual({ mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: 'S', maxWidth: 1280, maxHeight: 720, maxFrameRate: 30 } });
    expect(constraints.audio).toEqual({ mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: 'S' } });
  });

  it('asks for a chosen camera exactly, and the default one without an id', () => {
    expect(constraintsFor({ kind: 'camera', deviceId: 'cam-2', constraints: { width: { ideal: 640 } } }).constraints.video).toEqual({
      width: { ideal: 640 },
      deviceId: { exact: 'cam-2' },
    });
    expect(constraintsFor({ kind: 'camera', deviceId: null, constraints: {} }).constraints.video).toEqual({});
    expect(constraintsFor({ kind: 'screen', audio: false, limits }).display).toBe(true);
  });
});

describe('acquire', () => {
  it('explains a machine without a camera', async () => {
    const notFound = Object.assign(new Error('Requested device not found'), { name: 'NotFoundError' });
    const failure = await acquire({ kind: 'camera', deviceId: null, constraints: {} }, devices(notFound)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CaptureFailure);
    expect((failure as CaptureFailure).error).toEqual({ code: 'no-camera', detail: 'NotFoundError: Requested device not found' });
  });

  it('settles `ended` when the picture ends by itself, and stops every track', async () => {
    const video = new FakeTrack('video');
    const audio = new FakeTrack('audio');
    const source = await acquire({ kind: 'screen', audio: true, limits }, devices(fakeStream([video, audio])));
    let ended = false;
    void source.ended.then(() => (ended = true));
    await Promise.resolve();
    expect(ended).toBe(false);
    video.dispatchEvent(new Event('ended'));
    await source.ended;
    expect(ended).toBe(true);
    source.stop();
    expect(video.stopped && audio.stopped).toBe(true);
  });
});
