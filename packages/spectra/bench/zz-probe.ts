import { initEngine, getTf } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { hessianOperator } from '../src/index.js';
import { mlpModel, mlpParams } from './mlp-model.js';
const info = await initEngine();
console.log(info);
const tf = getTf();
const ds = loadMnist({ split: 'train', perClass: 200, dtype: 'float32' } as never) as any;
console.log(ds.x.rows, ds.x.cols, ds.x.data.constructor.name);
const hidden = Number(process.env.H ?? 1200);
const X = tf.keep(tf.tensor2d(Float32Array.from(ds.x.data), [ds.x.rows, ds.x.cols]));
const params = mlpParams(784, hidden, 10, 0);
console.log('params', params.length);
const op = hessianOperator({ model: mlpModel(() => X as any, ds.x, hidden, 10, params), loss: 'cross-entropy', targets: ds.labels });
const v = new Float64Array(op.size).map(() => Math.random() - 0.5);
for (let i = 0; i < 3; i++) { const t = performance.now(); await op.matvec(v); console.log('hvp ms', (performance.now() - t).toFixed(0)); }
