import { browser } from 'wxt/browser';
import { formatDuration, recordingBadgeText } from '../format';
import { t, uiLanguage, type MessageKey } from '../i18n';
import { handle, RECORDER_PORT, sendTo, type StartResult } from '../messaging/protocol';
import { getSettings } from '../settings';
import { defaultTitle, isUncapturableUrl, pageSubject } from './naming';
import { closeOffscreenDocument, ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-document';
import { elapsedMs, isActive, shortcutAction, type RecordingError, type RecordingEvent, type RecordingSource, type RecordingState } from './state';
import { applyRecordingEvent, getRecordingState } from './state-store';

const SOURCE_LABEL: Record<RecordingSource, MessageKey> = {
  tab: 'sourceTab',
  screen: 'sourceScreen',
  camera: 'sourceCamera',
};

/**
 * The service worker's side of recording: it turns the user's clicks and shortcuts into
 * requests to the offscreen recorder, keeps the state machine, and draws the toolbar badge.
 * It holds nothing in globals that a restart would lose.
 */
export function startRecordingCoordinator(): void {
  handle('background', {
    'recording/start': ({ source, tabId }) => startRecording(source, tabId),
    'recording/stop': () => stopRecording(),
    'recording/pause': () => forward('offscreen/pause'),
    'recording/resume': () => forward('offscreen/resume'),
    'recording/dismiss': async () => void (await apply({ type: 'dismiss' })),
    'recorder/event': ({ sessionId, event }) => onRecorderEvent(sessionId, event),
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    void getRecordingState().then((state) => {
      if (isActive(state) && state.source === 'tab' && state.tabId === tabId) void stopRecording();
    });
  });

  browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab?.id ?? null));

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== RECORDER_PORT) return;
    port.onDisconnect.addListener(() => void checkRecorderAlive());
  });

  void checkRecorderAlive().then(async () => renderBadge(await getRecordingState()));
}

async function apply(event: RecordingEvent): Promise<RecordingState> {
  const state = await applyRecordingEvent(event);
  await renderBadge(state);
  return state;
}

async function startRecording(source: RecordingSource, tabId: number | null): Promise<StartResult> {
  if (isActive(await getRecordingState())) return { ok: false, error: { code: 'busy' } };
  let streamId: string | null = null;
  let subject: string | null = null;
  if (source === 'tab') {
    if (tabId === null) return fail({ code: 'uncapturable-page' });
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab || isUncapturableUrl(tab.url)) return fail({ code: 'uncapturable-page' });
    subject = pageSubject(tab.url);
    try {
      streamId = await chrome.tabCapture.getMediaStreamId({ targetTabId: tabId });
    } catch (error) {
      return fail({ code: 'uncapturable-page', detail: String(error instanceof Error ? error.message : error) });
    }
  }
  const sessionId = crypto.randomUUID();
  const requested = await apply({ type: 'start-requested', sessionId, source, tabId: source === 'tab' ? tabId : null });
  // Two starts at once (a double click, a shortcut and a click): only one is taken.
  if (requested.sessionId !== sessionId) return { ok: false, error: { code: 'busy' } };
  const settings = await getSettings();
  const title = defaultTitle(t(SOURCE_LABEL[source]), subject, new Date(), uiLanguage());
  let result: StartResult;
  try {
    await ensureOffscreenDocument();
    result = await sendTo('offscreen', 'offscreen/start', { sessionId, source, streamId, settings: settings.recording, title });
  } catch (error) {
    result = { ok: false, error: { code: 'capture-failed', detail: String(error) } };
  }
  if (!result.ok) {
    await apply({ type: 'failed', error: result.error });
    await closeOffscreenDocument();
  }
  return result;
}

async function fail(error: RecordingError): Promise<StartResult> {
  await apply({ type: 'failed', error });
  return { ok: false, error };
}

async function stopRecording(): Promise<void> {
  const state = await getRecordingState();
  if (!isActive(state)) return;
  if (!(await hasOffscreenDocument())) {
    await apply({ type: 'interrupted' });
    return;
  }
  await sendTo('offscreen', 'offscreen/stop', {}).catch(() => undefined);
}

async function forward(type: 'offscreen/pause' | 'offscreen/resume'): Promise<void> {
  if (!isActive(await getRecordingState())) return;
  await sendTo('offscreen', type, {}).catch(() => undefined);
}

async function onRecorderEvent(sessionId: string, event: RecordingEvent): Promise<void> {
  if ((await getRecordingState()).sessionId !== sessionId) return;
  const state = await apply(event);
  if (event.type === 'finished' && !isActive(state)) {
    await closeOffscreenDocument();
    // Show the result where the user can play, rename or download it.
    if (event.recordingId) await browser.tabs.create({ url: browser.runtime.getURL(`/library.html#${event.recordingId}`) });
  }
}

async function onCommand(command: string, tabId: number | null): Promise<void> {
  switch (shortcutAction(command, (await getRecordingState()).status)) {
    case 'start-tab':
      return void (await startRecording('tab', tabId));
    case 'stop':
      return stopRecording();
    case 'pause':
      return forward('offscreen/pause');
    case 'resume':
      return forward('offscreen/resume');
  }
}

/** A recorder that vanished (its document crashed or was closed) leaves chunks for the Library to recover. */
async function checkRecorderAlive(): Promise<void> {
  const state = await getRecordingState();
  if (isActive(state) && state.status !== 'starting' && !(await hasOffscreenDocument())) {
    await apply({ type: 'interrupted' });
  }
}

const BADGE_COLOR = { recording: '#d93025', paused: '#f29900', other: '#5f6368' } as const;

async function renderBadge(state: RecordingState): Promise<void> {
  const action = browser.action;
  const now = Date.now();
  let text = '';
  let title = t('actionTitle');
  let color: string = BADGE_COLOR.other;
  switch (state.status) {
    case 'recording':
      text = recordingBadgeText(elapsedMs(state, now));
      title = t('badgeTitleRecording', [formatDuration(elapsedMs(state, now))]);
      color = BADGE_COLOR.recording;
      break;
    case 'paused':
      text = t('badgePaused');
      title = t('badgeTitlePaused', [formatDuration(elapsedMs(state, now))]);
      color = BADGE_COLOR.paused;
      break;
    case 'countdown': {
      const left = Math.max(0, (state.countdownEndsAt ?? now) - now);
      text = String(Math.max(1, Math.ceil(left / 1000)));
      color = BADGE_COLOR.recording;
      // Nothing else wakes us during the count: tick it down ourselves.
      setTimeout(async () => {
        const latest = await getRecordingState();
        if (latest.status === 'countdown') await renderBadge(latest);
      }, (left % 1000) + 20);
      break;
    }
    case 'starting':
    case 'finalizing':
      text = '…';
      break;
    case 'idle':
      if (state.error) {
        text = '!';
        color = BADGE_COLOR.recording;
      }
      break;
  }
  await Promise.all([action.setBadgeText({ text }), action.setBadgeBackgroundColor({ color }), action.setTitle({ title })]);
}
