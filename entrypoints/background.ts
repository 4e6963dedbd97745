import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { installExtensionProviders } from '@/lib/platform/extension';
import { startRecordingCoordinator } from '@/lib/recording/background';

export default defineBackground(() => {
  installExtensionProviders();
  startRecordingCoordinator();
  // A first install opens the Library with a word on where to start.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/library.html?welcome') });
  });
});
