import english from '../../public/_locales/en/messages.json';
import chinese from '../../public/_locales/zh_CN/messages.json';
import type { MessageKey, Translator } from '.';

interface Entry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
type Messages = Record<string, Entry>;

const LOCALES: Record<'en' | 'zh_CN', Messages> = { en: english, zh_CN: chinese };

/** The locale folder for a BCP 47 language list: Chinese when the first Chinese-or-English match is Chinese. */
export function pickLocale(languages: readonly string[]): 'en' | 'zh_CN' {
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh_CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/**
 * Formats a message as chrome.i18n does: `$NAME$` placeholders resolve to their `content`, in
 * which `$1`…`$9` are the substitutions; `$$` is a dollar sign.
 */
export function formatMessage(entry: Entry | undefined, substitutions: string[]): string {
  if (!entry) return '';
  const fill = (text: string) => text.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
  return entry.message.replace(/\$\$|\$([a-zA-Z0-9_@]+)\$/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? fill(placeholder.content) : whole;
  });
}

/** Strings for a plain web page: the extension's own messages, bundled, in the page's language. */
export function bundledTranslator(languages: readonly string[] = navigator.languages): Translator {
  const locale = pickLocale(languages);
  const messages = LOCALES[locale];
  return {
    message: (key: MessageKey, substitutions) => formatMessage(messages[key] ?? LOCALES.en[key], substitutions),
    language: () => (locale === 'zh_CN' ? 'zh-CN' : 'en'),
  };
}
