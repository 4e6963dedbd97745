import { render } from 'preact';
import '@/components/theme.css';
import '@/components/call/call.css';
import { Call, type CallRecorder } from '@/components/call/Call';
import { SHARE_LIMITS } from '@/lib/call/preferences';
import { t } from '@/lib/i18n';
import { acquire, type CaptureSource } from '@/lib/media/capture';
import { keying } from '@/lib/media/chroma/keying';
import { handle, sendTo } from '@/lib/messaging/protocol';
import { libraryItemPath } from '@/lib/library/naming';
import { installExtensionProviders } from '@/lib/platform/extension';
import { recordCall } from '@/lib/recording/call-recording';
import { getSettings } from '@/lib/settings';
import { ROOM_PATTERN } from '@/lib/signaling/protocol';

// The extension's call page: call.html?room=<room>.
installExtensionProviders();
document.title = t('callTitle');
document.documentElement.lang = t('htmlLang');

/**
 * Tabs shared from the popup ("Share this tab in a call"): the service worker keeps the share
 * until a call page asks for it — this one as it starts, and whenever it is told one waits.
 */
function tabShares(listener: { share: (source: CaptureSource) => void; fail: (error: unknown) => void }): () => void {
  const take = async () => {
    const grant = await sendTo('background', 'call/take-tab-share', {});
    if (!grant) return;
    try {
      listener.share(await acquire({ kind: 'tab', streamId: grant.streamId, audio: true, limits: SHARE_LIMITS }));
    } catch (error) {
      listener.fail(error);
    }
  };
  void take();
  return handle('call', { 'call/tab-share-waiting': () => void take() });
}

/** Calls recorded into the Library, like any recording (in the type chosen in Options). */
const recorder: CallRecorder = {
  start: async (input) => recordCall({ ...input, settings: await getSettings() }),
  libraryUrl: libraryItemPath,
};

const room = new URLSearchParams(location.search).get('room') ?? '';
render(
  <Call initialRoom={ROOM_PATTERN.test(room) ? room : ''} serverInOptions={true} pageFor={(name) => `?room=${encodeURIComponent(name)}`} tabShares={tabShares} recorder={recorder} keying={keying} />,
  document.getElementById('app')!,
);
