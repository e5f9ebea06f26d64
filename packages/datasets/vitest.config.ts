import { vitestConfig } from '../../tools/build-config.mjs';

// The tests are pure (no global state), so files share one module graph per worker:
// @nclab/backend/host is imported once instead of once per file.
export default vitestConfig(process.cwd(), { setupFiles: ['./test/setup-fast-check.ts'], isolate: false });
