/**
 * The one-call metric suite: `computeMetrics` (features in memory) and `computeMetricsStreaming`
 * (two passes over re-iterable batches), both assembled by `metricsFromStatistics`.
 */
import { InvalidArgumentError, assertMatrix, eigh, validateLabels } from '@nclab/backend/host';
import type { AnyMatrix, Matrix } from '@nclab/backend/host';
import { ClassMeanAccumulator } from './class-means.js';
import type { ClassMeans } from './class-means.js';
import { NON_EMPTY, assertClassifier } from './inputs.js';
import { DegenerateClassMeansError } from './errors.js';
import {
  betweenClassEigen,
  cdnv,
  centreMeans,
  globalMean,
  linearProbeNc1,
  recentreProjectedScatter,
  traceWithinPinvBetween,
} from './nc1.js';
import type { BetweenClassEigen, GlobalMeanMode } from './nc1.js';
import {
  equiangularity,
  equinorm,
  etfError,
  etfMeanSquaredError,
  maxAngleDeviation,
  normalisedGramEtfError,
  orthogonalFrameError,
} from './nc2.js';
import { classifierMeansEtfError, selfDualityError } from './nc3.js';
import { CANONICAL_CONVENTION, getPreset } from './presets.js';
import type { PresetName, PresetSpec } from './presets.js';
import { ResidualAccumulator } from './residuals.js';
import { betweenClassCovariance } from './shortcuts.js';
import type { ResidualStatistics } from './residuals.js';
import { spectrumSummary } from './structure.js';

/** Options of {@link computeMetrics}. */
export interface ComputeMetricsOptions {
  /** Last-layer weights W, `[K, d]` (or `[numClasses, d]` when empty classes are dropped). Enables NC3/NC4. */
  classifier?: AnyMatrix;
  /** Last-layer bias b, `[K]` (needs `classifier`). */
  bias?: ArrayLike<number>;
  /** Adds the values of a paper convention under `preset` (see `PRESETS`). */
  preset?: string;
  /** K; default max label + 1. */
  numClasses?: number;
  /** Drop classes without samples instead of throwing. Default false. */
  dropEmptyClasses?: boolean;
  /** Also compute the linear-probe NC1 (needs the d×d Σ_W: O(N·d²) time, O(d²) memory). Default false. */
  linearProbe?: boolean;
}

/** The values of one preset. */
export interface PresetResult {
  /** Preset name. */
  readonly name: PresetName;
  /** Where the convention comes from. */
  readonly source: string;
  /** Metric name → value (classifier-based ones only when a classifier was given). */
  readonly values: Readonly<Record<string, number>>;
  /** Metric name → formula. */
  readonly formulas: Readonly<Record<string, string>>;
}

