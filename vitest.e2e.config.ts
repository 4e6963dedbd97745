import { defineConfig } from 'vitest/config';

// End-to-end tests: the built extension in real headless Chromium. One browser at a time on
// two cores, so files run one after another.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
