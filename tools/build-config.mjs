/**
 * The build and test configuration every nclab package shares: `tsupConfig` for its
 * `tsup.config.ts`, `vitestConfig` for its `vitest.config.ts`. Both inject the package's version
 * from its package.json as the global `__NCLAB_VERSION__` (read by `VERSION` in each index.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `version` field of `<dir>/package.json`.
 * @param {string} dir - the package folder.
 * @returns {string}
 */
export function packageVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

/** esbuild/vite `define` entries of a package: its version. */
function versionDefine(dir) {
  return { __NCLAB_VERSION__: JSON.stringify(packageVersion(dir)) };
}

/**
 * tsup options of a package library: `src/index.ts` as ESM + CJS with declarations and source maps,
 * Node 20, the version injected. `overrides` are merged over these (e.g. `shims`, `external`).
 * @param {string} dir - the package folder (tsup runs there: `process.cwd()`).
 * @param {import('tsup').Options} [overrides]
 * @returns {import('tsup').Options}
 * @example
 * export default tsupConfig(process.cwd(), { shims: true });
 */
export function tsupConfig(dir, overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...overrides,
    define: { ...versionDefine(dir), ...overrides.define },
  };
}

/**
 * vitest config of a package: sources through the `@nclab/source` condition, `test/**\/*.test.ts`,
 * forked workers, 60 s per test, `NCLAB_QUIET=1`, the version injected. `test` entries are merged over the defaults.
 * @param {string} dir - the package folder (vitest runs there: `process.cwd()`).
 * @param {import('vitest/node').InlineConfig} [test]
 * @returns {import('vitest/config').UserConfig}
 */
export function vitestConfig(dir, test = {}) {
  return {
    define: versionDefine(dir),
    resolve: { conditions: ['@nclab/source'] },
    ssr: { resolve: { conditions: ['@nclab/source'] } },
    // NCLAB_QUIET: backend's one-line linear-algebra notice and the tfjs-cpu banner stay out of test logs
    // (tests that check the notice set and restore the switch themselves).
    test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, pool: 'forks', ...test, env: { NCLAB_QUIET: '1', ...test.env } },
  };
}
