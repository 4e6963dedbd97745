import { storage } from 'wxt/utils/storage';
import type { SettingsStore } from '.';
import { DEFAULT_SETTINGS, type Settings } from './schema';

/** Settings in chrome.storage.local, shared by every extension context and watched across them. */
const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: DEFAULT_SETTINGS, version: 1 });

export const extensionSettingsStore: SettingsStore = {
  read: () => settingsItem.getValue(),
  write: (settings) => settingsItem.setValue(settings),
  watch: (onChange) => settingsItem.watch((value) => onChange(value)),
};
