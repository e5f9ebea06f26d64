import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // keep the executable built by the second config in parallel
    clean: ['!cli.*'],
    // one self-contained file per entry: lazy `import()`s are inlined, no shared chunks to race on
    splitting: false,
    shims: true,
    target: 'node20',
  },
  {
    // The executable: ESM only (top-level await), with a shebang.
    entry: ['src/cli.ts'],
    format: ['esm'],
    sourcemap: true,
    splitting: false,
    clean: false,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
