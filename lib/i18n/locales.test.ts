import { describe, expect, it } from 'vitest';
import english from '../../public/_locales/en/messages.json';
import chinese from '../../public/_locales/zh_CN/messages.json';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const locales: Record<string, Messages> = { en: english, zh_CN: chinese };

describe('locales', () => {
  it('translate every English message into Simplified Chinese', () => {
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
  });

  it('use the same placeholders in every language', () => {
    for (const [key, entry] of Object.entries(english as Messages)) {
      const other = (chinese as Messages)[key]!;
      expect(Object.keys(other.placeholders ?? {}).sort(), key).toEqual(Object.keys(entry.placeholders ?? {}).sort());
      for (const name of Object.keys(entry.placeholders ?? {})) {
        expect(other.message.toLowerCase(), key).toContain(`$${name}$`);
      }
    }
  });

  it('are non-empty and Chinese text is actually translated', () => {
    for (const [lang, messages] of Object.entries(locales)) {
      for (const [key, entry] of Object.entries(messages)) expect(entry.message.trim(), `${lang}.${key}`).not.toBe('');
    }
    const translated = Object.values(chinese as Messages).filter((m) => /[\u4e00-\u9fff]/.test(m.message));
    expect(translated.length).toBeGreaterThan(Object.keys(chinese).length * 0.8);
  });
});
