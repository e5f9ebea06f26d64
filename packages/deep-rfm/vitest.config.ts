import { vitestConfig } from '../../tools/build-config.mjs';

export default vitestConfig(process.cwd());
