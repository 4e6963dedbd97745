/**
 * A slot for what differs between the extension and a plain web page (where strings and
 * settings come from): each context installs its implementation once at start-up; code that
 * runs in both asks for it and never knows which.
 */
export function provider<T>(name: string): { install(value: T): void; get(): T } {
  let value: T | null = null;
  return {
    install: (next) => void (value = next),
    get() {
      if (value === null) throw new Error(`No ${name} installed: install one at start-up (lib/platform).`);
      return value;
    },
  };
}
