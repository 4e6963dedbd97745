import { describe, expect, it } from 'vitest';
import { defaultTitle, downloadFileName, isUncapturableUrl, pageSubject } from './naming';

describe('defaultTitle', () => {
  it('names the source, the page and the time', () => {
    const title = defaultTitle('Tab', 'example.com', new Date(2026, 10, 24, 14, 3), 'en-GB');
    expect(title).toMatch(/^Tab · example\.com — 24 Nov 2026, 14:03$/);
    expect(defaultTitle('Camera', null, new Date(2026, 0, 1), 'en-GB')).toMatch(/^Camera — 1 Jan 2026/);
  });
});

describe('pageSubject', () => {
  it('takes the host and ignores what has none', () => {
    expect(pageSubject('https://news.example.org/a?b')).toBe('news.example.org');
    expect(pageSubject('file:///tmp/x.html')).toBeNull();
    expect(pageSubject('not a url')).toBeNull();
    expect(pageSubject(undefined)).toBeNull();
  });
});

describe('downloadFileName', () => {
  it('keeps ordinary titles readable', () => {
    expect(downloadFileName('Tab · example.com — 24 Nov 2026, 14:03', 'webm')).toBe('Tab · example.com — 24 Nov 2026, 14_03.webm');
    expect(downloadFileName('会议录像', 'webm')).toBe('会议录像.webm');
  });

  it('defuses hostile titles', () => {
    expect(downloadFileName('../../etc/passwd', 'webm')).toBe('_.._etc_passwd.webm');
    expect(downloadFileName('a\u0000b\nc<d>', 'webm')).toBe('a_b_c_d_.webm');
    expect(downloadFileName('...', 'webm')).toBe('recording.webm');
    expect(downloadFileName('CON', 'webm')).toBe('recording-CON.webm');
    expect(downloadFileName('x'.repeat(500), 'webm')).toBe(`${'x'.repeat(120)}.webm`);
  });
});

describe('isUncapturableUrl', () => {
  it('knows the Web Store cannot be captured', () => {
    expect(isUncapturableUrl('https://chromewebstore.google.com/detail/x')).toBe(true);
    expect(isUncapturableUrl('https://chrome.google.com/webstore/category')).toBe(true);
  });

  it('leaves every other page to Chrome to decide', () => {
    for (const url of ['https://example.com', 'http://127.0.0.1:8080/x', 'file:///tmp/a.html', 'chrome://settings', 'https://chrome.google.com/', 'nonsense', undefined]) {
      expect(isUncapturableUrl(url), String(url)).toBe(false);
    }
  });
});
