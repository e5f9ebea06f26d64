/**
 * CIFAR-10 binary batches (`cifar-10-batches-bin`): each record is 1 label byte followed by
 * 3,072 pixel bytes, the 1,024 red values of the 32×32 image in row-major order, then green, then blue.
 * @see https://www.cs.toronto.edu/~kriz/cifar.html
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { checkDtype, checkScale, scalePixels, type Dataset } from '../dataset.js';
import { DataFormatError } from '../errors.js';
import type { ImageDatasetOptions } from '../mnist.js';
import { balancedIndices } from '../subset.js';
import { readBytes } from './bytes.js';

/** Bytes per record: label + 3 × 32 × 32. */
export const CIFAR10_RECORD_BYTES = 3073;
/** Features per image. */
export const CIFAR10_FEATURES = 3072;

/** Raw decoded batch: `pixels` `[N, 3072]` uint8 (channel-major), `labels` `[N]`. */
export interface Cifar10Batch {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
}

/**
 * Decodes one CIFAR-10 binary batch in memory.
 * @param bytes - the file (a multiple of 3,073 bytes; 30,730,000 for a standard batch of 10,000).
 * @param source - named in error messages.
 * @returns `{ pixels: [N, 3072] uint8 in CHW order, labels: [N] in [0, 10) }`.
 * @throws {DataFormatError} when the length is not a positive multiple of 3,073 (truncated) or a label byte exceeds 9.
 * @example
 * const { pixels, labels } = parseCifar10Batch(bytes); // labels.length === bytes.length / 3073
 */
export function parseCifar10Batch(bytes: Uint8Array, source = '<bytes>'): Cifar10Batch {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    throw new DataFormatError(source, `length ${bytes.length} is not a positive multiple of ${CIFAR10_RECORD_BYTES} bytes (${whole} whole records, ${bytes.length - whole * CIFAR10_RECORD_BYTES} bytes left over): truncated or not a CIFAR-10 binary batch`);
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const pixels = new Uint8Array(n * CIFAR10_FEATURES);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * CIFAR10_RECORD_BYTES;
    const l = bytes[o];
    if (l > 9) throw new DataFormatError(source, `record ${i} has label byte ${l}, expected 0..9`);
    labels[i] = l;
    pixels.set(bytes.subarray(o + 1, o + CIFAR10_RECORD_BYTES), i * CIFAR10_FEATURES);
  }
  return { pixels, labels };
}

/**
 * The standard batch files of an extracted `cifar-10-batches-bin` folder.
 * @param dir - the folder.
 * @param split - `'train'` (`data_batch_1.bin` … `data_batch_5.bin`) or `'test'` (`test_batch.bin`).
 * @returns the paths, in batch order.
 * @throws {InvalidArgumentError} when a file is missing.
 * @example
 * cifar10Files('cifar-10-batches-bin', 'test'); // ['cifar-10-batches-bin/test_batch.bin']
 */
export function cifar10Files(dir: string, split: 'train' | 'test' = 'train'): string[] {
  if (split !== 'train' && split !== 'test') throw new InvalidArgumentError('split', "'train' or 'test'", split);
  const names = split === 'train' ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ['test_batch.bin'];
  return names.map((nm) => {
    const p = join(dir, nm);
    if (!existsSync(p)) throw new InvalidArgumentError('dir', `a cifar-10-batches-bin folder holding ${nm}`, dir);
    return p;
  });
}

/** Options of {@link loadCifar10}. */
export interface Cifar10Options extends ImageDatasetOptions {
  /**
   * Feature order: `'chw'` (default, as stored: all red, then green, then blue) or `'hwc'`
   * (per pixel r, g, b, as in most image libraries).
   */
  layout?: 'chw' | 'hwc';
}

/**
 * Loads CIFAR-10 from binary batch files (concatenated in the order given).
 * @param files - batch paths, e.g. from {@link cifar10Files} (plain or `.gz`).
 * @param options - `perClass`, `selection`, `seed`, `scale` (default `'unit'`), `dtype` (default `'float32'`), `layout`.
 * @returns `{ x: [N, 3072], labels: [N], numClasses: 10 }`.
 * @throws {InvalidArgumentError} on bad options or unreadable files.
 * @throws {DataFormatError} on a truncated batch or a bad label byte (the message names the file).
 * @example
 * const ds = loadCifar10(cifar10Files('cifar-10-batches-bin', 'test'), { perClass: 100, scale: 'symmetric' });
 */
export function loadCifar10(files: string | readonly string[], options?: Cifar10Options & { dtype?: 'float32' }): Dataset<Matrix32>;
export function loadCifar10(files: string | readonly string[], options: Cifar10Options & { dtype: 'float64' }): Dataset<Matrix>;
export function loadCifar10(files: string | readonly string[], options?: Cifar10Options): Dataset<Matrix | Matrix32>;
export function loadCifar10(files: string | readonly string[], options: Cifar10Options = {}): Dataset<Matrix | Matrix32> {
  const { perClass, selection = 'first', seed = 0, scale = 'unit', dtype = 'float32', layout = 'chw' } = options;
  checkScale(scale);
  checkDtype(dtype);
  if (layout !== 'chw' && layout !== 'hwc') throw new InvalidArgumentError('layout', "'chw' or 'hwc'", layout);
  const list = typeof files === 'string' ? [files] : files;
  if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError('files', 'a path or a non-empty array of paths', files);
  const batches = list.map((f) => parseCifar10Batch(readBytes(f, 'files'), f));
  const total = batches.reduce((a, b) => a + b.labels.length, 0);
  let pixels: Uint8Array = new Uint8Array(total * CIFAR10_FEATURES);
  let labels = new Int32Array(total);
  let at = 0;
  for (const b of batches) {
    pixels.set(b.pixels, at * CIFAR10_FEATURES);
    labels.set(b.labels, at);
    at += b.labels.length;
  }
  if (perClass !== undefined) {
    const idx = balancedIndices(labels, { perClass, numClasses: 10, selection, seed });
    const sub = new Uint8Array(idx.length * CIFAR10_FEATURES);
    for (let i = 0; i < idx.length; i++) sub.set(pixels.subarray(idx[i] * CIFAR10_FEATURES, (idx[i] + 1) * CIFAR10_FEATURES), i * CIFAR10_FEATURES);
    const all = labels;
    pixels = sub;
    labels = Int32Array.from(idx, (i) => all[i]);
  }
  const n = labels.length;
  if (layout === 'hwc') pixels = chwToHwc(pixels, n);
  return { x: scalePixels(pixels, n, CIFAR10_FEATURES, { scale, dtype }), labels, numClasses: 10 };
}

function chwToHwc(p: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let i = 0; i < n; i++) {
    const o = i * CIFAR10_FEATURES;
    for (let c = 0; c < 3; c++) for (let k = 0; k < 1024; k++) out[o + k * 3 + c] = p[o + c * 1024 + k];
  }
  return out;
}
