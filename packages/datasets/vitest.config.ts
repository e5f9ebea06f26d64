import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@nclab/source'] },
  ssr: { resolve: { conditions: ['@nclab/source'] } },
  // The tests are pure (no global state), so files share one module graph per worker:
  // @nclab/backend (and tfjs behind it) is imported once instead of once per file.
  test: { include: ['test/**/*.test.ts'], setupFiles: ['./test/setup-fast-check.ts'], testTimeout: 60_000, pool: 'forks', isolate: false },
});