/** Result of {@link computeMetrics}: fixed keys in the canonical convention (see `convention`). */
export interface NcMetricsResult {
  /** Number of samples N. */
  n: number;
  /** Number of classes K (after dropping empty ones). */
  K: number;
  /** Feature dimension d. */
  d: number;
  /** Samples per class. */
  counts: number[];
  /** Original label of each class. */
  classIds: number[];
  /** tr Σ_W (Σ_W divided by N). */
  traceWithin: number;
  /** tr Σ_B (Σ_B divided by K, class-mean-average global mean). */
  traceBetween: number;
  /** tr Σ_T (about the same global mean, divided by N). */
  traceTotal: number;
  /** tr Σ_W / tr Σ_B. */
  nc1TraceRatio: number;
  /** tr(Σ_W Σ_B^†)/K with the top K−1 eigenpairs of Σ_B. */
  nc1Pinv: number;
  /** Class-distance normalised variance, mean over class pairs. */
  nc1Cdnv: number;
  /** tr Σ_W / tr Σ_T. */
  nc1WithinTotal: number;
  /** tr Σ_B / tr Σ_T. */
  nc1BetweenTotal: number;
  /** Linear-probe NC1 (only with `linearProbe: true`, else null). */
  nc1LinearProbe: number | null;
  /** Eigenvalues of Σ_B kept for nc1Pinv (descending). */
  sigmaBEigenvalues: number[];
  /** ETF error of unit-normalised centred means. */
  nc2Etf: number;
  /** ETF error of the Frobenius-normalised Gram of centred means. */
  nc2EtfGram: number;
  /** Orthogonal-frame error of the uncentred means. */
  nc2OrthogonalFrame: number;
  /** CoV of centred mean norms. */
  nc2Equinorm: number;
  /** Mean |cos + 1/(K−1)| of centred means. */
  nc2Equiangular: number;
  /** Max deviation from the ETF angle, degrees. */
  nc2MaxAngleDeg: number;
  /** Nearest-class-mean accuracy against the labels. */
  nccAccuracy: number;
  /** Singular values of the centred class-mean matrix `[K, d]`, descending. */
  meanSingularValues: number[];
  /** Numerical rank of the centred class-mean matrix (singular values above max(K, d)·eps·σ_1). */
  meanRank: number;
  /** Condition number of the centred class-mean matrix on its non-zero part. */
  meanCondition: number;
  /** With a classifier: self-duality with centred means. */
  nc3?: number;
  /** With a classifier: self-duality with uncentred means. */
  nc3Uncentered?: number;
  /** With a classifier: fraction of samples where the classifier and the NCC rule disagree. */
  nc4?: number;
  /** With a classifier: accuracy of argmax(Wx + b) against the labels. */
  classifierAccuracy?: number;
  /** With a classifier: NC2 forms on the rows of W. */
  nc2WEtf?: number;
  nc2WEtfGram?: number;
  nc2WOrthogonalFrame?: number;
  nc2WEquinorm?: number;
  nc2WEquiangular?: number;
  nc2WMaxAngleDeg?: number;
  /** Values of the requested preset, or null. */
  preset: PresetResult | null;
  /** Notes: unbalanced or dropped classes, d < K−1, rank-deficient Σ_B, unstable variants. */
  warnings: string[];
  /** The formulas behind the fixed keys (text). */
  convention: string;
}

/** What pass 2 must collect beyond the defaults, decided from pass 1. */
interface Plan {
  readonly preset: PresetSpec | null;
  readonly classifier: Matrix | null;
  readonly bias: Float64Array | null;
  readonly linearProbe: boolean;
  /** Full-pinv eigenpairs of the explicit d×d Σ_B (zhu2021 only). */
  readonly fullPinv: { readonly values: Float64Array; readonly vectors: Matrix } | null;
}

function toFloat64Matrix(m: AnyMatrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data instanceof Float64Array ? m.data : new Float64Array(m.data) };
}

/**
 * Checks the classifier against the kept classes; selects the kept rows when classes were dropped.
 * @internal
 */
function planPass2(means: ClassMeans, options: ComputeMetricsOptions): Plan {
  const { K, d, classIds, labelToClass } = means;
  const preset = options.preset === undefined ? null : getPreset(options.preset);
  let classifier: Matrix | null = null;
  let bias: Float64Array | null = null;
  if (options.classifier !== undefined) {
    const W = options.classifier;
    assertMatrix('classifier', W, NON_EMPTY);
    const rawK = labelToClass.length;
    if (W.rows === rawK && rawK !== K && W.cols === d) {
      if (options.bias !== undefined) assertClassifier(W, options.bias, rawK, d);
      const data = new Float64Array(K * d);
      for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) data[k * d + j] = W.data[classIds[k] * d + j];
      classifier = { rows: K, cols: d, data };
      if (options.bias !== undefined) bias = Float64Array.from(classIds, (id) => Number(options.bias![id]));
    } else {
      assertClassifier(W, options.bias, K, d);
      classifier = toFloat64Matrix(W);
      if (options.bias !== undefined) bias = Float64Array.from(options.bias);
    }
    assertClassifier(classifier, bias ?? undefined, K, d);
  } else if (options.bias !== undefined) {
    throw new InvalidArgumentError('bias', 'given only together with a classifier', 'a bias without classifier');
  }
  let fullPinv: Plan['fullPinv'] = null;
  if (preset?.name === 'zhu2021') fullPinv = fullPinvEigen(means, preset.globalMean);
  return { preset, classifier, bias, linearProbe: options.linearProbe === true, fullPinv };
}

/**
 * Eigenpairs kept by a full pseudo-inverse of the explicit d×d Σ_B (numpy/scipy rule: |λ| > d·eps·max|λ|).
 * @internal
 */
