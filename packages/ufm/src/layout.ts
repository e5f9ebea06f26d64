import { InvalidArgumentError, type Matrix } from '@nclab/backend/host';

/**
 * Samples are ordered class-major: columns `offsets[k] .. offsets[k] + counts[k] - 1` of every
 * feature matrix belong to class k, so Y = blockdiag(1_{n_1}ᵀ, …, 1_{n_K}ᵀ) ∈ R^{K×N}
 * (Y = I_K ⊗ 1_nᵀ when all n_k = n).
 */
export interface ClassLayout {
  /** Number of classes K. */
  readonly K: number;
  /** Samples per class n_k, length K. */
  readonly counts: readonly number[];
  /** First column of each class, length K. */
  readonly offsets: readonly number[];
  /** Total number of samples N = Σ n_k. */
  readonly N: number;
  /** Class of each column, length N. */
  readonly labels: Int32Array;
  /** True when every class has the same count. */
  readonly balanced: boolean;
}

/**
 * Builds the class-major layout for K classes with `n` samples each (a number) or n_k samples in
 * class k (an array of length K).
 *
 * @param K - number of classes, an integer ≥ 2.
 * @param n - samples per class: a positive integer, or K positive integers (class imbalance).
 * @returns the layout with N = Σ n_k and the label of every column.
 * @throws {InvalidArgumentError} when K < 2, a count is < 1 or the array length is not K.
 * @example
 * classLayout(3, [2, 1, 1]).labels; // returns Int32Array [0, 0, 1, 2]
 */
export function classLayout(K: number, n: number | readonly number[], names: { K?: string; n?: string } = {}): ClassLayout {
  const kName = names.K ?? 'K';
  const nName = names.n ?? 'n';
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 2) throw new InvalidArgumentError(kName, 'an integer ≥ 2 (number of classes)', K);
  const counts: number[] = typeof n === 'number' ? new Array(K).fill(n) : Array.from(n);
  if (typeof n !== 'number' && counts.length !== K) {
    throw new InvalidArgumentError(nName, `a positive integer or an array of K = ${K} positive integers`, n);
  }
  for (const c of counts) {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) {
      throw new InvalidArgumentError(nName, 'positive integers (samples per class, n ≥ 1)', n);
    }
  }
  const offsets: number[] = [];
  let N = 0;
  for (const c of counts) {
    offsets.push(N);
    N += c;
  }
  const labels = new Int32Array(N);
  for (let k = 0; k < K; k++) labels.fill(k, offsets[k], offsets[k] + counts[k]);
  return { K, counts, offsets, N, labels, balanced: counts.every((c) => c === counts[0]) };
}

/** One parameter block of the flat vector: a `rows × cols` row-major matrix at `offset`. */
export interface Block {
  readonly rows: number;
  readonly cols: number;
  readonly offset: number;
}

/**
 * Where each factor lives in the flat parameter vector the solvers move:
 * [W_1 | W_2 | … | W_L | H_1 | b]. W_l has shape [d_{l+1}, d_l] (W_L: [K, d_L]), H_1 [d_1, N], b [K].
 */
export interface ParamLayout {
  readonly weights: readonly Block[];
  readonly h: Block;
  /** Absent when the model has no bias. */
  readonly bias: Block | null;
  readonly size: number;
}

/**
 * The flat layout for input widths `dims` = [d_1, …, d_L], K outputs and N samples.
 * @param dims - input widths of W_1 … W_L.
 * @param K - number of classes (rows of W_L).
 * @param N - number of samples (columns of H_1).
 * @param hasBias - append b ∈ R^K.
 * @returns offsets and shapes of every block and the total size.
 * @example
 * paramLayout([3], 2, 4, false).size; // returns 14 (W: 2×3, H: 3×4)
 */
export function paramLayout(dims: readonly number[], K: number, N: number, hasBias: boolean): ParamLayout {
  const weights: Block[] = [];
  let offset = 0;
  for (let l = 0; l < dims.length; l++) {
    const rows = l + 1 < dims.length ? dims[l + 1] : K;
    weights.push({ rows, cols: dims[l], offset });
    offset += rows * dims[l];
  }
  const h = { rows: dims[0], cols: N, offset };
  offset += dims[0] * N;
  const bias = hasBias ? { rows: K, cols: 1, offset } : null;
  if (bias) offset += K;
  return { weights, h, bias, size: offset };
}

/**
 * A zero-copy view of one block of a flat vector as a host matrix.
 * @param x - flat parameter vector; @param b - the block.
 * @returns a `Matrix` sharing memory with `x`.
 */
export function blockView(x: Float64Array, b: Block): Matrix {
  return { rows: b.rows, cols: b.cols, data: x.subarray(b.offset, b.offset + b.rows * b.cols) };
}

/** The factors of a flat vector as host matrices (copies, safe to keep). */
export interface UfmParams {
  /** W_1 … W_L, W_l of shape [d_{l+1}, d_l], W_L of shape [K, d_L]. */
  readonly weights: Matrix[];
  /** Free features H_1, shape [d_1, N], columns class-major. */
  readonly h: Matrix;
  /** Bias b, length K, or null for bias-free models. */
  readonly bias: Float64Array | null;
}

/**
 * Copies the factors out of a flat vector.
 * @param x - flat parameter vector; @param layout - its layout.
 * @returns W_1 … W_L, H_1 and b as independent host matrices.
 */
export function unpackParams(x: Float64Array, layout: ParamLayout): UfmParams {
  const copy = (b: Block): Matrix => ({ rows: b.rows, cols: b.cols, data: x.slice(b.offset, b.offset + b.rows * b.cols) });
  return {
    weights: layout.weights.map(copy),
    h: copy(layout.h),
    bias: layout.bias ? x.slice(layout.bias.offset, layout.bias.offset + layout.bias.rows) : null,
  };
}

/**
 * Writes factors into a new flat vector (e.g. a warm start).
 * @param p - the factors; @param layout - the target layout.
 * @returns the flat vector.
 * @throws {InvalidArgumentError} when a shape does not match the layout.
 */
export function packParams(p: UfmParams, layout: ParamLayout): Float64Array {
  const x = new Float64Array(layout.size);
  const put = (m: Matrix, b: Block, name: string): void => {
    if (m.rows !== b.rows || m.cols !== b.cols) {
      throw new InvalidArgumentError(name, `of shape [${b.rows}, ${b.cols}]`, `[${m.rows}, ${m.cols}]`);
    }
    x.set(m.data, b.offset);
  };
  layout.weights.forEach((b, l) => put(p.weights[l], b, `weights[${l}]`));
  put(p.h, layout.h, 'h');
  if (layout.bias) {
    if (!p.bias || p.bias.length !== layout.bias.rows) throw new InvalidArgumentError('bias', `of length ${layout.bias.rows}`, p.bias?.length ?? null);
    x.set(p.bias, layout.bias.offset);
  }
  return x;
}
