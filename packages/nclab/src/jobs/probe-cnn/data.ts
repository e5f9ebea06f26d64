/**
 * The images of the probe-cnn job: MNIST (first N per class, pixels in [0, 1], `[N, 28, 28, 1]`),
 * image-shaped `.npy` files (`[N, C, H, W]` PyTorch layout, `[N, H, W]`, or `[N, H, W, C]` with
 * `channelsLast`), or the CIFAR-10 binary batches (`data_batch_1..5.bin`, `test_batch.bin`: per record one
 * label byte and 3·1024 bytes R, G, B planes of 32×32, scaled to [0, 1]). Every set comes out channels-last.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, assertInteger } from '@nclab/backend';
import type { ImageSet } from '@nclab/nn-probes';

/** Data sources of `--dataset`. */
export const CNN_DATASETS = ['mnist', 'npy', 'cifar10'] as const;

/** Where the images come from. */
export interface CnnDataOptions {
  dataset: (typeof CNN_DATASETS)[number];
  /** mnist / cifar10: training images per class (first N of each class in file order). */
  perClass?: number;
  /** mnist / cifar10: test images per class (0: none). */
  testPerClass?: number;
  /** npy: images and labels files (test ones optional). */
  images?: string;
  labels?: string;
  testImages?: string;
  testLabels?: string;
  /** npy: the arrays are `[N, H, W, C]` (default `[N, C, H, W]`, or `[N, H, W]` for one channel). */
  channelsLast?: boolean;
  /** cifar10: the folder holding the binary batches. */
  cifarDir?: string;
}

/** `[N, C, H, W]` → `[N, H, W, C]`. */
function toChannelsLast(x: ArrayLike<number>, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) {
    out[((i * h + y) * w + xx) * c + ch] = x[((i * c + ch) * h + y) * w + xx];
  }
  return out;
}

function firstPerClass(labels: ArrayLike<number>, perClass: number, K: number): number[] {
  const taken = new Array(K).fill(0);
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (taken[labels[i]] < perClass) {
    taken[labels[i]]++;
    idx.push(i);
  }
  return idx;
}

async function npySet(imagesPath: string, labelsPath: string, channelsLast: boolean, name: string): Promise<ImageSet> {
  const { loadArrayFiles } = await import('../../io/load.js');
  const [img] = loadArrayFiles(name, imagesPath);
  const [lab] = loadArrayFiles(`${name}-labels`, labelsPath);
  const s = img.shape;
  if (s.length !== 3 && s.length !== 4) throw new InvalidArgumentError(name, 'images [N, C, H, W], [N, H, W, C] (--channels-last) or [N, H, W]', `shape [${s.join(', ')}]`, imagesPath);
  const n = s[0];
  const [h, w, c] = s.length === 3 ? [s[1], s[2], 1] : channelsLast ? [s[1], s[2], s[3]] : [s[2], s[3], s[1]];
  const x = s.length === 4 && !channelsLast ? toChannelsLast(img.matrix.data, n, c, h, w) : new Float32Array(img.matrix.data);
  const labels = Int32Array.from(lab.matrix.data);
  if (labels.length !== n) throw new InvalidArgumentError(`${name}-labels`, `${n} labels (one per image)`, labels.length, labelsPath);
  labels.forEach((y, i) => {
    if (!(Number.isInteger(y) && y >= 0)) throw new InvalidArgumentError(`${name}-labels`, 'integers ≥ 0', y, `at index ${i}`);
  });
  return { x, n, shape: [h, w, c], labels, numClasses: Math.max(...labels) + 1 };
}

function cifarSet(dir: string, split: 'train' | 'test', perClass: number): ImageSet {
  const files = split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  const rec = 1 + 3072;
  const x: number[] = [];
  const labels: number[] = [];
  const taken = new Array(10).fill(0);
  for (const f of files) {
    const path = join(dir, f);
    if (!existsSync(path)) throw new InvalidArgumentError('cifar-dir', `a folder with the CIFAR-10 binary batches (${f})`, dir);
    const buf = readFileSync(path);
    if (buf.length % rec !== 0) throw new InvalidArgumentError('cifar-dir', `records of ${rec} bytes in ${f}`, buf.length);
    for (let r = 0; r < buf.length / rec; r++) {
      const y = buf[r * rec];
      if (taken[y] >= perClass) continue;
      taken[y]++;
      labels.push(y);
      const base = r * rec + 1;
      for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) x.push(buf[base + c * 1024 + p] / 255);
    }
    if (taken.every((t) => t >= perClass)) break;
  }
  return { x: Float32Array.from(x), n: labels.length, shape: [32, 32, 3], labels: Int32Array.from(labels), numClasses: 10 };
}

/**
 * Reads the training (and test) images.
 * @returns channels-last image sets.
 * @throws {InvalidArgumentError} for a missing file or folder, a wrong rank, or labels that do not fit.
 * @example
 * await loadCnnData({ dataset: 'mnist', perClass: 100, testPerClass: 50 });
 */
export async function loadCnnData(o: CnnDataOptions): Promise<{ train: ImageSet; test?: ImageSet }> {
  if (o.dataset === 'mnist') {
    assertInteger('perClass', o.perClass ?? NaN, 1);
    const { loadMnist } = await import('@nclab/datasets');
    const load = (split: 'train' | 'test', perClass: number): ImageSet => {
      const ds = loadMnist({ split, perClass, scale: 'unit', dtype: 'float32' });
      return { x: new Float32Array(ds.x.data), n: ds.x.rows, shape: [28, 28, 1], labels: ds.labels, numClasses: ds.numClasses };
    };
    return { train: load('train', o.perClass!), test: o.testPerClass ? load('test', o.testPerClass) : undefined };
  }
  if (o.dataset === 'cifar10') {
    assertInteger('perClass', o.perClass ?? NaN, 1);
    if (!o.cifarDir) throw new InvalidArgumentError('cifar-dir', 'the folder of the CIFAR-10 binary batches', o.cifarDir);
    return { train: cifarSet(o.cifarDir, 'train', o.perClass!), test: o.testPerClass ? cifarSet(o.cifarDir, 'test', o.testPerClass) : undefined };
  }
  if (o.dataset !== 'npy') throw new InvalidArgumentError('dataset', CNN_DATASETS.join(', '), o.dataset);
  if (!o.images || !o.labels) throw new InvalidArgumentError('images', '--images FILE and --labels FILE for --dataset npy', o.images);
  let train = await npySet(o.images, o.labels, o.channelsLast === true, 'images');
  if (o.perClass) {
    const idx = firstPerClass(train.labels, o.perClass, train.numClasses);
    const d = train.shape[0] * train.shape[1] * train.shape[2];
    const x = new Float32Array(idx.length * d);
    idx.forEach((j, i) => x.set(train.x.subarray(j * d, (j + 1) * d), i * d));
    train = { ...train, x, n: idx.length, labels: Int32Array.from(idx, (j) => train.labels[j]) };
  }
  const test = o.testImages && o.testLabels ? await npySet(o.testImages, o.testLabels, o.channelsLast === true, 'test-images') : undefined;
  if (test && test.numClasses > train.numClasses) throw new InvalidArgumentError('test-labels', `labels < ${train.numClasses} (the training classes)`, test.numClasses - 1);
  return { train, test: test ? { ...test, numClasses: train.numClasses } : undefined };
}
