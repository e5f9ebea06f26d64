import { tsupConfig } from '../../tools/build-config.mjs';

// Two entries: `.` (float64, no tfjs) and `./egop` (autodiff EGOP on the tfjs engine of `@nclab/backend`).
export default tsupConfig(process.cwd(), { entry: ['src/index.ts', 'src/egop.ts'] });
