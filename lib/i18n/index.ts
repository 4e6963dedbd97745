import type english from '../../public/_locales/en/messages.json';
import { provider } from '../platform/provider';

/** Every user-visible string has a key in public/_locales/<lang>/messages.json. */
export type MessageKey = keyof typeof english;

/**
 * Where strings come from. The extension asks `chrome.i18n` (lib/i18n/extension.ts); a plain
 * web page (the guest call page) uses the same messages bundled in (lib/i18n/bundled.ts). Code
 * that runs in both calls t() and never knows which.
 */
export interface Translator {
  message(key: MessageKey, substitutions: string[]): string;
  /** The UI language as a BCP 47 tag, for number and date formatting. */
  language(): string;
}

const translator = provider<Translator>('translator');

/** Each context installs its translator once, before it renders anything. */
export const installTranslator = translator.install;
const current = translator.get;

export function t(key: MessageKey, substitutions?: string | string[]): string {
  const list = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  // A missing message comes back empty; the key itself is a more useful fallback.
  return current().message(key, list) || key;
}

export function uiLanguage(): string {
  return current().language();
}
