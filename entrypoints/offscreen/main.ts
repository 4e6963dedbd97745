import { browser, type Browser } from 'wxt/browser';
import { handle, sendTo } from '@/lib/messaging/protocol';
import { jobPortName, type OffscreenJob } from '@/lib/offscreen/jobs';
import { Recorder } from '@/lib/recording/recorder';
import { snapshotImage, snapshotTab } from '@/lib/snapshot/tab';

// The offscreen document hosts the jobs that need DOM media APIs and must not be stopped while
// they work. Only chrome.runtime exists here: everything else is asked of the service worker.

/** While a job works it keeps its port open: the service worker learns of the job's death when the port closes. */
function livenessPort(job: OffscreenJob): (busy: boolean) => void {
  let port: Browser.runtime.Port | null = null;
  let busy = false;
  const open = () => {
    port = browser.runtime.connect({ name: jobPortName(job) });
    // A restarted service worker closes the port on this side: open it again while busy.
    port.onDisconnect.addListener(() => {
      port = null;
      if (busy) setTimeout(() => busy && !port && open(), 100);
    });
  };
  return (next) => {
    busy = next;
    if (busy && !port) open();
    if (!busy && port) {
      port.disconnect();
      port = null;
    }
  };
}

const recorder = new Recorder(
  (event) => void sendTo('background', 'recorder/event', { event }).catch((error) => console.warn('event not delivered', error)),
  livenessPort('recorder'),
);

handle('offscreen', {
  'host/ping': () => 'pong' as const,
  'recorder/start': (request) => recorder.start(request),
  'recorder/stop': ({ sessionId }) => void recorder.stop(sessionId),
  'recorder/pause': ({ sessionId }) => recorder.pause(sessionId),
  'recorder/resume': ({ sessionId }) => recorder.resume(sessionId),
  'recorder/cancel': ({ sessionId }) => recorder.cancel(sessionId),
  'snapshot/tab': ({ streamId, title }) => snapshotTab(streamId, title),
  'snapshot/image': ({ dataUrl, title }) => snapshotImage(dataUrl, title),
});
