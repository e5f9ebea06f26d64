/**
 * The data of the deep-rfm job: balanced MNIST subsets (the paper's setting) or the user's own
 * feature and label files.
 */
import { InvalidArgumentError, assertInteger, type AnyMatrix } from '@nclab/backend';
import type { LabelledData } from '@nclab/backend';

/** Feature and label files (`.npy` or `.csv`) of `dataset: 'files'`. */
export interface DeepRfmFiles {
  readonly features: string;
  readonly labels: string;
  readonly testFeatures?: string;
  readonly testLabels?: string;
}

/** Where the data come from. */
export type DeepRfmDataset = 'mnist' | 'files' | { train: { x: AnyMatrix; labels: ArrayLike<number> }; test?: { x: AnyMatrix; labels: ArrayLike<number> } };

/** The loaded data and a description of its source (recorded as `dataset` in the result). */
export interface LoadedData {
  train: LabelledData;
  test?: LabelledData;
  source: Record<string, unknown>;
}

/**
 * Loads the training and test data. For `'mnist'` the first `perClass` images of each digit of the
 * training split and the first `testPerClass` of the test split, pixels scaled to [0, 1], no
 * per-feature standardisation; for `'files'` the matrices and labels named in `files`.
 *
 * @param dataset - `'mnist'`, `'files'` or matrices in memory.
 * @param options - `perClass` (required for MNIST, 1…5421), `testPerClass` (0…892; default
 *   min(perClass, 892)), `files` (required for `'files'`).
 * @returns training data, optional test data and the source description.
 * @throws {InvalidArgumentError} for a missing or bad `perClass`/`testPerClass`, missing files, or an unknown dataset.
 */
export async function loadDeepRfmData(dataset: DeepRfmDataset, options: { perClass?: number; testPerClass?: number; files?: DeepRfmFiles }): Promise<LoadedData> {
  if (dataset === 'mnist') {
    const { loadMnist } = await import('@nclab/datasets');
    if (options.perClass === undefined) throw new InvalidArgumentError('perClass', "a positive integer (required for dataset 'mnist')", undefined);
    assertInteger('perClass', options.perClass, 1, 5421);
    const testPerClass = options.testPerClass ?? Math.min(options.perClass, 892);
    assertInteger('testPerClass', testPerClass, 0, 892);
    const tr = loadMnist({ split: 'train', perClass: options.perClass, dtype: 'float64', scale: 'unit' });
    const te = testPerClass > 0 ? loadMnist({ split: 'test', perClass: testPerClass, dtype: 'float64', scale: 'unit' }) : undefined;
    return {
      train: { x: tr.x, labels: tr.labels },
      test: te ? { x: te.x, labels: te.labels } : undefined,
      source: { name: 'mnist', perClass: options.perClass, testPerClass, selection: 'first per class', pixels: '[0, 1]' },
    };
  }
  if (dataset === 'files') {
    const f = options.files;
    if (!f) throw new InvalidArgumentError('files', "feature and label files (required for dataset 'files')", undefined);
    const { loadLabelsFile, loadMatrixFile } = await import('../../io/load.js');
    const train = { x: loadMatrixFile('--features', f.features), labels: loadLabelsFile('--labels', f.labels) };
    const test = f.testFeatures && f.testLabels ? { x: loadMatrixFile('--test-features', f.testFeatures), labels: loadLabelsFile('--test-labels', f.testLabels) } : undefined;
    return { train, test, source: { name: 'custom' } };
  }
  if (dataset != null && typeof dataset === 'object' && 'train' in dataset) return { train: dataset.train, test: dataset.test, source: { name: 'custom' } };
  throw new InvalidArgumentError('dataset', "'mnist', 'files' or { train: {x, labels}, test?: {x, labels} }", dataset);
}
