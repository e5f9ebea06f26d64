import { InvalidArgumentError, axpy, dot } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from './linear-operator.js';

/**
 * The shifted and scaled operator `alpha·A + shift·I` (e.g. `A + λI` for weight decay, or
 * `A − λ_max I` to reach the most negative eigenvalues with a top solver).
 *
 * @param op - operator of size n.
 * @param options - `alpha` (default 1), `shift` (default 0).
 * @returns the operator of size n.
 * @throws {InvalidArgumentError} when `alpha` or `shift` is not finite.
 * @example
 * const reg = shiftOperator(hessian, { shift: 1e-2 }); // H + 0.01 I
 */
export function shiftOperator(op: LinearOperator, options: { alpha?: number; shift?: number }): LinearOperator {
  assertOperator('op', op);
  const alpha = options.alpha ?? 1;
  const shift = options.shift ?? 0;
  if (!Number.isFinite(alpha)) throw new InvalidArgumentError('alpha', 'a finite number', alpha);
  if (!Number.isFinite(shift)) throw new InvalidArgumentError('shift', 'a finite number', shift);
  return {
    size: op.size,
    label: `${alpha === 1 ? '' : `${alpha}·`}${op.label ?? 'op'}${shift === 0 ? '' : ` + ${shift}·I`}`,
    async matvec(v) {
      const w = await applyOperator(op, v, 'shiftOperator');
      for (let i = 0; i < w.length; i++) w[i] = alpha * w[i] + shift * v[i];
      return w;
    },
  };
}

/**
 * The sum `Σ_i c_i A_i` of operators of one size (e.g. the Gauss–Newton term plus the residual term).
 *
 * @param terms - operators with optional coefficients (default 1).
 * @returns the operator of the common size.
 * @throws {InvalidArgumentError} when `terms` is empty or the sizes differ.
 * @example
 * const h = sumOperator([{ op: gClass }, { op: gCross }, { op: gWithin }]);
 */
export function sumOperator(terms: ReadonlyArray<{ op: LinearOperator; coefficient?: number }>): LinearOperator {
  if (!Array.isArray(terms) || terms.length === 0) throw new InvalidArgumentError('terms', 'a non-empty array of operators', terms);
  terms.forEach((t, i) => assertOperator(`terms[${i}].op`, t.op));
  const n = terms[0].op.size;
  terms.forEach((t, i) => {
    if (t.op.size !== n) throw new InvalidArgumentError(`terms[${i}].op.size`, `equal to terms[0].op.size = ${n}`, t.op.size);
  });
  return {
    size: n,
    label: terms.map((t) => t.op.label ?? 'op').join(' + '),
    async matvec(v) {
      const out = new Float64Array(n);
      for (const t of terms) axpy(t.coefficient ?? 1, await applyOperator(t.op, v, 'sumOperator'), out);
      return out;
    },
  };
}

/**
 * Hotelling deflation: removes known eigenpairs so the bulk can be studied.
 *
 * ```math
 * B v = A v − Σ_j λ_j u_j (u_jᵀ v)     (u_j orthonormal)
 * ```
 *
 * @param op - symmetric operator of size n.
 * @param values - eigenvalues λ_j to remove.
 * @param vectors - matching unit eigenvectors (orthonormal, each of length n).
 * @returns the deflated operator.
 * @throws {InvalidArgumentError} when the counts differ or a vector has the wrong length.
 * @example
 * const top = await lanczos(h, { k: 10 });
 * const bulk = deflateOperator(h, top.values, top.vectors);
 */
export function deflateOperator(op: LinearOperator, values: ArrayLike<number>, vectors: ReadonlyArray<Float64Array>): LinearOperator {
  assertOperator('op', op);
  if (values.length !== vectors.length) {
    throw new InvalidArgumentError('vectors', `one vector per value (${values.length})`, vectors.length);
  }
  vectors.forEach((u, i) => {
    if (u.length !== op.size) throw new InvalidArgumentError(`vectors[${i}]`, `of length ${op.size}`, u.length);
  });
  const lambdas = Array.from(values);
  return {
    size: op.size,
    label: `deflated(${op.label ?? 'op'}, ${lambdas.length})`,
    async matvec(v) {
      const w = await applyOperator(op, v, 'deflateOperator');
      for (let j = 0; j < lambdas.length; j++) axpy(-lambdas[j] * dot(vectors[j], v), vectors[j], w);
      return w;
    },
  };
}