function fullPinvEigen(means: ClassMeans, mode: GlobalMeanMode): { values: Float64Array; vectors: Matrix } {
  const { d } = means;
  const eig = eigh(betweenClassCovariance(means.means, means.counts, { globalMean: mode }));
  let maxAbs = 0;
  for (const v of eig.values) maxAbs = Math.max(maxAbs, Math.abs(v));
  const keep: number[] = [];
  for (let j = d - 1; j >= 0; j--) if (Math.abs(eig.values[j]) > d * 2.220446049250313e-16 * maxAbs) keep.push(j);
  const values = Float64Array.from(keep, (j) => eig.values[j]);
  const vectors = new Float64Array(keep.length * d);
  keep.forEach((j, row) => {
    for (let t = 0; t < d; t++) vectors[row * d + t] = eig.vectors.data[t * d + j];
  });
  return { values, vectors: { rows: keep.length, cols: d, data: vectors } };
}

/** Quantities that depend on the choice of global mean. @internal */
interface Centring {
  readonly centred: Matrix;
  readonly T: Matrix;
  readonly eigen: BetweenClassEigen;
  readonly traceBetween: number;
  readonly traceTotal: number;
}

function centring(means: ClassMeans, res: ResidualStatistics, mode: GlobalMeanMode, traceWithinSum: number): Centring {
  const { K, d, n, counts } = means;
  const g = globalMean(means.means, counts, mode);
  const centred = centreMeans(means.means, g);
  const weights = Float64Array.from(counts, (c) => (mode === 'classMeanAverage' ? 1 / K : c / n));
  const T = mode === 'classMeanAverage' ? res.projectedScatter : recentreProjectedScatter(res.projectedScatter, weights);
  let between = 0;
  let spread = 0;
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += centred.data[k * d + j] ** 2;
    between += s;
    spread += counts[k] * s;
  }
  return { centred, T, eigen: betweenClassEigen(centred), traceBetween: between / K, traceTotal: (traceWithinSum + spread) / n };
}

/**
 * Assembles every metric from the two passes' statistics (what `computeMetrics` and
 * `computeMetricsStreaming` return).
 * @param means - pass-1 statistics.
 * @param res - pass-2 statistics, accumulated with the options chosen by the same `options`.
 * @param options - the options of {@link computeMetrics}.
 * @returns see {@link NcMetricsResult}.
 * @internal
 */
function assemble(means: ClassMeans, res: ResidualStatistics, plan: Plan): NcMetricsResult {
  const { n, K, d, counts } = means;
  const warnings = [...means.warnings];
  let sumSq = 0;
  for (let k = 0; k < K; k++) sumSq += res.sumSq[k];
  const traceWithin = sumSq / n;
  const canon = centring(means, res, 'classMeanAverage', sumSq);
  if (d < K - 1) warnings.push(`d = ${d} < K − 1 = ${K - 1}: the class means cannot form a simplex ETF, so NC2 cannot reach 0`);
  if (canon.eigen.rankDeficient) {
    warnings.push(`Σ_B has numerical rank ${canon.eigen.rank} < min(K − 1, d) = ${Math.min(K - 1, d)}: nc1Pinv uses only the ${canon.eigen.rank} non-zero eigenpairs`);
  }
  if (canon.traceBetween === 0) {
    throw new DegenerateClassMeansError();
  }
  const variances = Float64Array.from(res.sumSq, (s, k) => s / counts[k]);
  const cd = cdnv(means.means, variances);
  if (!Number.isFinite(cd)) warnings.push('two classes have identical means: nc1Cdnv is Infinity');
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += canon.centred.data[k * d + j] ** 2;
    if (s === 0) warnings.push(`class ${means.classIds[k]} has its mean at the global mean: its normalised mean is taken as 0 in nc2Etf`);
  }
  let linearProbe: number | null = null;
  if (plan.linearProbe && n - K < d) {
    warnings.push(`N − K = ${n - K} < d = ${d}: Σ_W is singular, so some directions have zero within-class variance and nc1LinearProbe is ≈ 0 by construction`);
  }
  if (plan.linearProbe && res.scatter) {
    const sw = Float64Array.from(res.scatter.data, (v) => v / n);
    linearProbe = linearProbeNc1(canon.centred, { rows: d, cols: d, data: sw });
  }
  const spectrum = spectrumSummary(canon.centred, { maxRank: K - 1 });
  const result: NcMetricsResult = {
    n,
    K,
    d,
    counts: Array.from(counts),
    classIds: Array.from(means.classIds),
    traceWithin,
    traceBetween: canon.traceBetween,
    traceTotal: canon.traceTotal,
    nc1TraceRatio: traceWithin / canon.traceBetween,
    nc1Pinv: traceWithinPinvBetween(canon.eigen, canon.T, n) / K,
    nc1Cdnv: cd,
    nc1WithinTotal: traceWithin / canon.traceTotal,
    nc1BetweenTotal: canon.traceBetween / canon.traceTotal,
    nc1LinearProbe: linearProbe,
    sigmaBEigenvalues: Array.from(canon.eigen.values),
    nc2Etf: etfError(canon.centred),
    nc2EtfGram: normalisedGramEtfError(canon.centred),
    nc2OrthogonalFrame: orthogonalFrameError(means.means),
    nc2Equinorm: equinorm(canon.centred),
    nc2Equiangular: equiangularity(canon.centred),
    nc2MaxAngleDeg: maxAngleDeviation(canon.centred),
    nccAccuracy: res.nccCorrect / n,
    meanSingularValues: Array.from(spectrum.singularValues),
    meanRank: spectrum.rank,
    meanCondition: spectrum.condition,
    preset: null,
    warnings,
    convention: CANONICAL_CONVENTION,
  };
  const W = plan.classifier;
  if (W) {
    result.nc3 = selfDualityError(W, canon.centred);
    result.nc3Uncentered = selfDualityError(W, means.means);
    result.nc4 = 1 - (res.classifierAgree ?? 0) / n;
    result.classifierAccuracy = (res.classifierCorrect ?? 0) / n;
    result.nc2WEtf = etfError(W);
    result.nc2WEtfGram = normalisedGramEtfError(W);
    result.nc2WOrthogonalFrame = orthogonalFrameError(W);
    result.nc2WEquinorm = equinorm(W);
    result.nc2WEquiangular = equiangularity(W);
    result.nc2WMaxAngleDeg = maxAngleDeviation(W);
  }
  if (plan.preset) result.preset = presetResult(plan, means, res, canon, sumSq, result, warnings);
  return result;
}

