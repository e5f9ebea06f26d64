/**
 * The average gradient outer product (AGOP) of a kernel predictor.
 */
import { InvalidArgumentError, createRng, gemm, mapSymmetric, sgemm, ssyrk, symmetrize, syrk, toFloat32, toFloat64, transpose, type AnyMatrix, type LinalgRequest, type Matrix, type Matrix32 } from '@nclab/backend/host';
import { asFloat64, checkMatrix, checkSameCols, resolvePrecision, rowsView } from './checks.js';
import { applyMetric, type Metric } from './distances.js';
import { gradientWeights, kernelGradients, rawGradients } from './gradients.js';
import type { KernelModel } from './krr.js';
import { gradientWeightsFromValuesInPlace } from './kernels.js';
import { dotRawGradients, isDotProductKernel } from './kernels/dot-product.js';

/** Options of {@link kernelAgop}. */
export interface AgopOptions {
  /** Points at which gradients are taken `[n, d]`. Default: the training points (self-pairs masked). */
  readonly points?: AnyMatrix;
  /** Use a seeded random subset of this many evaluation points (without replacement). Default: all. */
  readonly sampleSize?: number;
  /** Seed of the subset. Default 0. */
  readonly seed?: number;
  /** Centre the gradients of each output over the points before the outer products. Default false. */
  readonly centered?: boolean;
  /** Return only the diagonal (a `Float64Array` of length d). Default false. */
  readonly diagonal?: boolean;
  /** `'none'`: the mean (1/n)Σ (default); `'max'`: divided by its largest entry, as the RFM code does. */
  readonly normalize?: 'none' | 'max';
  /**
   * `'direct'` stacks the n·K gradients (≈ 2nNKd flops); `'gram'` reorganises the sum around GᵀG
   * (≈ nN² + 4N²d + 4Nd² flops, no n·K·d buffer); `'auto'` (default) picks the cheaper. The dot-product
   * kernels (`arccos0`, `arccos1`, `ntk`) always use `'direct'` (the Gram form assumes radial gradients).
   */
  readonly method?: 'auto' | 'direct' | 'gram';
  /**
   * The model's training kernel matrix K(X, X) `[N, N]`, when the caller still holds it: with the
   * default evaluation points and the Gram method the gradient weights are derived from it in place
   * (d = L(−ln k)^{1/p}), saving the distance computation. **Its contents are overwritten.**
   */
  readonly kernelMatrix?: Matrix;
  /**
   * Arithmetic of the Gram method's two large products, the N³ GᵀG and (evaluation points = centres)
   * the N²d S·X; every other step is float64. `'float64'`; `'mixed'`: both in float32 (`ssyrk`,
   * `sgemm`), then widened: ≈ 1e-5 relative on the AGOP (see the tests), at twice the speed of
   * float64 where no BLAS is present. `'auto'` (default): `'mixed'` on the portable
   * float64 path, `'float64'` on the native one (where float64 is already fast).
   */
  readonly precision?: 'auto' | 'float64' | 'mixed';
  /**
   * The float64 path (`'auto' | 'native' | 'portable'`) of every product and the one `precision: 'auto'`
   * is decided for; default: backend's global path (`setLinalgPath`, else `NCLAB_LINALG`).
   */
  readonly linalg?: LinalgRequest;
}

/** Result of {@link kernelAgop}. */
export interface AgopResult {
  /** The AGOP: `[d, d]` matrix, or its diagonal when `diagonal` was set. */
  readonly agop: Metric;
  /** Number of evaluation points n. */
  readonly points: number;
  /** The divisor applied for `normalize: 'max'` (1 for `'none'`). */
  readonly scale: number;
  /** The method used. */
  readonly method: 'direct' | 'gram' | 'linear';
  /** The arithmetic of the Gram method's large products GᵀG and S·X (`'float64'` for the other methods). */
  readonly precision: 'float64' | 'mixed';
}

function selectRows(m: Matrix, idx: Int32Array): Matrix {
  const d = m.cols;
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(m.data.subarray(idx[r] * d, (idx[r] + 1) * d), r * d);
  return { rows: idx.length, cols: d, data: out };
}

