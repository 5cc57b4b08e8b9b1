import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); tests with real peers live in test/e2e.
// e2e tests bind free ports (0) and run private rsyslogd instances, so files may run side by side.
// The one that needs /dev/log (linux-sessions, through helpers/linux-host.ts) holds a lock file for
// it, so two runs of it wait for each other; no other test touches /dev/log or a fixed port.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // The JSON report feeds the one-line totals that .ci/run prints.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
