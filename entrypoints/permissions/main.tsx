import { render } from 'preact';
import { useState } from 'preact/hooks';
import '@/components/theme.css';
import { Notice } from '@/components/Notice';
import { t, type MessageKey } from '@/lib/i18n';
import { acquire } from '@/lib/media/capture';
import { CAPTURE_ERROR_MESSAGE, explainCaptureError } from '@/lib/media/errors';
import { sendTo } from '@/lib/messaging/protocol';
import { installExtensionProviders } from '@/lib/platform/extension';
import { ERROR_MESSAGE } from '@/lib/recording/explain';
import { parsePermissionRequest } from '@/lib/recording/permissions';

type Outcome = { kind: 'granted' } | { kind: 'recording' } | { kind: 'error'; message: MessageKey; detail: string };

// The offscreen recorder cannot ask for camera or microphone access: this visible page asks,
// then starts the recording the user was after.
function Permissions() {
  const { want, then } = parsePermissionRequest(location.search);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function allow() {
    // One device at a time, so a failure names the device: a machine without a camera is told
    // "no camera was found", not that access was refused.
    for (const kind of want) {
      try {
        const source = await acquire(kind === 'camera' ? { kind: 'camera', deviceId: null, constraints: {} } : { kind: 'microphone', deviceId: null });
        source.stop();
      } catch (failure) {
        const error = explainCaptureError(failure, kind);
        const message = error.code === 'permission-denied' ? 'permissionsDenied' : CAPTURE_ERROR_MESSAGE[error.code];
        return setOutcome({ kind: 'error', message, detail: error.detail ?? '' });
      }
    }
    if (!then) return setOutcome({ kind: 'granted' });
    const result = await sendTo('background', 'recording/start', { source: then, tabId: null });
    setOutcome(result.ok ? { kind: 'recording' } : { kind: 'error', message: ERROR_MESSAGE[result.error.code], detail: result.error.detail ?? '' });
  }

  const why: MessageKey = want.length === 2 ? 'permissionsWhyBoth' : want[0] === 'camera' ? 'permissionsWhyCamera' : 'permissionsWhyMicrophone';
  return (
    <main style={{ maxWidth: '560px', margin: '48px auto', padding: '0 24px' }}>
      <h1>{t('permissionsTitle')}</h1>
      <p>{t(why)}</p>
      <p class="muted">{t('permissionsPrivacy')}</p>
      {outcome?.kind === 'granted' && <Notice kind="info" message={t('permissionsGranted')} />}
      {outcome?.kind === 'recording' && <Notice kind="info" message={t('permissionsRecording')} />}
      {(outcome === null || outcome.kind === 'error') && (
        <button type="button" class="primary" data-action="grant" onClick={() => void allow()}>
          {t(then ? 'permissionsAllowAndRecord' : 'permissionsAllow')}
        </button>
      )}
      {outcome?.kind === 'error' && <Notice kind="error" message={t(outcome.message)} detail={outcome.detail} />}
    </main>
  );
}

installExtensionProviders();
document.title = t('permissionsTitle');
document.documentElement.lang = t('htmlLang');
render(<Permissions />, document.getElementById('app')!);
