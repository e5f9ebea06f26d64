/**
 * How many threads nclab's worker pools use: the tfjs-wasm pool of `matmul` and the portable GEMM.
 */
import { readEnv } from './env.js';
import { builtinModule } from './node.js';

/** Threads a pool uses: `NCLAB_WORKERS`, else min(4, cores); 0 when worker threads are unavailable here. */
export function poolSize(): number {
  const os = builtinModule<{ availableParallelism?: () => number; cpus(): unknown[] }>('os');
  const wt = builtinModule('worker_threads');
  if (!os || !wt) return 0;
  const forced = Number(readEnv('NCLAB_WORKERS'));
  if (Number.isInteger(forced) && forced >= 0) return forced;
  return Math.min(4, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
}
