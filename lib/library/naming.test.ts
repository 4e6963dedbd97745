import { describe, expect, it } from 'vitest';
import { downloadFileName, fileTimestamp } from './naming';

const at = new Date(2026, 10, 24, 14, 3, 22);

describe('downloadFileName', () => {
  it('keeps ordinary titles readable and adds when the item was made', () => {
    expect(fileTimestamp(at)).toBe('2026-11-24 14-03-22');
    expect(downloadFileName('Tab · example.com', at, 'webm')).toBe('Tab · example.com 2026-11-24 14-03-22.webm');
    expect(downloadFileName('会议录像', at, 'mp4')).toBe('会议录像 2026-11-24 14-03-22.mp4');
  });

  it('defuses hostile titles', () => {
    expect(downloadFileName('../../etc/passwd', at, 'webm')).toBe('_.._etc_passwd 2026-11-24 14-03-22.webm');
    expect(downloadFileName('a\u0000b\nc<d>', at, 'webm')).toBe('a_b_c_d_ 2026-11-24 14-03-22.webm');
    expect(downloadFileName('...', at, 'webm')).toBe('WebRTC Studio 2026-11-24 14-03-22.webm');
    expect(downloadFileName('CON', at, 'webm')).toBe('recording-CON 2026-11-24 14-03-22.webm');
    expect(downloadFileName('x'.repeat(500), at, 'png')).toBe(`${'x'.repeat(120)} 2026-11-24 14-03-22.png`);
  });
});
