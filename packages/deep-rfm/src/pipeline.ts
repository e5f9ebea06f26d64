/**
 * The pipeline the `nclab deep-rfm` CLI calls: load data, run Deep RFM, return a self-describing result.
 */
import { InvalidArgumentError, assertInteger, type AnyMatrix } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import type { KernelName, KernelSpec } from '@nclab/agop';
import { deepRfm, type DeepRfmOptions, type DeepRfmResult, type LabelledData } from './deep-rfm.js';

/** Options of {@link runDeepRfm}: {@link DeepRfmOptions} plus the data source. */
export interface RunDeepRfmOptions extends Omit<DeepRfmOptions, 'kernel'> {
  /** `'mnist'` (balanced subsets of the MNIST train and test splits, pixels in [0, 1]) or your own data. */
  readonly dataset: 'mnist' | { train: { x: AnyMatrix; labels: ArrayLike<number> }; test?: { x: AnyMatrix; labels: ArrayLike<number> } };
  /** MNIST: training samples per class (required for `'mnist'`). */
  readonly perClass?: number;
  /** MNIST: test samples per class. Default: `perClass` (at most 892, the smallest test class). */
  readonly testPerClass?: number;
  /** Predictor kernel. */
  readonly kernel: KernelName | KernelSpec;
}

/** The pipeline result: the Deep RFM result plus where the data came from. */
export type RunDeepRfmResult = DeepRfmResult & { readonly dataset: Record<string, unknown> };

/**
 * Loads the data and runs {@link deepRfm}. For `dataset: 'mnist'` the first `perClass` images of each
 * digit of the training split and the first `testPerClass` of the test split are used, pixels scaled to
 * [0, 1], no per-feature standardisation.
 * @param options - data source plus every {@link DeepRfmOptions} field.
 * @returns the result (plain object): config, per-layer table, final accuracies, Gram heat maps,
 *   timings per phase, and the linear-algebra path used.
 * @throws {InvalidArgumentError} for a missing or bad `perClass`, an unknown dataset, or any
 *   {@link deepRfm} input error.
 * @example
 * const result = await runDeepRfm({
 *   dataset: 'mnist', perClass: 100, depth: 8, kernel: 'laplace', bandwidth: 2, ridge: 1e-3,
 *   width: 1024, featureMap: 'relu', seed: 0, onProgress: (e) => console.error(e.layer),
 * });
 */
export async function runDeepRfm(options: RunDeepRfmOptions): Promise<RunDeepRfmResult> {
  if (options == null || typeof options !== 'object') throw new InvalidArgumentError('options', 'an options object', options);
  const { dataset } = options;
  let train: LabelledData;
  let test: LabelledData | undefined;
  let source: Record<string, unknown>;
  if (dataset === 'mnist') {
    if (options.perClass === undefined) throw new InvalidArgumentError('perClass', "a positive integer (required for dataset 'mnist')", undefined);
    assertInteger('perClass', options.perClass, 1, 5421);
    const testPerClass = options.testPerClass ?? Math.min(options.perClass, 892);
    assertInteger('testPerClass', testPerClass, 0, 892);
    const tr = loadMnist({ split: 'train', perClass: options.perClass, dtype: 'float64', scale: 'unit' });
    train = { x: tr.x, labels: tr.labels };
    if (testPerClass > 0) {
      const te = loadMnist({ split: 'test', perClass: testPerClass, dtype: 'float64', scale: 'unit' });
      test = { x: te.x, labels: te.labels };
    }
    source = { name: 'mnist', per_class: options.perClass, test_per_class: testPerClass, selection: 'first per class', pixels: '[0, 1]' };
  } else if (dataset != null && typeof dataset === 'object' && 'train' in dataset) {
    train = dataset.train;
    test = dataset.test;
    source = { name: 'custom' };
  } else {
    throw new InvalidArgumentError('dataset', "'mnist' or { train: {x, labels}, test?: {x, labels} }", dataset);
  }
  const result = await deepRfm(train, test, options);
  return { ...result, dataset: source };
}
