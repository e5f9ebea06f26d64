import { createRng } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { lanczos, mlpHessianOperator } from '@nclab/spectra';
const d = 784, hidden = 1200, K = 10;
const ds = loadMnist({ split: 'train', perClass: 200, dtype: 'float32' });
const x = { rows: ds.x.rows, cols: ds.x.cols, data: Float32Array.from(ds.x.data) };
const size = d * hidden + hidden + hidden * K + K;
const rng = createRng(0);
const p = new Float64Array(size);
for (let i = 0; i < d * hidden; i++) p[i] = rng.normal() / Math.sqrt(d);
const o2 = d * hidden + hidden;
for (let i = 0; i < hidden * K; i++) p[o2 + i] = rng.normal() / Math.sqrt(hidden);
const op = mlpHessianOperator({ x, sizes: [d, hidden, K], params: p, activation: 'softplus', loss: 'cross-entropy', targets: ds.labels });
const v0 = Float64Array.from(createRng(1).normalArray(op.size));
const reps = Number(process.argv[2] ?? 8);
const ts = [];
for (let i = 0; i < reps; i++) { const t = performance.now(); await lanczos(op, { k: 5, maxIter: 10, tol: 0, startVector: v0, returnVectors: false }); ts.push(performance.now() - t); }
console.log('lanczos hvp', ts.map((t) => t.toFixed(0)).join(' '));
const v = new Float64Array(op.size); v.set(v0);
const t2 = []; for (let i = 0; i < 10; i++) { const t = performance.now(); op.matvec(v); t2.push(performance.now() - t); }
console.log('matvec alone', t2.map((t) => t.toFixed(0)).join(' '));
