import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Notice } from '@/components/Notice';
import { useNow, useRecordingState, useSettings } from '@/components/hooks';
import { formatBytes, formatDuration } from '@/lib/format';
import { t, uiLanguage } from '@/lib/i18n';
import { sendTo } from '@/lib/messaging/protocol';
import { listSessions } from '@/lib/recording/chunk-store';
import { ERROR_MESSAGE, NOTICE_MESSAGE } from '@/lib/recording/explain';
import { isGranted, missingPermissions, permissionPageUrl, type DeviceKind } from '@/lib/recording/permissions';
import { QUALITY_PRESETS, type QualityPreset } from '@/lib/recording/quality';
import { elapsedMs, type RecordingSource, type RecordingState } from '@/lib/recording/state';
import { updateRecordingSettings, type RecordingSettings } from '@/lib/settings';

const LIBRARY_URL = '/library.html';

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
  void browser.tabs.create({ url: path.startsWith('chrome-extension:') ? path : browser.runtime.getURL(path as '/library.html') });
  window.close();
}

function StatusNotices({ state }: { state: RecordingState }) {
  const [unfinished, setUnfinished] = useState(0);
  useEffect(() => {
    if (state.status === 'idle') void listSessions().then((s) => setUnfinished(s.length));
  }, [state.status]);
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

  async function start(source: RecordingSource) {
    const needed: DeviceKind[] = [];
    if (source === 'camera') needed.push('camera');
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
      <Options settings={settings} />
    </>
  );
}

function Options({ settings }: { settings: RecordingSettings }) {
  const [microphones, setMicrophones] = useState<MediaDeviceInfo[]>([]);
  const [micAllowed, setMicAllowed] = useState(false);
  useEffect(() => {
    void isGranted('microphone').then(async (granted) => {
      setMicAllowed(granted);
      if (!granted) return;
      const devices = await navigator.mediaDevices.enumerateDevices();
      setMicrophones(devices.filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications'));
    });
  }, []);
  const set = (patch: Partial<RecordingSettings>) => void updateRecordingSettings(patch);

  return (
    <fieldset>
      <legend>{t('options')}</legend>
      <label class="row">
        <span>
          <input
            type="checkbox"
            data-setting="microphone"
            checked={settings.microphone}
            onChange={async (e) => {
              const on = e.currentTarget.checked;
              // Saved before the popup closes for the permission page.
              await updateRecordingSettings({ microphone: on });
              if (on && !micAllowed) openPage(permissionPageUrl(['microphone']));
            }}
          />{' '}
          {t('optionMicrophone')}
        </span>
        {settings.microphone && micAllowed && (
          <select aria-label={t('optionMicrophoneDevice')} value={settings.microphoneId} onChange={(e) => set({ microphoneId: e.currentTarget.value })}>
            <option value="">{t('defaultMicrophone')}</option>
            {microphones.map((m) => (
              <option key={m.deviceId} value={m.deviceId}>
                {m.label || m.deviceId.slice(0, 8)}
              </option>
            ))}
          </select>
        )}
      </label>
      <label class="row">
        <span>
          <input type="checkbox" data-setting="tabAudio" checked={settings.tabAudio} onChange={(e) => set({ tabAudio: e.currentTarget.checked })} />{' '}
          {t('optionTabAudio')}
        </span>
      </label>
      <label class="row">
        <span>{t('optionQuality')}</span>
        <select data-setting="quality" value={settings.quality} onChange={(e) => set({ quality: e.currentTarget.value as QualityPreset })}>
          {(Object.keys(QUALITY_PRESETS) as QualityPreset[]).map((preset) => (
            <option key={preset} value={preset}>
              {t('qualityOption', [preset, String(QUALITY_PRESETS[preset].frameRate)])}
            </option>
          ))}
        </select>
      </label>
      <label class="row">
        <span>{t('optionCountdown')}</span>
        <select
          data-setting="countdown"
          value={String(settings.countdownSeconds)}
          onChange={(e) => set({ countdownSeconds: e.currentTarget.value === '3' ? 3 : 0 })}
        >
          <option value="0">{t('countdownOff')}</option>
          <option value="3">{t('countdownSeconds', ['3'])}</option>
        </select>
      </label>
    </fieldset>
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
  if (state.status === 'starting' || state.status === 'finalizing') {
    return (
      <div class="live">
        <p data-testid="status">{t(state.status === 'starting' ? 'statusStarting' : 'statusSaving')}</p>
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
