/**
 * Shutdown of backend's worker pools. Each pool (the tfjs-wasm `matmul` pool in `ops/`, the portable
 * GEMM pool in `linalg/`) registers its closer here when it starts, so that one exported call closes
 * them all without `ops/` and `linalg/` importing each other.
 */

const closers = new Set<() => Promise<void>>();

/** Registers `close` (idempotent per function) to run on {@link closeWorkerPool}. */
export function registerPoolCloser(close: () => Promise<void>): void {
  closers.add(close);
}

/**
 * Terminates nclab's worker threads: the tfjs-wasm `matmul` pool and the portable GEMM's (they are
 * unref'd, so this is only needed for a clean shutdown). Pools start again on next use.
 * @example
 * await closeWorkerPool(); // before process exit in a test or a worker
 */
export async function closeWorkerPool(): Promise<void> {
  await Promise.all([...closers].map((close) => close()));
}
