import type * as TfCore from '@tensorflow/tfjs-core';

/**
 * Re-registers the gradient of `BatchMatMul` for rank-2 operands so that it never passes transpose flags to
 * `matMul`: tfjs-wasm's matMul with `transposeA`/`transposeB` leaves its fast path (12–14× slower, see
 * shared/performance-notes.md), and every backward pass through a dense layer hit it. The products are the
 * same as tfjs-core's gradient (C = op(A)·op(B)):
 *
 * ```math
 * C = AB:      dA = dY Bᵀ,   dB = Aᵀ dY
 * C = ABᵀ:     dA = dY B,    dB = dYᵀ A
 * C = AᵀB:     dA = B dYᵀ,   dB = A dY
 * C = AᵀBᵀ:    dA = Bᵀ dYᵀ,  dB = dYᵀ Aᵀ
 * ```
 *
 * with each transpose materialised by `tf.transpose`. The gradient is built from differentiable ops, so
 * double backward (Hessian-vector products) goes through it too. Batched (rank > 2) products keep
 * tfjs-core's own gradient.
 * @param tf - the loaded tfjs-core namespace (tfjs is an optional peer, loaded by `initEngine`).
 */
export function registerFastMatMulGradient(tf: typeof TfCore): void {
  const original = tf.getGradient('BatchMatMul');
  if (!original) return;
  const mm = (x: TfCore.Tensor, y: TfCore.Tensor, tx: boolean, ty: boolean): TfCore.Tensor =>
    tf.matMul(tx ? tf.transpose(x) : x, ty ? tf.transpose(y) : y);
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      if (a.rank !== 2 || b.rank !== 2 || (dy as TfCore.Tensor).rank !== 2) return original.gradFunc(dy, saved, attrs);
      const g = dy as TfCore.Tensor;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return { a: () => mm(g, b, false, true), b: () => mm(a, g, true, false) };
      if (!transposeA && transposeB) return { a: () => mm(g, b, false, false), b: () => mm(g, a, true, false) };
      if (transposeA && !transposeB) return { a: () => mm(b, g, false, true), b: () => mm(a, g, false, false) };
      return { a: () => mm(b, g, true, true), b: () => mm(g, a, true, true) };
    },
  });
}
