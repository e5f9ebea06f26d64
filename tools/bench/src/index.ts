/**
 * @nclab/bench: times nclab against a NumPy peer on the same input in one run.
 * Bench files default-export {@link defineBench}; `nclab-bench` runs them.
 */
export type { Bench, BenchSpec, PeerSpec } from './define.js';
export { defineBench, isBench } from './define.js';
export { median, ratio, rel, formatSeconds, formatRatio } from './stats.js';
export type { PeerOutput } from './peer-output.js';
export { parsePeerOutput } from './peer-output.js';
export { writeNpyInput, benchTempDir } from './input.js';
export type { ProcessUsage } from './process.js';
export { runNodeProcess } from './process.js';
export type { NpyData, NpyInput } from './npy.js';
export { encodeNpy } from './npy.js';
export type { BenchResult, PeerResult } from './runner.js';
export { PEERS_DIR, RESULTS_DIR } from './paths.js';