function presetResult(
  plan: Plan,
  means: ClassMeans,
  res: ResidualStatistics,
  canon: Centring,
  sumSq: number,
  base: NcMetricsResult,
  warnings: string[],
): PresetResult {
  const spec = plan.preset!;
  const { n, K } = means;
  const c = spec.globalMean === 'classMeanAverage' ? canon : centring(means, res, spec.globalMean, sumSq);
  const withinDivisor = spec.withinDivisor === 'N' ? n : K * n;
  const W = plan.classifier;
  const v: Record<string, number> = {};
  switch (spec.name) {
    case 'papyan2020':
      v.nc1 = traceWithinPinvBetween(c.eigen, c.T, withinDivisor) / K;
      v.nc2Equinorm = equinorm(c.centred);
      v.nc2Equiangular = equiangularity(c.centred);
      if (W) {
        v.nc2WEquinorm = equinorm(W);
        v.nc2WEquiangular = equiangularity(W);
        v.nc3 = selfDualityError(W, c.centred, { squared: true });
        v.nc4 = base.nc4!;
      }
      break;
    case 'zhu2021': {
      const full = plan.fullPinv!;
      let tr = 0;
      for (let j = 0; j < full.values.length; j++) tr += res.directionSq![j] / withinDivisor / full.values[j];
      v.nc1 = tr / K;
      const topK = traceWithinPinvBetween(c.eigen, c.T, withinDivisor) / K;
      warnings.push(
        `preset zhu2021: nc1 uses the full d×d pseudo-inverse of Σ_B (${full.values.length} eigenpairs kept), known to give negative or unstable values when Σ_B is formed in low precision (tding1/Neural-Collapse#3)` +
          (Math.abs(v.nc1 - topK) > 1e-6 * Math.abs(topK) ? `; here it differs from the top-(K−1) value ${topK}` : ''),
      );
      v.nc2H = normalisedGramEtfError(c.centred);
      if (W) {
        v.nc2W = normalisedGramEtfError(W);
        v.nc3 = classifierMeansEtfError(W, c.centred);
      }
      break;
    }
    case 'rangamani2023': {
      v.nc1 = traceWithinPinvBetween(c.eigen, c.T, withinDivisor) / K;
      const variances = Float64Array.from(res.sumSq, (s, k) => s / means.counts[k]);
      let total = 0;
      const d = means.d;
      for (let a = 0; a < K; a++) {
        for (let b = a + 1; b < K; b++) {
          let dist = 0;
          for (let j = 0; j < d; j++) dist += (means.means.data[a * d + j] - means.means.data[b * d + j]) ** 2;
          total += (variances[a] + variances[b]) / Math.max(2 * dist, 1e-15);
        }
      }
      v.cdnv = total / ((K * (K - 1)) / 2);
      v.nc2Equinorm = equinorm(c.centred);
      v.nc2Equiangular = equiangularity(c.centred);
      v.nccAccuracy = base.nccAccuracy;
      break;
    }
    case 'beaglehole2024':
      v.nc1 = sumSq / withinDivisor / c.traceBetween;
      v.nc2 = etfMeanSquaredError(c.centred);
      break;
    case 'tirer2023':
      v.nc1 = sumSq / withinDivisor / c.traceBetween;
      v.nc2Etf = normalisedGramEtfError(c.centred);
      v.nc2Of = orthogonalFrameError(means.means);
      if (W) {
        v.nc3 = selfDualityError(W, means.means);
        v.nc3Centered = selfDualityError(W, c.centred);
      }
      break;
  }
  return { name: spec.name, source: spec.source, values: v, formulas: spec.metrics };
}

