import { browser } from 'wxt/browser';
import { handle, RECORDER_PORT, sendTo } from '@/lib/messaging/protocol';
import { recoverOrphanedSessions } from '@/lib/recording/finalize';
import { Recorder } from '@/lib/recording/recorder';

// Only chrome.runtime exists here: everything else is asked of the service worker.
const recorder = new Recorder((sessionId, event) => {
  sendTo('background', 'recorder/event', { sessionId, event }).catch((error) => console.warn('event not delivered', error));
});

handle('offscreen', {
  'offscreen/ping': () => 'pong' as const,
  'offscreen/start': (request) => recorder.start(request),
  'offscreen/stop': () => void recorder.stop(),
  'offscreen/pause': () => recorder.pause(),
  'offscreen/resume': () => recorder.resume(),
});

// The service worker learns of this document's death when the port closes. If the worker
// itself restarts, the port closes on this side: open it again.
function keepPortOpen(): void {
  browser.runtime.connect({ name: RECORDER_PORT }).onDisconnect.addListener(() => setTimeout(keepPortOpen, 100));
}
keepPortOpen();

void recoverOrphanedSessions();
