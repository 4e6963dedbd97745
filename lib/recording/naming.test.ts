import { describe, expect, it } from 'vitest';
import { defaultTitle, isUncapturableUrl, pageSubject } from './naming';

describe('defaultTitle', () => {
  it('names the source and the page, not the date (the Library shows that beside it)', () => {
    expect(defaultTitle('Tab', 'example.com')).toBe('Tab · example.com');
    expect(defaultTitle('Camera', null)).toBe('Camera');
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
