import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, ensureFixtures } from './fixtures';

export default function setup(): void {
  if (!existsSync(path.resolve('.output/chrome-mv3/manifest.json'))) {
    throw new Error('Build the extension first: npm run build (npm test does it for you).');
  }
  ensureFixtures();
  // Evidence from an earlier run would be mistaken for this run's.
  rmSync(path.join(ARTIFACTS, 'failures'), { recursive: true, force: true });
}
