import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); tests with real peers live in test/e2e.
// e2e files share machine-wide resources (ports, rsyslogd), so files run one at a time there.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
