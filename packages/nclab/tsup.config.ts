import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // keep the executable built by the second config in parallel
    clean: ['!cli.*'],
    shims: true,
    target: 'node20',
  },
  {
    // The executable: ESM only (top-level await), with a shebang.
    entry: ['src/cli.ts'],
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