/** Σ over points and outputs of D Dᵀ, and the per-output mean gradients `[d, K]` (both before M), via stacked gradients. */
function sumDirect(model: KernelModel, e: Matrix, samePoints: boolean, centered: boolean, diagonal: boolean, linalg?: LinalgRequest): { sum?: Matrix; diag?: Float64Array; means?: Matrix } {
  const d = model.centers.cols;
  const K = model.alpha.cols;
  const chunk = Math.max(1, Math.floor(2 ** 24 / Math.max(1, K * d)));
  let sum: Matrix | undefined;
  const diag = new Float64Array(d);
  const meanSum = new Float64Array(d * K);
  for (let start = 0; start < e.rows; start += chunk) {
    const end = Math.min(e.rows, start + chunk);
    const part = samePoints && start === 0 && end === e.rows ? e : { rows: end - start, cols: d, data: e.data.subarray(start * d, end * d) };
    const raw = isDotProductKernel(model.kernel) ? dotRawGradients(model.kernel, part, model.centers, model.alpha, model.metric, linalg) : radialRaw(model, part, samePoints, start, linalg);
    if (diagonal) {
      // the diagonal of M Σ M needs the metric applied first
      const dm = applyMetric(raw, model.metric, linalg);
      for (let r = 0; r < dm.rows; r++) for (let k = 0; k < d; k++) diag[k] += dm.data[r * d + k] ** 2;
      if (centered) accumulateMeans(dm, K, meanSum);
    } else {
      const s = syrk(raw, { trans: true, linalg });
      if (sum === undefined) sum = s;
      else for (let i = 0; i < s.data.length; i++) sum.data[i] += s.data[i];
      if (centered) accumulateMeans(raw, K, meanSum);
    }
  }
  const means = centered ? meansMatrix(meanSum, d, K, e.rows) : undefined;
  return diagonal ? { diag, means } : { sum, means };
}

/** Raw gradients of a radial kernel for a chunk of points, self-pairs masked when the chunk is training points. */
function radialRaw(model: KernelModel, part: Matrix, samePoints: boolean, start: number, linalg?: LinalgRequest): Matrix {
  const g = gradientWeights(model.kernel, part, model.centers, model.metric, linalg);
  if (samePoints) maskSelf(g, start);
  return rawGradients(model, part, g, linalg);
}

/** Exactly zero the gradient weights of self-pairs when a chunk of the training points is evaluated. */
function maskSelf(g: Matrix, start: number): void {
  for (let i = 0; i < g.rows; i++) g.data[i * g.cols + start + i] = 0;
}

function accumulateMeans(raw: Matrix, K: number, meanSum: Float64Array): void {
  const d = raw.cols;
  for (let r = 0; r < raw.rows; r++) {
    const c = r % K;
    for (let k = 0; k < d; k++) meanSum[k * K + c] += raw.data[r * d + k];
  }
}

function meansMatrix(meanSum: Float64Array, d: number, K: number, n: number): Matrix {
  const out = new Float64Array(d * K);
  for (let i = 0; i < out.length; i++) out[i] = meanSum[i] / n;
  return { rows: d, cols: K, data: out };
}

/**
 * Σ_i Σ_c D_ic D_icᵀ (before M) through the Gram reorganisation:
 * Xᵀ[(GᵀG) ⊙ (ααᵀ)]X − C − Cᵀ + Eᵀ diag(Σ_c A_ic²) E, with A = Gα and C = Xᵀ[Gᵀ ⊙ (αAᵀ)]E.
 * The N×N products ααᵀ and αAᵀ are formed in row blocks, so at most G and GᵀG are held in full.
 */
