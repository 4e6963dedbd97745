import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureFixtures } from './fixtures';

export default function setup(): void {
  if (!existsSync(path.resolve('.output/chrome-mv3/manifest.json'))) {
    throw new Error('Build the extension first: npm run build (npm test does it for you).');
  }
  ensureFixtures();
}
