import { describe, expect, it } from 'vitest';
import { bundledTranslator, formatMessage, pickLocale } from './bundled';
import { installTranslator, t } from '.';

describe('bundled strings (for pages outside the extension)', () => {
  it('picks Chinese or English from the browser languages', () => {
    expect(pickLocale(['zh-CN', 'en'])).toBe('zh_CN');
    expect(pickLocale(['zh-TW'])).toBe('zh_CN');
    expect(pickLocale(['fr-FR', 'en-GB', 'zh'])).toBe('en');
    expect(pickLocale(['de'])).toBe('en');
  });

  it('fills placeholders as chrome.i18n does', () => {
    const entry = { message: 'REC $P1$ of $P2$ costs $$5', placeholders: { p1: { content: '$1' }, p2: { content: '$2' } } };
    expect(formatMessage(entry, ['1:05', 'tab'])).toBe('REC 1:05 of tab costs $5');
    expect(formatMessage(undefined, [])).toBe('');
  });

  it('serves t() in either language', () => {
    installTranslator(bundledTranslator(['zh-CN']));
    expect(t('stop')).toMatch(/[\u4e00-\u9fff]/);
    installTranslator(bundledTranslator(['en-US']));
    expect(t('stop')).toBe('Stop');
    expect(t('badgeTitleRecording', ['0:05'])).toBe('REC 0:05 — WebRTC Studio is recording');
  });
});
