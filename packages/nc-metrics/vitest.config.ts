import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@nclab/source'] },
  ssr: { resolve: { conditions: ['@nclab/source'] } },
  test: { include: ['test/**/*.test.ts'], setupFiles: ['./test/setup-fast-check.ts'], testTimeout: 60_000, pool: 'forks' },
});
