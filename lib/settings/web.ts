import type { SettingsStore } from '.';
import type { Settings } from './schema';

const KEY = 'webrtc-studio:settings';

/** Settings in a web page's localStorage (the guest call page); other tabs' changes arrive as storage events. */
export function webSettingsStore(storage: Storage = localStorage, events: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): SettingsStore {
  const read = () => {
    try {
      return JSON.parse(storage.getItem(KEY) ?? 'null') as unknown;
    } catch {
      return null;
    }
  };
  return {
    read: async () => read(),
    write: async (settings: Settings) => storage.setItem(KEY, JSON.stringify(settings)),
    watch(onChange) {
      const listener = (event: StorageEvent) => {
        if (event.key === KEY) onChange(read());
      };
      events.addEventListener('storage', listener as EventListener);
      return () => events.removeEventListener('storage', listener as EventListener);
    },
  };
}
