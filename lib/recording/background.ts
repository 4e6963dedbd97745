import { libraryItemPath } from '../library/naming';
import { browser } from 'wxt/browser';
import { t, type MessageKey } from '../i18n';
import { sendTo } from '../messaging/protocol';
import { offscreenDocument } from '../offscreen/document';
import { jobOfPort } from '../offscreen/jobs';
import { getSettings } from '../settings';
import { badgeView } from './badge';
import { createCoordinator, type Coordinator } from './coordinator';
import type { RecordingSource, RecordingState } from './state';
import { applyRecordingEvent, getRecordingState } from './state-store';

/** The tab lookups the coordinator and the tab snapshot share. */
export const chromeTabs = {
  url: async (tabId: number) => {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    return tab ? (tab.url ?? '') : null;
  },
  captureStreamId: (tabId: number) => chrome.tabCapture.getMediaStreamId({ targetTabId: tabId }),
};

/** Opens the Library on an item the user just made. */
export async function showInLibrary(itemId: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(libraryItemPath(itemId) as '/library.html') });
}

const SOURCE_LABEL: Record<RecordingSource, MessageKey> = { tab: 'sourceTab', screen: 'sourceScreen', camera: 'sourceCamera' };

/**
 * Wires the recording coordinator to Chrome: the toolbar badge, tabs, shortcuts, the
 * recorder's liveness port. Messages reach it through entrypoints/background.ts.
 */
export function startRecordingCoordinator(): Coordinator {
  const coordinator = createCoordinator({
    state: { get: getRecordingState, apply: applyRecordingEvent },
    onState: renderBadge,
    tabs: { ...chromeTabs, showInLibrary },
    offscreen: offscreenDocument,
    send: (type, request) => sendTo('offscreen', type, request),
    settings: getSettings,
    sourceLabel: (source) => t(SOURCE_LABEL[source]),
    newSessionId: () => crypto.randomUUID(),
  });

  browser.tabs.onRemoved.addListener((tabId) => void coordinator.onTabRemoved(tabId));
  browser.commands.onCommand.addListener((command, tab) => void coordinator.onCommand(command, tab?.id ?? null));
  browser.runtime.onConnect.addListener((port) => {
    if (jobOfPort(port.name) !== 'recorder') return;
    port.onDisconnect.addListener(() => void coordinator.checkRecorderAlive());
  });
  void coordinator.checkRecorderAlive().then(async () => renderBadge(await getRecordingState()));
  return coordinator;
}

async function renderBadge(state: RecordingState): Promise<void> {
  const view = badgeView(state, Date.now());
  if (view.redrawInMs !== null) {
    // Nothing else wakes the worker during the count: tick it down ourselves.
    setTimeout(async () => {
      const latest = await getRecordingState();
      if (latest.status === 'countdown') await renderBadge(latest);
    }, view.redrawInMs);
  }
  await Promise.all([
    browser.action.setBadgeText({ text: view.text }),
    browser.action.setBadgeBackgroundColor({ color: view.color }),
    browser.action.setTitle({ title: view.title }),
  ]);
}
