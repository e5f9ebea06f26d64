import { tsupConfig } from '../../tools/build-config.mjs';

export default tsupConfig(process.cwd(), {
  // import.meta.url in the CJS build (used to find the native addon and to create `require`).
  shims: true,
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu'],
});
