import { storage } from 'wxt/utils/storage';
import { sendTo } from '../messaging/protocol';
import { offscreenLeases, type OffscreenDocumentApi } from './leases';

/**
 * The one offscreen document (service-worker side). It hosts MediaRecorder today, and the
 * chroma key and encoders next: unlike the service worker it has DOM media APIs and is not
 * stopped while it works. Jobs hold leases on it (./leases.ts).
 */
const OFFSCREEN_PATH = '/offscreen.html';

const chromeOffscreen: OffscreenDocumentApi = {
  async isOpen() {
    const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
    return contexts.length > 0;
  },
  open: () =>
    chrome.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.USER_MEDIA, chrome.offscreen.Reason.DISPLAY_MEDIA, chrome.offscreen.Reason.AUDIO_PLAYBACK],
      justification: 'Records tab, screen and camera captures with MediaRecorder and plays the tab sound back.',
    }),
  close: () => chrome.offscreen.closeDocument(),
  ping: async () => (await sendTo('offscreen', 'host/ping', {})) === 'pong',
};

const leaseItem = storage.defineItem<string[]>('session:offscreen-leases', { fallback: [] });

export const offscreenDocument = {
  ...offscreenLeases(chromeOffscreen, { get: () => leaseItem.getValue(), set: (leases) => leaseItem.setValue(leases) }),
  isOpen: chromeOffscreen.isOpen,
};
