import { sendTo } from '../messaging/protocol';

/**
 * The one offscreen document hosts MediaRecorder (and later the chroma key and encoders):
 * unlike the service worker it has DOM media APIs and is not stopped while it works.
 * It is created on demand and closed when idle.
 */
const OFFSCREEN_PATH = '/offscreen.html';
let creating: Promise<void> | null = null;

export async function hasOffscreenDocument(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
  });
  return contexts.length > 0;
}

export async function ensureOffscreenDocument(): Promise<void> {
  if (!(await hasOffscreenDocument())) {
    creating ??= chrome.offscreen
      .createDocument({
        url: OFFSCREEN_PATH,
        reasons: [chrome.offscreen.Reason.USER_MEDIA, chrome.offscreen.Reason.DISPLAY_MEDIA, chrome.offscreen.Reason.AUDIO_PLAYBACK],
        justification: 'Records tab, screen and camera captures with MediaRecorder and plays the tab sound back.',
      })
      .finally(() => (creating = null));
    await creating;
  }
  // The document's script may not be listening yet right after creation.
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      if ((await sendTo('offscreen', 'offscreen/ping', {})) === 'pong') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The offscreen document did not answer.');
}

export async function closeOffscreenDocument(): Promise<void> {
  if (await hasOffscreenDocument()) await chrome.offscreen.closeDocument().catch(() => undefined);
}
