import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Notice } from '@/components/Notice';
import { useNow } from '@/components/hooks';
import { useRecordingState } from '@/components/recording-hooks';
import { RecordingOptions } from '@/components/RecordingOptions';
import { useSettings } from '@/components/settings-hooks';
import { formatBytes, formatDuration } from '@/lib/format';
import { t, uiLanguage } from '@/lib/i18n';
import { missingPermissions, type DeviceKind } from '@/lib/media/devices';
import { sendTo } from '@/lib/messaging/protocol';
import { listSessions } from '@/lib/recording/chunk-store';
import { ERROR_MESSAGE, NOTICE_MESSAGE } from '@/lib/recording/explain';
import { permissionPageUrl } from '@/lib/recording/permissions';
import { elapsedMs, type RecordingError, type RecordingSource, type RecordingState } from '@/lib/recording/state';
import type { RecordingSettings } from '@/lib/settings';

const LIBRARY_URL = '/library.html';
const OPTIONS_URL = '/options.html';
const STUDIO_URL = '/studio.html';
const CALL_URL = '/call.html';

export function Popup() {
  const state = useRecordingState();
  const settings = useSettings();
  if (!state || !settings) return null;
  return (
    <main>
      <header>
        <h1>{t('extName')}</h1>
        <button type="button" class="link" data-action="open-library" onClick={() => openPage(LIBRARY_URL)}>
          {t('openLibrary')}
        </button>
      </header>
      <StatusNotices state={state} />
      {state.status === 'idle' ? <StartPanel settings={settings.recording} /> : <LivePanel state={state} />}
    </main>
  );
}

function openPage(path: string): void {
  void browser.tabs.create({ url: path.startsWith('chrome-extension:') ? path : browser.runtime.getURL(path as '/library.html' | '/options.html' | '/studio.html' | '/call.html') });
  window.close();
}

function StatusNotices({ state }: { state: RecordingState }) {
  const [unfinished, setUnfinished] = useState(0);
  const stoppedForStorage = state.error?.code === 'storage-full' || state.error?.code === 'storage-write-failed';
  useEffect(() => {
    if (state.status !== 'idle') return;
    // A full disk can keep IndexedDB from opening at all (Chromium: "Internal error opening
    // backing store"); a recording stopped for storage kept its chunks, so it is unfinished.
    listSessions().then(
      (s) => setUnfinished(s.length),
      () => setUnfinished(stoppedForStorage ? 1 : 0),
    );
  }, [state.status, stoppedForStorage]);
  const dismiss = () => void sendTo('background', 'recording/dismiss', {});
  return (
    <>
      {state.error && (
        <Notice kind="error" message={t(ERROR_MESSAGE[state.error.code])} detail={state.error.detail} onDismiss={dismiss} dismissLabel={t('dismiss')} />
      )}
      {state.notice && (
        <Notice kind={state.notice === 'storage-low' ? 'warning' : 'info'} message={t(NOTICE_MESSAGE[state.notice])} onDismiss={dismiss} dismissLabel={t('dismiss')}>
          {state.notice !== 'storage-low' && (
            <button type="button" class="link" onClick={() => openPage(LIBRARY_URL)}>
              {t('openLibrary')}
            </button>
          )}
        </Notice>
      )}
      {state.status === 'idle' && unfinished > 0 && state.notice !== 'recording-interrupted' && (
        <Notice kind="info" message={t('noticeUnfinishedFound')}>
          <button type="button" class="link" onClick={() => openPage(LIBRARY_URL)}>
            {t('openLibrary')}
          </button>
        </Notice>
      )}
    </>
  );
}

