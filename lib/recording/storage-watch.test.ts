import { describe, expect, it } from 'vitest';
import { LOW_SPACE_BYTES, MIN_RESERVE_BYTES, storageVerdict } from './storage-watch';

describe('storageVerdict', () => {
  it('is fine with plenty of room', () => {
    expect(storageVerdict({ quota: 100e9, usage: 1e9 }, 50e6)).toBe('ok');
  });

  it('warns before the reserve is reached', () => {
    const quota = 10e9;
    const usage = quota - MIN_RESERVE_BYTES - 100e6 - LOW_SPACE_BYTES / 2;
    expect(storageVerdict({ quota, usage }, 100e6)).toBe('low');
  });

  it('stops when what is left cannot hold the finished copy', () => {
    expect(storageVerdict({ quota: 10e9, usage: 10e9 - 250e6 }, 100e6)).toBe('full');
  });

  it('does not guess without an estimate', () => {
    expect(storageVerdict({}, 1e12)).toBe('ok');
  });
});
