/**
 * Reading MNIST and building a 5,000-sample balanced subset (first 500 per class, [0, 1] float32),
 * against NumPy reading the same IDX files (tools/bench/peers/datasets_mnist_subset.py); and reading
 * the whole 60,000-image training set the same way.
 */
import { defineBench } from '@nclab/bench';
import { loadMnist, mnistFiles, type Dataset } from '@nclab/datasets';

interface Checksums {
  shape: number[];
  label_counts: number[];
  sum: number;
  row0_sum: number;
  last_row_sum: number;
}

function checksums(ds: Dataset): Checksums {
  const { rows, cols, data } = ds.x;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const rowSum = (r: number) => {
    let s = 0;
    for (let j = 0; j < cols; j++) s += data[r * cols + j];
    return s;
  };
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (const l of ds.labels) counts[l]++;
  return { shape: [rows, cols], label_counts: counts, sum, row0_sum: rowSum(0), last_row_sum: rowSum(rows - 1) };
}

/** Same shape and class counts, pixel sums equal to float64 rounding of float32 sums. */
function compare(ours: unknown, peer: unknown): { ok: boolean; detail: string } {
  const a = checksums(ours as Dataset);
  const b = peer as Checksums;
  const sameShape = a.shape.join() === b.shape.join() && a.label_counts.join() === b.label_counts.join();
  const rel = Math.abs(a.sum - b.sum) / Math.abs(b.sum);
  const rows = Math.abs(a.row0_sum - b.row0_sum) < 1e-4 && Math.abs(a.last_row_sum - b.last_row_sum) < 1e-4;
  return { ok: sameShape && rel < 1e-9 && rows, detail: `shape [${a.shape}], pixel sum ${a.sum.toFixed(3)} vs ${b.sum.toFixed(3)} (rel ${rel.toExponential(1)})` };
}

function peerArgs(perClass: number): { peerArgs: string[] } {
  const f = mnistFiles();
  return { peerArgs: ['--images', f.trainImages, '--labels', f.trainLabels, '--per-class', String(perClass)] };
}

export default [
  defineBench({
    name: 'datasets:mnist-subset:n=5000',
    peer: { script: 'datasets_mnist_subset.py' },
    repeats: 15,
    warmup: 8, // V8 reaches optimised code after ~8 loads; the first load costs ~3-5x the steady state
    setup: () => peerArgs(500),
    run: () => loadMnist({ split: 'train', perClass: 500, scale: 'unit', dtype: 'float32' }),
    compare,
  }),
  defineBench({
    name: 'datasets:mnist-train:n=60000',
    peer: { script: 'datasets_mnist_subset.py' },
    repeats: 5,
    warmup: 3,
    setup: () => peerArgs(0),
    run: () => loadMnist({ split: 'train', scale: 'unit', dtype: 'float32' }),
    compare,
  }),
];