function StartPanel({ settings }: { settings: RecordingSettings }) {
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<RecordingError | null>(null);

  /**
   * Something done with the tab the user clicked on: the snapshot opens in the Library, the
   * shared tab goes to the call page; only a failure is shown here.
   */
  async function withThisTab(type: 'snapshot/tab' | 'call/share-tab') {
    setBusy(true);
    setActionError(null);
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    const result = await sendTo('background', type, { tabId: tab?.id ?? null });
    setBusy(false);
    if (!result.ok) setActionError(result.error);
    else if (type === 'call/share-tab') window.close();
  }

  async function start(source: RecordingSource) {
    const needed: DeviceKind[] = [];
    if (source === 'camera' || settings.cameraBubble) needed.push('camera');
    if (settings.microphone) needed.push('microphone');
    const missing = await missingPermissions(needed);
    if (missing.length > 0) return openPage(permissionPageUrl(missing, source === 'tab' ? null : source));
    setBusy(true);
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    await sendTo('background', 'recording/start', { source, tabId: tab?.id ?? null });
    setBusy(false);
  }

  return (
    <>
      <div class="sources">
        <button type="button" class="primary" data-action="record-tab" disabled={busy} onClick={() => void start('tab')}>
          {t('recordTab')}
        </button>
        <button type="button" data-action="record-screen" disabled={busy} onClick={() => void start('screen')}>
          {t('recordScreen')}
        </button>
        <button type="button" data-action="record-camera" disabled={busy} onClick={() => void start('camera')}>
          {t('recordCamera')}
        </button>
      </div>
      <div class="pair">
        <button type="button" data-action="snapshot-tab" disabled={busy} onClick={() => void withThisTab('snapshot/tab')}>
          {t('snapshotTab')}
        </button>
        <button type="button" data-action="open-studio" onClick={() => openPage(STUDIO_URL)}>
          {t('openStudio')}
        </button>
      </div>
      <div class="pair">
        <button type="button" data-action="share-tab-in-call" disabled={busy} onClick={() => void withThisTab('call/share-tab')}>
          {t('shareTabInCall')}
        </button>
        <button type="button" data-action="open-call" onClick={() => openPage(CALL_URL)}>
          {t('openCall')}
        </button>
      </div>
      {actionError && (
        <Notice
          kind="error"
          message={t(ERROR_MESSAGE[actionError.code])}
          detail={actionError.detail}
          onDismiss={() => setActionError(null)}
          dismissLabel={t('dismiss')}
        />
      )}
      <fieldset>
        <legend>{t('options')}</legend>
        <RecordingOptions settings={settings} askMicrophone={() => openPage(permissionPageUrl(['microphone']))} askCamera={() => openPage(permissionPageUrl(['camera']))} />
        <button type="button" class="link more" data-action="open-options" onClick={() => openPage(OPTIONS_URL)}>
          {t('moreOptions')}
        </button>
      </fieldset>
    </>
  );
}

function LivePanel({ state }: { state: RecordingState }) {
  const now = useNow(state.status === 'recording' || state.status === 'countdown');
  const stop = () => void sendTo('background', 'recording/stop', {});
  if (state.status === 'countdown') {
    const left = Math.max(1, Math.ceil(((state.countdownEndsAt ?? now) - now) / 1000));
    return (
      <div class="live">
        <p>{t('countdownStarting')}</p>
        <p class="clock" data-testid="countdown">{left}</p>
        <div class="controls">
          <button type="button" data-action="stop" onClick={stop}>{t('cancel')}</button>
        </div>
      </div>
    );
  }
  if (state.status === 'starting') {
    // A screen start waits for Chrome's share picker: say so, and let the user give up.
    return (
      <div class="live">
        <p data-testid="status">{t(state.source === 'screen' ? 'statusChooseShare' : 'statusStarting')}</p>
        <div class="controls">
          <button type="button" data-action="cancel-start" onClick={stop}>{t('cancelStart')}</button>
        </div>
      </div>
    );
  }
  if (state.status === 'finalizing') {
    return (
      <div class="live">
        <p data-testid="status">{t('statusSaving')}</p>
      </div>
    );
  }
  const paused = state.status === 'paused';
  return (
    <div class="live">
      <p data-testid="status">
        {!paused && <span class="dot" aria-hidden="true" />}
        {t(paused ? 'statusPaused' : 'statusRecording')}
      </p>
      <p class={`clock${paused ? ' paused' : ''}`} data-testid="elapsed">
        {formatDuration(elapsedMs(state, now))}
      </p>
      <p class="muted" data-testid="size">{formatBytes(state.bytes, uiLanguage())}</p>
      <div class="controls">
        {paused ? (
          <button type="button" data-action="resume" onClick={() => void sendTo('background', 'recording/resume', {})}>
            {t('resume')}
          </button>
        ) : (
          <button type="button" data-action="pause" onClick={() => void sendTo('background', 'recording/pause', {})}>
            {t('pause')}
          </button>
        )}
        <button type="button" class="primary" data-action="stop" onClick={stop}>
          {t('stop')}
        </button>
      </div>
      <p class="muted">{t('shortcutHint')}</p>
    </div>
  );
}
