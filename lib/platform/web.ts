import { bundledTranslator } from '../i18n/bundled';
import { installTranslator } from '../i18n';
import { installSettingsStore } from '../settings';
import { webSettingsStore } from '../settings/web';

/**
 * What a plain web page (the guest call page the signaling server serves) installs first: the
 * extension's strings bundled in, in the browser's language, and settings in localStorage.
 */
export function installWebProviders(): void {
  installTranslator(bundledTranslator());
  installSettingsStore(webSettingsStore());
}
