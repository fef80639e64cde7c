import { defineConfig } from 'vitest/config';

// The browser tests, apart from `npm test`: they need the built dashboard and
// the godown binary, start a real node and Chromium, and take seconds, not
// milliseconds.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    // Starting the node may wait out a rebuild of its binary.
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
    // Waiting on the page is polling the DOM for a condition; allow for a busy machine before calling it failed.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    // The scenarios share one node and build on the ledger as it grows; a retry would hide a flaky page.
    retry: 0,
  },
});
