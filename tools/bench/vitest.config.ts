import { vitestConfig } from '../build-config.mjs';

export default vitestConfig(process.cwd());
