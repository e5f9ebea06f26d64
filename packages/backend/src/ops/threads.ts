/**
 * How many threads nclab's worker pools use: the tfjs-wasm pool of `matmul` and the portable GEMM.
 */

/** Threads a pool uses: `NCLAB_WORKERS`, else min(4, cores); 0 when worker threads are unavailable here. */
export function poolSize(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  const wt = proc?.getBuiltinModule?.('worker_threads');
  if (!os || !wt) return 0;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const forced = Number(env?.NCLAB_WORKERS);
  if (Number.isInteger(forced) && forced >= 0) return forced;
  return Math.min(4, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
}
