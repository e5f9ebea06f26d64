import { vitestConfig } from '../../tools/build-config.mjs';

export default vitestConfig(process.cwd(), { setupFiles: ['./test/setup-fast-check.ts'] });
