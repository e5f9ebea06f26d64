import { initEngine, getTf } from '@nclab/backend';
import { loadMnist } from '@nclab/datasets';
import { hessianOperator } from '../src/index.js';
import { mlpModel, mlpParams } from './mlp-model.js';
await initEngine();
const tf = getTf() as any;
if (process.env.PATCH) {
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy: any, saved: any, attrs: any) => {
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs;
      const T = (x: any) => tf.transpose(x);
      const mm = (x: any, y: any) => tf.matMul(x, y);
      if (!transposeA && !transposeB) return { a: () => mm(dy, T(b)), b: () => mm(T(a), dy) };
      if (!transposeA && transposeB) return { a: () => mm(dy, b), b: () => mm(T(dy), a) };
      if (transposeA && !transposeB) return { a: () => mm(b, T(dy)), b: () => mm(a, dy) };
      return { a: () => mm(T(b), T(dy)), b: () => mm(T(dy), T(a)) };
    },
  });
}
const ds = loadMnist({ split: 'train', perClass: Number(process.env.PC ?? 200), dtype: 'float32' } as never) as any;
const hidden = Number(process.env.H ?? 1200);
const X = tf.keep(tf.tensor2d(Float32Array.from(ds.x.data), [ds.x.rows, ds.x.cols]));
const params = mlpParams(784, hidden, 10, 0);
const op = hessianOperator({ model: mlpModel(() => X as any, ds.x, hidden, 10, params), loss: 'cross-entropy', targets: ds.labels });
const v = new Float64Array(op.size).map((_, i) => Math.sin(i));
let first: Float64Array | null = null;
for (let i = 0; i < 2; i++) { const t = performance.now(); const r = await op.matvec(v); first ??= r; console.log('hvp ms', (performance.now() - t).toFixed(0), r[0], r[r.length - 1]); }
