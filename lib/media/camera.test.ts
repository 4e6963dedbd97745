import { describe, expect, it } from 'vitest';
import { cameraConstraints, openCamera, openFacing, trackFacts } from './camera';
import type { CaptureSource, CaptureSpec } from './capture';
import { CaptureFailure } from './errors';
import { levelOf } from './level';

const choice = { deviceId: 'usb-cam', resolution: '1080p' as const, frameRate: 30 as const };

/** An acquire() that knows some cameras and records what it was asked. */
function cameras(present: string[], facing: string[] = []) {
  const asked: CaptureSpec[] = [];
  const open = async (spec: CaptureSpec): Promise<CaptureSource> => {
    asked.push(spec);
    if (spec.kind !== 'camera') throw new Error('camera only');
    const wantedFacing = (spec.constraints.facingMode as { exact?: string } | undefined)?.exact;
    const ok = (spec.deviceId === null || present.includes(spec.deviceId)) && (!wantedFacing || facing.includes(wantedFacing)) && present.length > 0;
    if (!ok) throw new CaptureFailure({ code: 'no-camera', detail: 'OverconstrainedError: ' });
    return { spec, stream: {} as MediaStream, ended: new Promise(() => undefined), deliveredFrames: () => null, stop: () => undefined };
  };
  return { open, asked };
}

describe('the Studio camera', () => {
  it('asks for presets as ideal constraints', () => {
    expect(cameraConstraints(choice)).toEqual({ width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 30 } });
  });

  it('opens the remembered camera, or another one — and says it fell back', async () => {
    expect((await openCamera(choice, cameras(['usb-cam']).open)).match).toBe('chosen');
    const gone = cameras(['laptop-cam']);
    const opened = await openCamera(choice, gone.open);
    expect(opened.match).toBe('fallback');
    expect(gone.asked.map((s) => (s as { deviceId: string | null }).deviceId)).toEqual(['usb-cam', null]);
    await expect(openCamera(choice, cameras([]).open)).rejects.toMatchObject({ error: { code: 'no-camera' } });
  });

  it('names the missing front or back camera itself (Chromium leaves the message empty)', async () => {
    await expect(openFacing(choice, 'environment', cameras(['cam'], ['user']).open)).rejects.toMatchObject({
      error: { code: 'facing-unavailable', detail: 'OverconstrainedError: facingMode environment' },
    });
    await expect(openFacing(choice, 'user', cameras(['cam'], ['user']).open)).resolves.toBeDefined();
  });

  it('describes a track with units, readable', () => {
    const rows = trackFacts(
      { width: 640, height: 360, frameRate: 15, aspectRatio: 1.7777, deviceId: 'abcdefghijklmnopqrstuvwxyz0123456789' },
      { width: { min: 1, max: 640 }, frameRate: { min: 0, max: 15 }, resizeMode: ['none', 'crop-and-scale'] } as MediaTrackCapabilities,
      { width: true, height: true, frameRate: true, facingMode: true },
    );
    const row = (name: string) => rows.find((r) => r.name === name)!;
    expect(row('width')).toEqual({ name: 'width', obtained: '640 px', capability: '1 – 640 px', supported: true });
    expect(row('frameRate')).toMatchObject({ obtained: '15 fps', capability: '0 – 15 fps' });
    expect(row('aspectRatio').obtained).toBe('1.78');
    expect(row('resizeMode')).toMatchObject({ obtained: '—', capability: 'none, crop-and-scale', supported: false });
    expect(row('deviceId').obtained).toBe('abcdefghijkl…');
  });
});

describe('the microphone level', () => {
  it('reads silence as 0, full scale as 1, and −30 dBFS halfway', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf(new Float32Array(512).fill(1))).toBe(1);
    expect(levelOf(new Float32Array(512).fill(10 ** (-30 / 20)))).toBeCloseTo(0.5, 5);
  });
});
