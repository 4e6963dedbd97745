import { describe, expect, it } from 'vitest';
import { CaptureFailure, explainCaptureError } from './errors';

const dom = (name: string) => Object.assign(new Error('msg'), { name });

describe('explainCaptureError', () => {
  it('explains a missing microphone', () => {
    expect(explainCaptureError(dom('NotFoundError'), 'microphone').code).toBe('no-microphone');
    expect(explainCaptureError(dom('OverconstrainedError'), 'microphone').code).toBe('no-microphone');
  });

  it('tells a refused permission from a cancelled share picker', () => {
    expect(explainCaptureError(dom('NotAllowedError'), 'microphone').code).toBe('permission-denied');
    expect(explainCaptureError(dom('NotAllowedError'), 'camera').code).toBe('permission-denied');
    expect(explainCaptureError(dom('NotAllowedError'), 'screen').code).toBe('share-cancelled');
  });

  it('says a machine without a camera has no camera, not that access was refused', () => {
    expect(explainCaptureError(dom('NotFoundError'), 'camera')).toEqual({ code: 'no-camera', detail: 'NotFoundError: msg' });
    expect(explainCaptureError(dom('OverconstrainedError'), 'camera').code).toBe('no-camera');
  });

  it('tells a camera in use by another app from a missing one', () => {
    expect(explainCaptureError(dom('NotReadableError'), 'camera').code).toBe('device-in-use');
    expect(explainCaptureError(dom('NotReadableError'), 'tab').code).toBe('capture-failed');
  });

  it('keeps the browser words, and passes an explained failure through', () => {
    expect(explainCaptureError('weird', 'tab')).toEqual({ code: 'capture-failed', detail: 'weird' });
    const explained = new CaptureFailure({ code: 'no-camera', detail: 'x' });
    expect(explainCaptureError(explained, 'screen')).toEqual({ code: 'no-camera', detail: 'x' });
  });
});
