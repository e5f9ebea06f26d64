import { tsupConfig } from '../../tools/build-config.mjs';

export default tsupConfig(process.cwd());
