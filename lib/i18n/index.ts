import { browser } from 'wxt/browser';
import type english from '../../public/_locales/en/messages.json';

/** Every user-visible string has a key in public/_locales/<lang>/messages.json. */
export type MessageKey = keyof typeof english;

export function t(key: MessageKey, substitutions?: string | string[]): string {
  // getMessage returns '' for a missing key; the key itself is a more useful fallback.
  return browser.i18n.getMessage(key, substitutions) || key;
}

/** The UI language as a BCP 47 tag, for number and date formatting. */
export function uiLanguage(): string {
  return browser.i18n.getUILanguage();
}
