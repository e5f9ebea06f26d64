/**
 * Prepares the static files the live demos load: a small balanced MNIST subset (first 30 images
 * of each digit of the training split, uint8 pixels) and the tfjs-wasm binaries.
 * Run by `npm run -w docs demo-data` (part of `site:build`); writes docs/public/demo-data/.
 *
 * File format of mnist-300.bin: 300 labels (uint8), then 300 × 784 pixels (uint8, row-major).
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@nclab/datasets';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'public', 'demo-data');
mkdirSync(out, { recursive: true });

const perClass = 30;
const ds = loadMnist({ split: 'train', perClass, scale: 'raw', dtype: 'float32' });
const n = ds.x.rows;
const bytes = new Uint8Array(n + n * ds.x.cols);
for (let i = 0; i < n; i++) bytes[i] = ds.labels[i];
for (let i = 0; i < n * ds.x.cols; i++) bytes[n + i] = ds.x.data[i];
writeFileSync(join(out, `mnist-${n}.bin`), bytes);

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(out, f));
console.log(`demo data: ${n} MNIST images (${ds.x.cols} pixels) and the tfjs-wasm binaries in ${out}`);
