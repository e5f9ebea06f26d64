/**
 * The data of the probe-mlp job: a balanced MNIST subset (raw pixels in [0, 1]) as the float32
 * `TrainingSet` that `probeMlp` takes.
 */
import { InvalidArgumentError, assertInteger } from '@nclab/backend';
import type { TrainingSet } from '@nclab/nn-probes';

/**
 * Loads the first `perClass` images of each class of an MNIST split.
 *
 * @param dataset - only `'mnist'`.
 * @param split - `'train'` or `'test'`.
 * @param perClass - images per class (≥ 1).
 * @returns `x` `[10·perClass, 784]` float32 in [0, 1], labels in [0, 10).
 * @throws {InvalidArgumentError} for another dataset or a bad `perClass` (argument named `dataset`,
 *   `perClass` or `testPerClass`).
 */
export async function loadProbeData(dataset: string, split: 'train' | 'test', perClass: number): Promise<TrainingSet> {
  if (dataset !== 'mnist') throw new InvalidArgumentError('dataset', "'mnist'", dataset);
  assertInteger(split === 'train' ? 'perClass' : 'testPerClass', perClass, 1);
  const { loadMnist } = await import('@nclab/datasets');
  const ds = loadMnist({ split, perClass, scale: 'unit', dtype: 'float32' });
  const x = ds.x.data instanceof Float32Array ? ds.x.data : new Float32Array(ds.x.data);
  return { x, n: ds.x.rows, dim: ds.x.cols, labels: ds.labels, numClasses: ds.numClasses };
}
