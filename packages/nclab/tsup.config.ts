import { tsupConfig } from '../../tools/build-config.mjs';

export default [
  // keep the executable built by the second config in parallel; one self-contained file per entry:
  // lazy `import()`s are inlined, no shared chunks to race on
  tsupConfig(process.cwd(), { clean: ['!cli.*'], splitting: false, shims: true }),
  // the executable: ESM only (top-level await), with a shebang
  tsupConfig(process.cwd(), { entry: ['src/cli.ts'], format: ['esm'], dts: false, splitting: false, clean: false, banner: { js: '#!/usr/bin/env node' } }),
];
