import { browser } from 'wxt/browser';
import { installTranslator } from '.';

/** Strings from chrome.i18n, in the browser's language. Every extension context calls this first. */
export function installExtensionTranslator(): void {
  installTranslator({
    message: (key, substitutions) => browser.i18n.getMessage(key, substitutions),
    language: () => browser.i18n.getUILanguage(),
  });
}
