import { tsupConfig } from '../../tools/build-config.mjs';

export default tsupConfig(process.cwd(), {
  // Two entries: `.` (everything) and `./host` (no tfjs). Splitting puts their shared modules in one chunk
  // in both formats, so the two entries share one set of error classes and one linear-algebra path state.
  entry: ['src/index.ts', 'src/host.ts'],
  splitting: true,
  // import.meta.url in the CJS build (used to find the native addon and to create `require`).
  shims: true,
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu'],
});