function residualOptions(plan: Plan) {
  return {
    classifier: plan.classifier ?? undefined,
    bias: plan.bias ?? undefined,
    directions: plan.fullPinv && plan.fullPinv.vectors.rows > 0 ? plan.fullPinv.vectors : undefined,
    fullScatter: plan.linearProbe,
  };
}

/**
 * Every neural-collapse metric of features against labels (and a classifier), in one call.
 *
 * Fixed keys use the canonical convention (text in `result.convention`):
 * ```math
 * \mathrm{nc1Pinv} = \tfrac1K \operatorname{tr}(\Sigma_W \Sigma_B^\dagger),\quad
 * \mathrm{nc1TraceRatio} = \operatorname{tr}\Sigma_W / \operatorname{tr}\Sigma_B,\quad
 * \mathrm{nc2Etf} = \|\hat H\hat H^\top - \Sigma_{\mathrm{ETF}}\|_F,\ \dots
 * ```
 * with μ_G the class-mean average, Σ_W = RᵀR/N, Σ_B = M̃ᵀM̃/K. A `preset` adds the paper's own
 * values under `result.preset`. Two passes over the data, O(N·d·K) time, no d×d matrix (except with
 * `linearProbe` or the `zhu2021` preset), float64 throughout.
 * @param features - `[N, d]` float32 or float64 rows.
 * @param labels - `[N]` integer labels (integer-valued floats accepted) in `[0, K)`.
 * @param options - classifier `[K, d]`, bias `[K]`, preset, numClasses, dropEmptyClasses, linearProbe.
 * @returns see {@link NcMetricsResult}.
 * @throws {InvalidArgumentError} on NaN/Inf (first offending row), a label count ≠ N, labels out of range
 *   or not integers, an empty class (unless `dropEmptyClasses`), K < 2, a classifier or bias of the wrong
 *   shape, an unknown preset, or identical class means.
 * @example
 * const r = computeMetrics(features, labels, { classifier: W, preset: 'papyan2020' });
 * r.nc1Pinv; // e.g. 0.050625 for an ETF of norm 2 with 0.3²·I noise (K = 4, d = 6)
 * @see Papyan, Han & Donoho 2020; Galanti et al. 2022; Tirer & Bruna 2022; Beaglehole et al. 2024.
 */
export function computeMetrics(features: AnyMatrix, labels: ArrayLike<number>, options: ComputeMetricsOptions = {}): NcMetricsResult {
  assertMatrix('features', features, NON_EMPTY);
  const numClasses = options.numClasses ?? validateLabels('labels', labels, features.rows).numClasses;
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new InvalidArgumentError(options.numClasses === undefined ? 'labels' : 'numClasses', 'K >= 2 classes', numClasses);
  }
  const pass1 = new ClassMeanAccumulator({ numClasses, dim: features.cols }).update(features, labels);
  const means = pass1.finalize({ dropEmptyClasses: options.dropEmptyClasses });
  const plan = planPass2(means, options);
  const res = new ResidualAccumulator(means, residualOptions(plan)).update(features, labels).finalize();
  return assemble(means, res, plan);
}

