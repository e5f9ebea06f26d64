/**
 * Recursive Feature Machines: alternate kernel ridge regression and AGOP updates of the metric.
 */
import { InvalidArgumentError, assertInteger, validateLabels, type AnyMatrix, type LinalgRequest, type Matrix } from '@nclab/backend/host';
import { asFloat64, checkMatrix } from './checks.js';
import type { Metric } from './distances.js';
import { kernelAgop } from './agop.js';
import { fitKernelRidge, predictKernel, type KernelModel } from './krr.js';
import type { KernelName, KernelSpec } from './kernels.js';
import { accuracy, meanSquaredError, oneHot } from './targets.js';

/** Data for {@link fitRfm}: labels (classification, ±1 one-hot targets) or a target matrix (regression). */
export interface RfmData {
  /** Inputs `[N, d]`. */
  readonly x: AnyMatrix;
  /** Integer class labels (length N) … */
  readonly labels?: ArrayLike<number>;
  /** … or real targets `[N, K]`. */
  readonly targets?: AnyMatrix;
}

/** Options of {@link fitRfm}. */
export interface RfmOptions {
  /** The kernel (name or spec). */
  readonly kernel: KernelName | KernelSpec;
  /** Ridge μ ≥ 0. Default 1e-3 (the RFM code's default). */
  readonly ridge?: number;
  /** Number T of AGOP updates. Default 1. */
  readonly iterations?: number;
  /** Learn a diagonal metric only. Default false. */
  readonly diagonal?: boolean;
  /** Centre gradients in the AGOP. Default false. */
  readonly centered?: boolean;
  /** AGOP normalisation: `'max'` (default, as the RFM code) or `'none'`. */
  readonly normalize?: 'none' | 'max';
  /** AGOP on a seeded subsample of this many training points. Default all. */
  readonly sampleSize?: number;
  /** Seed of the subsample. Default 0. */
  readonly seed?: number;
  /** Initial metric; default identity. */
  readonly metric?: Metric;
  /** Optional held-out data scored at every iteration. */
  readonly test?: RfmData;
  /** Float64 path of every product and solve (`'auto' | 'native' | 'portable'`). Default: backend's global path. */
  readonly linalg?: LinalgRequest;
}

/** One row of the RFM history (iteration t uses the metric after t AGOP updates). */
export interface RfmStep {
  readonly iteration: number;
  readonly trainMse: number;
  readonly trainAcc?: number;
  readonly testMse?: number;
  readonly testAcc?: number;
  readonly ridgeUsed: number;
}

/** A fitted RFM. */
export interface RfmModel {
  /** The final kernel predictor (with the learned metric). */
  readonly model: KernelModel;
  /** The learned metric M (full or diagonal). */
  readonly metric: Metric;
  /** Scores per iteration, T + 1 rows. */
  readonly history: readonly RfmStep[];
}

function targetsOf(name: string, data: RfmData, numClasses?: number): { y: Matrix; labels?: Int32Array } {
  checkMatrix(`${name}.x`, data.x);
  if (data.labels !== undefined) {
    const { labels, numClasses: k } = validateLabels(`${name}.labels`, data.labels, data.x.rows, numClasses);
    return { y: oneHot(labels, k), labels };
  }
  if (data.targets === undefined) throw new InvalidArgumentError(name, 'data with labels or targets', 'neither');
  checkMatrix(`${name}.targets`, data.targets);
  if (data.targets.rows !== data.x.rows) throw new InvalidArgumentError(`${name}.targets`, `a matrix with N = ${data.x.rows} rows`, `[${data.targets.rows}, ${data.targets.cols}]`);
  return { y: asFloat64(data.targets) };
}

/**
 * Fits a Recursive Feature Machine: for t = 0…T−1, fit kernel ridge regression with metric M_t, then
 * M_{t+1} = AGOP(f_t); finally refit with M_T.
 *
 * ```math
 * f_t = \arg\min \sum_i \lVert f(x_i) - y_i\rVert^2 + \mu \lVert f\rVert_{\mathcal H_{M_t}}^2, \qquad M_{t+1} = \mathrm{AGOP}(f_t, X)
 * ```
 *
 * @param train - inputs with labels or targets.
 * @param options - kernel, ridge, iterations, AGOP options, optional test data.
 * @returns the final model, the metric and the per-iteration scores.
 * @throws {InvalidArgumentError} for bad data, a negative ridge, iterations < 0, or mismatched shapes.
 * @example
 * const rfm = fitRfm({ x, labels }, { kernel: { kind: 'laplace', bandwidth: 10 }, iterations: 3 });
 * const scores = predictRfm(rfm, xTest);
 * @see Radhakrishnan et al., Science 2024.
 */
export function fitRfm(train: RfmData, options: RfmOptions): RfmModel {
  const iterations = options.iterations ?? 1;
  assertInteger('iterations', iterations, 0);
  const { y, labels } = targetsOf('train', train);
  const test = options.test ? targetsOf('test', options.test, labels ? y.cols : undefined) : undefined;
  if (options.test && options.test.x.cols !== train.x.cols) {
    throw new InvalidArgumentError('test.x', `a matrix with ${train.x.cols} columns`, `[${options.test.x.rows}, ${options.test.x.cols}]`);
  }
  const x = asFloat64(train.x);
  let metric: Metric | undefined = options.metric;
  const history: RfmStep[] = [];
  let model: KernelModel | undefined;
  for (let t = 0; t <= iterations; t++) {
    model = fitKernelRidge(x, y, { kernel: options.kernel, ridge: options.ridge ?? 1e-3, metric, linalg: options.linalg });
    const fTrain = predictKernel(model, x, options.linalg);
    const step: RfmStep = {
      iteration: t,
      trainMse: meanSquaredError(fTrain, y),
      trainAcc: labels ? accuracy(fTrain, labels) : undefined,
      ridgeUsed: model.ridgeUsed,
    };
    if (test && options.test) {
      const fTest = predictKernel(model, options.test.x, options.linalg);
      Object.assign(step, { testMse: meanSquaredError(fTest, test.y), testAcc: test.labels ? accuracy(fTest, test.labels) : undefined });
    }
    history.push(step);
    if (t === iterations) break;
    metric = kernelAgop(model, {
      centered: options.centered,
      diagonal: options.diagonal,
      normalize: options.normalize ?? 'max',
      sampleSize: options.sampleSize,
      seed: options.seed,
      linalg: options.linalg,
    }).agop;
  }
  const final = model as KernelModel;
  return { model: final, metric: final.metric ?? identityMetric(x.cols, options.diagonal ?? false), history };
}

function identityMetric(d: number, diagonal: boolean): Metric {
  if (diagonal) return new Float64Array(d).fill(1);
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return { rows: d, cols: d, data: m };
}

/**
 * Predictions of a fitted RFM: f(Z) = K_M(Z, X) α.
 * @param rfm - from {@link fitRfm}.
 * @param z - `[M, d]`.
 * @returns `[M, K]` scores (argmax for the class).
 * @throws {InvalidArgumentError} for NaN or a dimension mismatch.
 */
export function predictRfm(rfm: RfmModel, z: AnyMatrix): Matrix {
  return predictKernel(rfm.model, z);
}
