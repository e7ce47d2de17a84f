import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and tsc tests spawn real processes; shared CI machines are slow and noisy. Timeouts only
    // catch hangs; nothing asserts on time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/helpers/plain-summary-reporter.ts'],
  },
});