function sumGram(model: KernelModel, e: Matrix, samePoints: boolean, centered: boolean, mixed: boolean, kernelMatrix?: Matrix, linalg?: LinalgRequest): { sum: Matrix; means?: Matrix } {
  const { alpha, centers: x } = model;
  const N = x.rows;
  const n = e.rows;
  const K = alpha.cols;
  const d = x.cols;
  let g: Matrix | undefined;
  if (kernelMatrix && samePoints && kernelMatrix.rows === N && kernelMatrix.cols === N) {
    g = kernelMatrix;
    gradientWeightsFromValuesInPlace(model.kernel, g.data, N); // K(X, X) is symmetric
  } else {
    g = gradientWeights(model.kernel, e, x, model.metric, linalg); // [n, N]
  }
  if (samePoints) for (let i = 0; i < n; i++) g.data[i * N + i] = 0;
  const gd = g.data;
  const a = gemm(g, alpha, { linalg }); // [n, K]
  let colSums: Float64Array | undefined;
  if (centered) {
    colSums = new Float64Array(N);
    for (let i = 0; i < n; i++) for (let j = 0; j < N; j++) colSums[j] += gd[i * N + j];
  }
  const means = centered && colSums ? gramMeans(model, e, a, colSums, linalg) : undefined;
  if (samePoints) return { sum: sumGramSymmetric(model, g, a, mixed, linalg), means };
  const block = Math.max(1, Math.floor(2 ** 22 / Math.max(n, N)));
  // BX = [Gᵀ ⊙ (αAᵀ)] E, [N, d]
  const bx = new Float64Array(N * d);
  for (let j0 = 0; j0 < N; j0 += block) {
    const j1 = Math.min(N, j0 + block);
    const blk = gemm(rowsView(alpha, j0, j1), a, { transB: true, linalg }); // [B, n]
    const bd = blk.data;
    for (let j = j0; j < j1; j++) {
      const o = (j - j0) * n;
      for (let i = 0; i < n; i++) bd[o + i] *= gd[i * N + j];
    }
    bx.set(gemm(blk, e, { linalg }).data, j0 * d);
  }
  // H = (GᵀG) ⊙ (ααᵀ), [N, N]
  const h = gramOfColumns(g, mixed, linalg);
  g = undefined; // let the n×N weights go before the N×N products below
  for (let j0 = 0; j0 < N; j0 += block) {
    const j1 = Math.min(N, j0 + block);
    const blk = gemm(rowsView(alpha, j0, j1), alpha, { transB: true, linalg }).data; // [B, N]
    const off = j0 * N;
    for (let t = 0; t < blk.length; t++) h.data[off + t] *= blk[t];
  }
  const hx = gemm(h, x, { linalg }); // [N, d]
  const q = gemm(x, hx, { transA: true, linalg }); // [d, d]
  const c = gemm(x, { rows: N, cols: d, data: bx }, { transA: true, linalg }); // [d, d]
  const we = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let k = 0; k < K; k++) w += a.data[i * K + k] ** 2;
    const sw = Math.sqrt(w);
    for (let k = 0; k < d; k++) we[i * d + k] = sw * e.data[i * d + k];
  }
  const last = syrk({ rows: n, cols: d, data: we }, { trans: true, linalg });
  const sum = q;
  for (let r = 0; r < d; r++) {
    for (let s = 0; s < d; s++) sum.data[r * d + s] += last.data[r * d + s] - c.data[r * d + s] - c.data[s * d + r];
  }
  symmetrize(sum);
  return { sum, means };
}

/** Per-output mean gradients (before M): mean_c = (1/n)[Xᵀ(α_c ⊙ Gᵀ1) − Eᵀ A_c], `[d, K]`. */
function gramMeans(model: KernelModel, e: Matrix, a: Matrix, colSums: Float64Array, linalg?: LinalgRequest): Matrix {
  const { alpha, centers: x } = model;
  const N = x.rows;
  const K = alpha.cols;
  const d = x.cols;
  const n = e.rows;
  const u = new Float64Array(N * K);
  for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) u[j * K + k] = alpha.data[j * K + k] * colSums[j];
  const m1 = gemm(x, { rows: N, cols: K, data: u }, { transA: true, linalg });
  const m2 = gemm(e, a, { transA: true, linalg });
  const means = new Float64Array(d * K);
  for (let i = 0; i < means.length; i++) means[i] = (m1.data[i] - m2.data[i]) / n;
  return { rows: d, cols: K, data: means };
}

/**
 * The Gram reorganisation when the evaluation points are the centres (G symmetric, E = X):
 * Σ = Xᵀ (S X + diag(Σ_c A_ic²) X) with S = (G G) ⊙ (ααᵀ) − G ⊙ (αAᵀ + Aαᵀ), formed in place of GG
 * by row blocks. One N×N×d product instead of two (S absorbs both cross terms) and one N×d×d product
 * instead of two (the diagonal term joins S X).
 */
