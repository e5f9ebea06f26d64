/**
 * Sizes against memory, per job: each function estimates the largest arrays a job allocates from
 * its options and throws `InsufficientMemoryError` (exit 2, naming the flag and the bytes needed)
 * before any computation, instead of a raw `RangeError` or a run that never ends.
 */
import { assertMemoryFor } from '@nclab/backend';

const max = (v: number | readonly number[]): number => (typeof v === 'number' ? v : Math.max(...v));

/**
 * Deep RFM: the random-feature weights `[width, d]` and the train + test features `[N, width]`
 * (input, AGOP-transformed and mapped copies alive together).
 *
 * @param width - `--width`.
 * @param inputDim - d of the data.
 * @param samples - train + test samples.
 * @throws {InsufficientMemoryError} naming `width`.
 * @example
 * checkDeepRfmSizes(1024, 784, 1000);
 */
export function checkDeepRfmSizes(width: number, inputDim: number, samples: number): void {
  const largest = Math.max(width * inputDim, samples * width, width * width);
  assertMemoryFor('width', { largestArray: largest, total: width * inputDim + 3 * samples * width + width * width, bytesPerElement: 8 }, `${width} random features on ${samples} samples of dimension ${inputDim}`);
}

/**
 * UFM solvers: K×K class matrices and the features `[d, K·n]` of every layer.
 *
 * @param K - `--K`.
 * @param n - `--n` (samples per class, one or per layer).
 * @param d - `--d` (feature dimension, one or per layer).
 * @throws {InsufficientMemoryError} naming `K`.
 * @example
 * checkUfmSizes(10, 5, 20);
 */
export function checkUfmSizes(K: number, n: number | readonly number[], d: number | readonly number[]): void {
  const kn = K * max(n);
  const largest = Math.max(K * K, max(d) * kn, max(d) * max(d));
  assertMemoryFor('K', { largestArray: largest, total: 4 * largest, bytesPerElement: 8 }, `K = ${K} classes with n = ${max(n)}, d = ${max(d)}`);
}

/** Bytes per density-grid point carried through the result, the plot data and the rendered SVG. */
const BYTES_PER_GRID_POINT = 256;

/**
 * Spectral density: every layer's grid of `gridPoints` values goes into the result, the plot data
 * and the SVG.
 *
 * @param gridPoints - `--grid-points`.
 * @param layers - the number of layers analysed.
 * @throws {InsufficientMemoryError} naming `gridPoints`.
 * @example
 * checkDensitySizes(400, 3);
 */
export function checkDensitySizes(gridPoints: number, layers: number): void {
  assertMemoryFor('gridPoints', { largestArray: gridPoints * layers, total: gridPoints * layers, bytesPerElement: BYTES_PER_GRID_POINT }, `a density grid of ${gridPoints} points on ${layers} layer(s)`);
}

/**
 * MLP probes: the weights `[width, max(width, inputDim)]` of every layer, with optimiser state and
 * the initial copy, and the per-layer features `[N, width]`.
 *
 * @param width - `--width`.
 * @param depth - `--depth`.
 * @param inputDim - d of the data (784 for MNIST).
 * @param samples - train + test samples.
 * @throws {InsufficientMemoryError} naming `width`.
 * @example
 * checkMlpSizes(256, 3, 784, 1000);
 */
export function checkMlpSizes(width: number, depth: number, inputDim: number, samples: number): void {
  const layer = width * Math.max(width, inputDim);
  assertMemoryFor('width', { largestArray: Math.max(layer, samples * width), total: 4 * depth * layer + depth * samples * width, bytesPerElement: 8 }, `an MLP of width ${width} and depth ${depth} on ${samples} samples`);
}
