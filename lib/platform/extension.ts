import { installExtensionTranslator } from '../i18n/extension';
import { installSettingsStore } from '../settings';
import { extensionSettingsStore } from '../settings/extension';

/**
 * Every extension context calls this first: strings from chrome.i18n, settings in
 * chrome.storage. (A plain web page installs the bundled strings and localStorage instead.)
 */
export function installExtensionProviders(): void {
  installExtensionTranslator();
  installSettingsStore(extensionSettingsStore);
}