function sumGramSymmetric(model: KernelModel, g: Matrix, a: Matrix, mixed: boolean, linalg?: LinalgRequest): Matrix {
  const { alpha, centers: x } = model;
  const N = x.rows;
  const K = alpha.cols;
  const d = x.cols;
  // G G, [N, N]: float64, or (mixed) float32 arithmetic and storage
  // (only the lower triangle: S is formed over it and mirrored below)
  const s: Matrix | Matrix32 = mixed ? ssyrk(toFloat32(g), { trans: true, linalg }) : syrk(g, { trans: true, linalg, lowerOnly: true });
  // S_jl = (GG)_jl (ααᵀ)_jl − G_jl (αAᵀ + Aαᵀ)_jl, in place of GG over the lower triangle, then
  // mirrored. The two rank-K products come from GEMMs over row blocks (U = [α A], V = [A α]:
  // UVᵀ = αAᵀ + Aαᵀ), so the per-entry work is two multiplies (in float64; mixed stores S in float32)
  const u = new Float64Array(N * 2 * K);
  const v = new Float64Array(N * 2 * K);
  for (let j = 0; j < N; j++) {
    for (let c = 0; c < K; c++) {
      const p = alpha.data[j * K + c];
      const q = a.data[j * K + c];
      u[j * 2 * K + c] = p;
      u[j * 2 * K + K + c] = q;
      v[j * 2 * K + c] = q;
      v[j * 2 * K + K + c] = p;
    }
  }
  const um: Matrix = { rows: N, cols: 2 * K, data: u };
  const vm: Matrix = { rows: N, cols: 2 * K, data: v };
  const sd = s.data;
  const gd = g.data;
  // blocks of at least 128 rows and 2^21 entries keep the portable GEMM on its fast kernel
  const block = Math.min(N, Math.max(128, Math.ceil(2 ** 21 / N)));
  const aaBuf = new Float64Array(block * N); // reused by every block: no per-block garbage at large N
  const crossBuf = new Float64Array(block * N);
  for (let j0 = 0; j0 < N; j0 += block) {
    const j1 = Math.min(N, j0 + block);
    const len = (j1 - j0) * j1;
    const aa = gemm(rowsView(alpha, j0, j1), rowsView(alpha, 0, j1), { transB: true, out: aaBuf.subarray(0, len), linalg }).data; // [B, j1]
    const cross = gemm(rowsView(um, j0, j1), rowsView(vm, 0, j1), { transB: true, out: crossBuf.subarray(0, len), linalg }).data; // [B, j1]
    for (let j = j0; j < j1; j++) {
      const o = (j - j0) * j1;
      const r = j * N;
      for (let l = 0; l <= j; l++) sd[r + l] = sd[r + l] * aa[o + l] - gd[r + l] * cross[o + l];
    }
  }
  mapSymmetric(sd, N);
  // Xᵀ S X; with mixed precision S X runs in float32 too (S rounded once; Xᵀ(SX) is float64)
  const sx = mixed ? toFloat64(sgemm(s as Matrix32, toFloat32(x), { linalg })) : gemm(s as Matrix, x, { linalg });
  // Xᵀ S X + Xᵀ diag(w) X = Xᵀ (S X + diag(w) X), w_i = Σ_c A_ic²: the diagonal term joins S X row by row
  const sxd = sx.data;
  for (let i = 0; i < N; i++) {
    let w = 0;
    for (let k = 0; k < K; k++) w += a.data[i * K + k] ** 2;
    for (let k = 0; k < d; k++) sxd[i * d + k] += w * x.data[i * d + k];
  }
  const q = gemm(x, sx, { transA: true, linalg }); // [d, d]
  symmetrize(q);
  return q;
}

/** GᵀG `[N, N]`, in float64 or (mixed) float32 arithmetic widened to float64. */
function gramOfColumns(g: Matrix, mixed: boolean, linalg?: LinalgRequest): Matrix {
  return mixed ? toFloat64(ssyrk(toFloat32(g), { trans: true, linalg })) : syrk(g, { trans: true, linalg });
}

/** M S M for symmetric S and M (full or diagonal), symmetrised. */
function sandwich(s: Matrix, metric: Metric, linalg?: LinalgRequest): Matrix {
  const out = applyMetric(transpose(applyMetric(s, metric, linalg)), metric, linalg);
  symmetrize(out);
  return out;
}

