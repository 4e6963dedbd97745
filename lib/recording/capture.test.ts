import { describe, expect, it } from 'vitest';
import { captureError } from './capture';

const dom = (name: string) => Object.assign(new Error('msg'), { name });

describe('captureError', () => {
  it('explains a missing microphone', () => {
    expect(captureError(dom('NotFoundError'), 'microphone', 'tab').code).toBe('no-microphone');
    expect(captureError(dom('OverconstrainedError'), 'microphone', 'tab').code).toBe('no-microphone');
  });

  it('tells a refused permission from a cancelled share picker', () => {
    expect(captureError(dom('NotAllowedError'), 'microphone', 'screen').code).toBe('permission-denied');
    expect(captureError(dom('NotAllowedError'), 'capture', 'camera').code).toBe('permission-denied');
    expect(captureError(dom('NotAllowedError'), 'capture', 'screen').code).toBe('share-cancelled');
  });

  it('explains a missing camera and keeps the browser words', () => {
    const error = captureError(dom('NotFoundError'), 'capture', 'camera');
    expect(error).toEqual({ code: 'no-camera', detail: 'NotFoundError: msg' });
    expect(captureError('weird', 'capture', 'tab')).toEqual({ code: 'capture-failed', detail: 'weird' });
  });
});
