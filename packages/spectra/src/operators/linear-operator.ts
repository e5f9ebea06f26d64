import { InvalidArgumentError, NumericalError, allFinite } from '@nclab/backend';

/**
 * A linear map `v ↦ A v` on flat float64 vectors of length `size` (e.g. a Hessian over a model's
 * flattened parameters). Algorithms in this package only ever call `matvec`, so a Hessian of a
 * million parameters never has to be formed.
 *
 * `matvec` may be synchronous or return a promise (autodiff operators download from the engine);
 * it must not modify its input and must return a vector of length `size`: a new one, or `out` when
 * the caller passes one and the operator writes into it.
 */
export interface LinearOperator {
  /** Dimension n of the (square) operator. */
  readonly size: number;
  /**
   * `A v` for `v` of length `size`. `out` (optional, length `size`, not `v`): a buffer the caller
   * reuses across products; an operator may write `A v` there and return it (no fresh vector, so no
   * fresh pages per product: a million-parameter Hessian's product is 8 MB) or ignore it. Callers use
   * the returned vector either way.
   */
  matvec(v: Float64Array, out?: Float64Array): Float64Array | Promise<Float64Array>;
  /** Short description for diagnostics and error messages (e.g. `'hessian[layer2]'`). */
  readonly label?: string;
}

/**
 * Wraps a function as a {@link LinearOperator}.
 *
 * @param size - dimension n (positive integer).
 * @param matvec - `v ↦ A v`, `v` and the result of length n.
 * @param label - optional description used in error messages.
 * @returns the operator.
 * @throws {InvalidArgumentError} when `size` is not a positive integer or `matvec` is not a function.
 * @example
 * const op = lambdaOperator(3, (v) => v.map((x, i) => (i + 1) * x)); // diag(1, 2, 3)
 * await applyOperator(op, new Float64Array([1, 1, 1])); // returns Float64Array [1, 2, 3]
 */
export function lambdaOperator(
  size: number,
  matvec: (v: Float64Array) => Float64Array | Promise<Float64Array>,
  label = 'lambda',
): LinearOperator {
  if (!Number.isInteger(size) || size <= 0) throw new InvalidArgumentError('size', 'a positive integer', size);
  if (typeof matvec !== 'function') throw new InvalidArgumentError('matvec', 'a function', typeof matvec);
  return { size, matvec, label };
}

/**
 * Throws unless `op` looks like a {@link LinearOperator}.
 * @param name - argument name for the error message.
 * @throws {InvalidArgumentError} when `op.size` is not a positive integer or `op.matvec` is missing.
 */
export function assertOperator(name: string, op: LinearOperator): void {
  if (op == null || typeof op !== 'object') throw new InvalidArgumentError(name, 'a LinearOperator { size, matvec }', op);
  if (!Number.isInteger(op.size) || op.size <= 0) {
    throw new InvalidArgumentError(`${name}.size`, 'a positive integer', op.size);
  }
  if (typeof op.matvec !== 'function') throw new InvalidArgumentError(`${name}.matvec`, 'a function', typeof op.matvec);
}

/**
 * Applies `op` to `v` and checks the product: right length, every entry finite.
 *
 * @param op - the operator.
 * @param v - input of length `op.size`.
 * @param context - where the product is taken (e.g. `'lanczos step 12'`), quoted in errors.
 * @param buffer - a reused buffer handed to `op.matvec` as its `out` (see {@link LinearOperator.matvec}).
 * @returns `A v` as a Float64Array: `buffer`, or a new one (float32 results are widened).
 * @throws {InvalidArgumentError} when `v` has the wrong length.
 * @throws {NumericalError} when the product has the wrong length or a non-finite entry.
 * @example
 * await applyOperator(lambdaOperator(2, (v) => v), new Float64Array([1, 2])); // returns [1, 2]
 */
export async function applyOperator(op: LinearOperator, v: Float64Array, context = 'matvec', buffer?: Float64Array): Promise<Float64Array> {
  if (v.length !== op.size) throw new InvalidArgumentError('v', `of length size = ${op.size}`, v.length);
  if (buffer !== undefined && (buffer.length !== op.size || buffer === v)) throw new InvalidArgumentError('buffer', `a Float64Array of length size = ${op.size}, not v`, buffer === v ? 'v itself' : buffer.length);
  const raw = await op.matvec(v, buffer);
  if (raw == null || raw.length !== op.size) {
    throw new NumericalError(context, `operator ${op.label ?? ''} returned ${raw == null ? 'nothing' : `a vector of length ${raw.length}`}, expected ${op.size}`);
  }
  const out = raw instanceof Float64Array ? raw : Float64Array.from(raw as ArrayLike<number>);
  if (allFinite(out)) return out;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new NumericalError(context, `operator ${op.label ?? ''} returned a non-finite value (${out[i]}) at index ${i}`);
    }
  }
  return out;
}