/**
 * The AGOP of a fitted kernel predictor (gradients exact, self-pairs masked):
 *
 * ```math
 * \mathrm{AGOP} = \frac{1}{n} \sum_{i=1}^{n} \sum_{c=1}^{K} \nabla f_c(x_i)\, \nabla f_c(x_i)^\top
 * \quad (\text{centred: } \nabla f_c(x_i) - \overline{\nabla f_c})
 * ```
 *
 * @param model - a fitted {@link KernelModel} (any kernel; the linear kernel has constant gradients).
 * @param options - evaluation points, subsample, centring, diagonal, normalisation, method.
 * @returns the `[d, d]` AGOP (or its diagonal), the number of points and the normalisation divisor.
 * @throws {InvalidArgumentError} for a bad `sampleSize`, NaN points or a dimension mismatch.
 * @example
 * const { agop } = kernelAgop(model, { normalize: 'max' }); // [d, d], largest entry 1
 * @see Radhakrishnan et al., Science 2024 (RFM); Beaglehole et al. 2024, Algorithm 1.
 */
export function kernelAgop(model: KernelModel, options: AgopOptions = {}): AgopResult {
  const d = model.centers.cols;
  const K = model.alpha.cols;
  let e = model.centers;
  let samePoints = true;
  if (options.points !== undefined) {
    checkMatrix('points', options.points);
    checkSameCols('points', options.points, d);
    e = asFloat64(options.points);
    samePoints = false;
  }
  if (options.sampleSize !== undefined) {
    const s = options.sampleSize;
    if (!Number.isInteger(s) || s < 1) throw new InvalidArgumentError('sampleSize', 'a positive integer', s);
    if (s < e.rows) {
      const idx = createRng(options.seed ?? 0).permutation(e.rows).slice(0, s);
      e = selectRows(e, idx);
      samePoints = false; // distances of the subset to its own centres are exactly 0 after recomputation, and masked
    }
  }
  const n = e.rows;
  const linalg = options.linalg;
  const mixed = resolvePrecision('precision', options.precision, linalg) === 'mixed';
  const centered = options.centered ?? false;
  const diagonal = options.diagonal ?? false;
  let full: Matrix | undefined;
  let diag: Float64Array | undefined;
  let method: AgopResult['method'];
  if (model.kernel.kind === 'linear') {
    method = 'linear';
    const beta = applyMetric(gemm(model.alpha, model.centers, { transA: true, linalg }), model.metric, linalg); // [K, d]
    if (centered) full = { rows: d, cols: d, data: new Float64Array(d * d) };
    else full = syrk(beta, { trans: true, linalg });
  } else {
    const N = model.centers.rows;
    const direct = 2 * n * N * K * d + n * K * d * d;
    const gram = n * N * N + 4 * N * N * d + 4 * N * d * d + n * d * d;
    const choice = options.method ?? 'auto';
    method = diagonal || isDotProductKernel(model.kernel) ? 'direct' : choice === 'auto' ? (gram < direct ? 'gram' : 'direct') : choice;
    let sum: Matrix | undefined;
    let means: Matrix | undefined;
    if (method === 'gram') ({ sum, means } = sumGram(model, e, samePoints, centered, mixed, options.kernelMatrix, linalg));
    else ({ sum, diag, means } = sumDirect(model, e, samePoints, centered, diagonal, linalg));
    if (diagonal) {
      const dg = diag as Float64Array;
      for (let k = 0; k < d; k++) {
        let m2 = 0;
        if (means) for (let c = 0; c < K; c++) m2 += means.data[k * K + c] ** 2;
        dg[k] = dg[k] / n - m2;
      }
    } else {
      const s = sum as Matrix;
      if (means) {
        const mm = gemm(means, means, { transB: true, linalg });
        for (let i = 0; i < s.data.length; i++) s.data[i] -= n * mm.data[i];
      }
      for (let i = 0; i < s.data.length; i++) s.data[i] /= n;
      full = model.metric === undefined ? s : sandwich(s, model.metric, linalg);
    }
  }
  if (diagonal && full !== undefined) {
    diag = new Float64Array(d);
    for (let k = 0; k < d; k++) diag[k] = full.data[k * d + k];
    full = undefined;
  }
  let scale = 1;
  const target = full ? full.data : (diag as Float64Array);
  if ((options.normalize ?? 'none') === 'max') {
    let mx = 0;
    for (let i = 0; i < target.length; i++) mx = Math.max(mx, target[i]);
    if (mx > 0) {
      scale = mx;
      for (let i = 0; i < target.length; i++) target[i] /= mx;
    }
  }
  return { agop: full ?? (diag as Float64Array), points: n, scale, method, precision: method === 'gram' && mixed ? 'mixed' : 'float64' };
}