/** One batch of a stream. */
export interface Batch {
  /** `[B, d]` rows. */
  readonly features: AnyMatrix;
  /** `[B]` labels. */
  readonly labels: ArrayLike<number>;
}

/**
 * The metric suite over data too large for memory: two passes over re-iterable batches.
 *
 * `source()` is called twice (pass 1: class means; pass 2: residual statistics) and must yield the
 * same samples both times (batching and order may differ). Memory is O(K·d + K²) plus one batch
 * (plus d² with `linearProbe`). The result equals {@link computeMetrics} on the concatenated data up
 * to float64 summation order.
 * @param source - returns a fresh (async) iterable of batches each time it is called.
 * @param options - as {@link computeMetrics}, with `numClasses` and `dim` required.
 * @returns see {@link NcMetricsResult}.
 * @throws {InvalidArgumentError} as {@link computeMetrics}, and when the two passes differ in sample count.
 * @example
 * const r = await computeMetricsStreaming(() => readChunks('features.npy', 'labels.npy', 8192), { numClasses: 10, dim: 512 });
 */
export async function computeMetricsStreaming(
  source: () => Iterable<Batch> | AsyncIterable<Batch>,
  options: ComputeMetricsOptions & { numClasses: number; dim: number },
): Promise<NcMetricsResult> {
  if (typeof source !== 'function') throw new InvalidArgumentError('source', 'a function returning an iterable of batches', source);
  const pass1 = new ClassMeanAccumulator({ numClasses: options.numClasses, dim: options.dim });
  for await (const b of source()) pass1.update(b.features, b.labels);
  if (pass1.count === 0) throw new InvalidArgumentError('source', 'to yield at least one sample', 'no samples');
  const means = pass1.finalize({ dropEmptyClasses: options.dropEmptyClasses });
  const plan = planPass2(means, options);
  const pass2 = new ResidualAccumulator(means, residualOptions(plan));
  for await (const b of source()) pass2.update(b.features, b.labels);
  return assemble(means, pass2.finalize(), plan);
}

/**
 * Metrics from statistics accumulated by hand (e.g. merged across workers): pass the pass-1 means and a
 * pass-2 accumulator's `finalize()` built with {@link residualOptionsFor}.
 * @param means - pass-1 statistics.
 * @param residuals - pass-2 statistics.
 * @param options - the same options used for {@link residualOptionsFor}.
 * @returns see {@link NcMetricsResult}.
 * @throws {InvalidArgumentError} when the statistics lack what the options need.
 * @example
 * const r = metricsFromStatistics(means, pass2a.merge(pass2b).finalize(), { classifier: W });
 */
export function metricsFromStatistics(means: ClassMeans, residuals: ResidualStatistics, options: ComputeMetricsOptions = {}): NcMetricsResult {
  const plan = planPass2(means, options);
  if (plan.linearProbe && !residuals.scatter) throw new InvalidArgumentError('residuals', 'accumulated with fullScatter (linearProbe)', 'no scatter');
  if (plan.fullPinv && plan.fullPinv.values.length > 0 && residuals.directionSq?.length !== plan.fullPinv.values.length) {
    throw new InvalidArgumentError('residuals', 'accumulated with the directions of residualOptionsFor (zhu2021 preset)', 'missing directions');
  }
  if (plan.classifier && residuals.classifierAgree === null) throw new InvalidArgumentError('residuals', 'accumulated with the classifier', 'no classifier');
  return assemble(means, residuals, plan);
}

/**
 * The pass-2 options (`new ResidualAccumulator(means, residualOptionsFor(means, options))`) that
 * {@link metricsFromStatistics} needs for the given metric options.
 * @param means - pass-1 statistics.
 * @param options - metric options.
 * @returns options for `ResidualAccumulator`.
 * @throws {InvalidArgumentError} on a bad classifier, bias or preset.
 * @example
 * const pass2 = new ResidualAccumulator(means, residualOptionsFor(means, { preset: 'zhu2021' }));
 */
export function residualOptionsFor(means: ClassMeans, options: ComputeMetricsOptions = {}): ReturnType<typeof residualOptions> {
  return residualOptions(planPass2(means, options));
}
