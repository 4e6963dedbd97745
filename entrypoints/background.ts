import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { shareTabInCall, takeTabShare } from '@/lib/call-share/background';
import { handle } from '@/lib/messaging/protocol';
import { installExtensionProviders } from '@/lib/platform/extension';
import { startRecordingCoordinator } from '@/lib/recording/background';
import { snapshotTabFromToolbar } from '@/lib/snapshot/background';

export default defineBackground(() => {
  installExtensionProviders();
  const recording = startRecordingCoordinator();
  handle('background', {
    'recording/start': ({ source, tabId }) => recording.start(source, tabId),
    'recording/stop': () => recording.stop(),
    'recording/pause': () => recording.pause(),
    'recording/resume': () => recording.resume(),
    'recording/dismiss': () => recording.dismiss(),
    'recorder/event': ({ event }) => recording.onRecorderEvent(event),
    'snapshot/tab': ({ tabId }) => snapshotTabFromToolbar(tabId),
    'call/share-tab': ({ tabId }) => shareTabInCall(tabId),
    'call/take-tab-share': (_request, sender) => takeTabShare(sender.tab?.id),
  });
  // A first install opens the Library with a word on where to start.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/library.html?welcome') });
  });
});
