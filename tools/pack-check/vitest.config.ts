import { defineConfig } from 'vitest/config';

// One scratch project for all packages: the install (beforeAll) dominates; each example then runs in seconds.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 600_000, pool: 'forks' },
});
