/** Where the harness keeps its files. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** `tools/bench`. */
export const BENCH_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `tools/bench/peers`: the NumPy peer scripts. */
export const PEERS_DIR = join(BENCH_ROOT, 'peers');
/** `tools/bench/results`: JSON results (gitignored). */
export const RESULTS_DIR = join(BENCH_ROOT, 'results');
