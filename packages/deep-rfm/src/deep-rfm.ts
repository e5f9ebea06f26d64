/**
 * Deep Recursive Feature Machines (Beaglehole et al. 2024, Algorithm 1) with the per-layer collapse table.
 */
import {
  InvalidArgumentError,
  NclabError,
  factorWorkspace,
  assertInteger,
  cholesky,
  createRng,
  gemm,
  getLinalgInfo,
  psdSqrt,
  validateLabels,
  type LabelledData,
  type LinalgRequest,
  type Matrix,
} from '@nclab/backend/host';
import {
  accuracy,
  agopFlops,
  isRadialKernel,
  kernelAgop,
  kernelAgopBlocked,
  kernelMatrix,
  oneHot,
  resolveKernel,
  resolvePrecision,
  type KernelModel,
  type KernelName,
  type KernelSpec,
  type ResolvedKernel,
} from '@nclab/agop';
import { FEATURE_MAP_KINDS, applyFeatureMap, sampleFeatureMap, type FeatureMapKind } from './feature-maps.js';
import { fitExponentialRate, gramError } from '@nclab/nc-metrics';
import { centredGram, collapseMetrics, gramIndices, hasEveryClass, type CollapseMetrics, type GramSample } from './metrics.js';
import { checkNormalize, gramFactor, normalizeRows, type NormalizeMode } from './normalize.js';
import { LAYER_PRECISIONS, chooseLayerRoute, refinedFromN, solveDetail, solveFinal, solveLayer, type LayerPrecision, type LayerSolveResult, type LayerSolver } from './layer-solve.js';

/** Options of {@link deepRfm}. */
export interface DeepRfmOptions {
  /** Number of layers L ≥ 1. */
  readonly depth: number;
  /** Predictor kernel k_l (the same at every layer): name or spec. */
  readonly kernel: KernelName | KernelSpec;
  /** Bandwidth L > 0 of the predictor kernel (overrides the spec's). Default: the spec's, else 1. */
  readonly bandwidth?: number;
  /** Ridge μ ≥ 0 (0 = ridgeless; a singular system falls back to a reported ridge). Default 0. */
  readonly ridge?: number;
  /** Feature map Φ_l. Default `'relu'`. */
  readonly featureMap?: FeatureMapKind;
  /** Number of random features D ≥ 1. */
  readonly width: number;
  /** ReLU features with a uniform bias on [−1, 1). Default false. */
  readonly featureBias?: boolean;
  /** RFF: the kernel approximated and its bandwidth σ. Default: the predictor kernel if Laplace/Gaussian (else Laplace) and its bandwidth. */
  readonly rffKernel?: 'laplace' | 'gaussian';
  readonly rffBandwidth?: number;
  /** Per-layer sample normalisation. Default `'unit'`. */
  readonly normalize?: NormalizeMode;
  /** Seed of the random feature maps. Default 0. */
  readonly seed?: number;
  /**
   * How M^{1/2} X is formed: `'eigh'` (default) the exact PSD square root; `'cholesky'` X L with
   * M + εI = L Lᵀ (Lᵀ = Q M^{1/2} for an orthogonal Q: every recorded metric is invariant to Q and
   * W Lᵀ has the distribution of W M^{1/2}, so results agree in distribution, not sample by sample).
   */
  readonly sqrt?: SqrtMethod;
  /** AGOP on a seeded subsample of this many training points. Default: all. */
  readonly agopSamples?: number;
  /** Centre the gradients in the AGOP. Default false. */
  readonly agopCentered?: boolean;
  /**
   * Arithmetic of the AGOP's large products GᵀG and S·X (see `kernelAgop`'s `precision`): `'auto'`
   * (default: float32 on the portable float64 path, float64 on native), `'float64'` or `'mixed'`.
   */
  readonly agopPrecision?: AgopPrecisionChoice;
  /**
   * Precision of every layer's kernel solve (see {@link chooseLayerRoute}): `'float64'` the exact
   * Cholesky on the float64 kernel (≈ 22·N² bytes); `'refined'` the float64 kernel with a float32
   * factor of it (4·N² bytes more), refined in float64 to a relative residual ≤ 1e-13 (it answers
   * the float64 system; a refinement that stalls falls back to Cholesky); `'mixed'` the kernel stored
   * once in float32 (4·N² bytes), factored in place and refined in float64 to a relative residual
   * ≤ 1e-11 (α within cond·1e-11 of float64's); `'auto'` (default) below N = 16,384 refined from
   * {@link refinedFromN} points and Cholesky under it, when they fit `memoryBudget`, else mixed. Each
   * falls back to Nyström-preconditioned block CG when it does not fit the budget.
   * The mixed and CG routes take the AGOP by the blocked gradient form (O(block·N) memory).
   */
  readonly precision?: LayerPrecision;
  /** Memory budget in bytes that decides the solve route. Default: no limit (nclab's job passes a fraction of the free memory). */
  readonly memoryBudget?: number;
  /** Samples (class-balanced) in each Gram heat map. Default 200. */
  readonly gramSamples?: number;
  /**
   * Also compute every per-layer metric on the test data (the `…Test…` fields of {@link DeepRfmLayer}).
   * Default true; needs test data with every class.
   */
  readonly testMetrics?: boolean;
  /**
   * Compute the Fisher NC1 tr(Σ_W⁺Σ_B) at every point (one eigendecomposition of the `[d, d]` within-class
   * covariance per point: six per layer with test data, which at d = 1,024 triples the main job's time).
   * Default false: the Fisher fields are null.
   */
  readonly fisher?: boolean;
  /**
   * Float64 linear-algebra path of the run (recorded in the result; passed to the AGOP's products).
   * Default: the process-wide path (`NCLAB_LINALG`, else `'auto'`).
   */
  readonly linalg?: LinalgRequest;
  /**
   * Called after every finished layer with what a later run needs to continue (see {@link resume});
   * awaited, so a job may write it to disk before the next layer starts.
   */
  readonly onLayer?: (state: DeepRfmState) => void | Promise<void>;
  /** Continue from the state of an earlier run with the same {@link DeepRfmState.config} (layers 1…completed are kept). */
  readonly resume?: DeepRfmState;
  /** Called after every finished layer (and once on resume). */
  readonly onProgress?: (event: DeepRfmProgress) => void;
}

/** Values of {@link DeepRfmOptions.sqrt}. */
export const SQRT_METHODS = ['eigh', 'cholesky'] as const;
/** One of {@link SQRT_METHODS}. */
export type SqrtMethod = (typeof SQRT_METHODS)[number];

/** Values of {@link DeepRfmOptions.agopPrecision}. */
export const AGOP_PRECISIONS = ['auto', 'float64', 'mixed'] as const;
/** One of {@link AGOP_PRECISIONS}. */
export type AgopPrecisionChoice = (typeof AGOP_PRECISIONS)[number];

/**
 * The state after a finished layer: enough to continue the run. The algorithm writes no files; a
 * job serialises this (nclab's deep-rfm job uses the backend checkpoint container).
 */
export interface DeepRfmState {
  /** Canonical configuration without `depth` (a deeper run may resume a shallower one); a resume must match it. */
  readonly config: Record<string, unknown>;
  /** Finished layers. */
  readonly completed: number;
  /** Rows of the finished layers. */
  readonly layers: DeepRfmLayer[];
  /** Gram heat maps so far. */
  readonly grams: DeepRfmGram[];
  /** Features X_{completed+1} of the training data `[N, D]`. */
  readonly train: Matrix;
  /** Features of the test data, when there is test data. */
  readonly test?: Matrix;
}

/**
 * A progress event: a finished layer (`'layer'`), a resumed run (`'resume'`), or a finished phase inside a
 * layer or the final regression (`'phase'`: the kernel solve and the AGOP, which at N = 50,000 take 5–8
 * minutes each, so a long layer reports before it ends).
 */
export interface DeepRfmProgress {
  readonly type: 'layer' | 'resume' | 'phase';
  /** The layer (the last layer for the final regression's phase). */
  readonly layer: number;
  readonly depth: number;
  readonly elapsedSeconds: number;
  /** The finished layer's row (`type: 'layer'`). */
  readonly row?: DeepRfmLayer;
  /** Which phase finished (`type: 'phase'`): a layer's kernel solve or AGOP, or the final regression's solve. */
  readonly phase?: 'solve' | 'agop' | 'final-solve';
  /** The phase's seconds (`type: 'phase'`). */
  readonly seconds?: number;
  /** What the phase did, for people (`type: 'phase'`): the solver and its residual, or the AGOP route. */
  readonly detail?: string;
}

/** Seconds spent per phase. */
export interface PhaseTimings {
  kernel: number;
  solve: number;
  predict: number;
  agop: number;
  sqrt: number;
  features: number;
  metrics: number;
}

/** One row of the per-layer table (camelCase; `result.json` spells the keys in snake_case, see nclab's `toJsonKeys`). */
export interface DeepRfmLayer {
  readonly layer: number;
  /** NC1 trace ratio at the input X_l (normalised), after M^{1/2} and after Φ. */
  readonly nc1In: number;
  readonly nc1Agop: number;
  readonly nc1Out: number;
  /** NC1 tr(Σ_W Σ_B^†)/K at the same three points. */
  readonly nc1PinvIn: number;
  readonly nc1PinvAgop: number;
  readonly nc1PinvOut: number;
  /** Fisher discriminant NC1 tr(Σ_W⁺ Σ_B) at the same three points (larger = more separated; null unless `fisher`). */
  readonly nc1FisherIn: number | null;
  readonly nc1FisherAgop: number | null;
  readonly nc1FisherOut: number | null;
  /** Rank of Σ_W kept by the Fisher form's pseudo-inverse at the three points. */
  readonly nc1FisherRankIn: number | null;
  readonly nc1FisherRankAgop: number | null;
  readonly nc1FisherRankOut: number | null;
  /** NC2 ETF error at the same three points. */
  readonly nc2In: number;
  readonly nc2Agop: number;
  readonly nc2Out: number;
  /**
   * The same metrics on the test data mapped by the same layers (null without test data, with
   * `testMetrics: false`, or when a class has no test sample).
   */
  readonly nc1TestIn: number | null;
  readonly nc1TestAgop: number | null;
  readonly nc1TestOut: number | null;
  readonly nc1PinvTestIn: number | null;
  readonly nc1PinvTestAgop: number | null;
  readonly nc1PinvTestOut: number | null;
  readonly nc1FisherTestIn: number | null;
  readonly nc1FisherTestAgop: number | null;
  readonly nc1FisherTestOut: number | null;
  readonly nc2TestIn: number | null;
  readonly nc2TestAgop: number | null;
  readonly nc2TestOut: number | null;
  /**
   * Theorem 4.3's Gram error ‖X̃ᵀX̃ − yyᵀ‖_F of the layer's output Φ_l(M_l^{1/2} X_l) with unit-norm
   * rows (`gramError` of `@nclab/nc-metrics`), and that error over ‖yyᵀ‖_F = √(Σ_c n_c²).
   */
  readonly gramError: number;
  readonly relativeGramError: number;
  /** Accuracy of this layer's kernel predictor f_l on the training and test data (null without test data). */
  readonly trainAcc: number;
  readonly testAcc: number | null;
  /** Ridge used in the solve (requested plus any stabilising fallback). */
  readonly ridgeUsed: number;
  /** Present when the system was singular: the reason and the ridge added. */
  readonly ridgeFallback?: { reason: string; ridgeAdded: number };
  /** RMS deviation of the output Gram (subsample) from the collapsed ETF Gram. */
  readonly gramEtfDevOut: number;
  /** Input dimension d_l. */
  readonly dim: number;
  /** The kernel solver used: `'cholesky'` (float64), `'refined'` (float32 factor of the float64 kernel, float64 refinement), `'mixed'` (float32 kernel and factor, float64 refinement) or `'cg'`. */
  readonly solver: LayerSolver;
  /** Refinement steps (refined, mixed) or CG iterations; null for Cholesky. */
  readonly solverIterations: number | null;
  /** Final relative residual ‖Y − (K + μI)α‖_F / ‖Y‖_F of the solve (CG: largest over the columns). */
  readonly solverResidual: number;
  /** Present when the mixed solve failed and another solver took over: why. */
  readonly solverFallback?: string;
  /** The AGOP's route: `'gram'` (≈ N³, via GᵀG), `'direct'`, `'blocked'` (per-output gradients in row blocks, ≈ 2·K·N²·d) or `'linear'`. */
  readonly agopMethod: string;
  /** Arithmetic of the AGOP's large product (`'float64'` or `'mixed'`: float32 with float64 accumulation). */
  readonly agopPrecision: 'float64' | 'mixed';
  readonly seconds: PhaseTimings;
}

/** A Gram heat map: `point` `'input'` is X_1, `'out'` is Φ_l(M_l^{1/2} X_l) of `layer`. */
export interface DeepRfmGram extends GramSample {
  readonly layer: number;
  readonly point: 'input' | 'out';
}

/** The result of a Deep RFM run; a plain JSON-serialisable object. */
export interface DeepRfmResult {
  readonly kind: 'deep-rfm';
  readonly config: Record<string, unknown>;
  readonly data: { nTrain: number; nTest: number; dim: number; numClasses: number };
  readonly conventions: Record<string, string>;
  readonly layers: DeepRfmLayer[];
  /**
   * Fitted per-layer contraction factor q of the Gram error (e_l ≈ C·q^l, log-linear least squares over
   * the layers, `fitExponentialRate`) and the fit's R²; null with fewer than two positive errors.
   */
  readonly gramErrorRate: number | null;
  readonly gramErrorR2: number | null;
  /** The final regression on normalised X_{L+1}. */
  readonly final: { trainAcc: number; testAcc: number | null; nc1: number; nc2: number; ridgeUsed: number };
  readonly grams: DeepRfmGram[];
  /**
   * Wall-clock seconds: the whole run, per phase summed over layers, and the final regression (its
   * kernel, solve and predictions, after the last layer; not part of `perPhase`).
   */
  readonly timings: { totalSeconds: number; perPhase: PhaseTimings; finalSeconds: number; resumedFromLayer: number };
  /**
   * How the run fitted in memory: the requested precision, the solve route chosen for its size and
   * why, the budget (null: none), and the process's peak resident memory (`process.resourceUsage().maxRSS`,
   * bytes; null outside Node). With the mixed or CG route the kernel build is timed in `solve`.
   */
  readonly resources: { precision: LayerPrecision; route: LayerSolver; routeReason: string; memoryBudgetBytes: number | null; peakRssBytes: number | null };
  readonly engine: { linalg: { path: string; library: string; reason?: string }; node: string };
}

const EMPTY_TIMINGS = (): PhaseTimings => ({ kernel: 0, solve: 0, predict: 0, agop: 0, sqrt: 0, features: 0, metrics: 0 });

interface Resolved {
  depth: number;
  kernel: ResolvedKernel;
  ridge: number;
  featureMap: FeatureMapKind;
  width: number;
  featureBias: boolean;
  rffKernel: 'laplace' | 'gaussian';
  rffBandwidth: number;
  normalize: NormalizeMode;
  seed: number;
  sqrt: 'eigh' | 'cholesky';
  agopSamples?: number;
  agopCentered: boolean;
  agopPrecision: 'float64' | 'mixed';
  gramSamples: number;
  precision: LayerPrecision;
  memoryBudget: number;
  testMetrics: boolean;
  fisher: boolean;
  linalg?: LinalgRequest;
}

function resolveOptions(o: DeepRfmOptions): Resolved {
  if (o == null || typeof o !== 'object') throw new InvalidArgumentError('options', 'an options object', o);
  assertInteger('depth', o.depth, 1);
  assertInteger('width', o.width, 1);
  const spec: KernelSpec = typeof o.kernel === 'string' ? { kind: o.kernel } : o.kernel;
  const kernel = resolveKernel(o.bandwidth !== undefined ? { ...spec, bandwidth: o.bandwidth } : spec);
  const ridge = o.ridge ?? 0;
  if (typeof ridge !== 'number' || !Number.isFinite(ridge) || ridge < 0) throw new InvalidArgumentError('ridge', 'a non-negative finite number', ridge);
  const featureMap = o.featureMap ?? 'relu';
  if (!(FEATURE_MAP_KINDS as readonly string[]).includes(featureMap)) throw new InvalidArgumentError('featureMap', "'relu', 'rff' or 'linear'", featureMap);
  const normalize = o.normalize ?? 'unit';
  checkNormalize(normalize);
  const sqrt = o.sqrt ?? 'eigh';
  if (sqrt !== 'eigh' && sqrt !== 'cholesky') throw new InvalidArgumentError('sqrt', "'eigh' or 'cholesky'", sqrt);
  const seed = o.seed ?? 0;
  if (!Number.isFinite(seed)) throw new InvalidArgumentError('seed', 'a finite number', seed);
  if (o.agopSamples !== undefined) assertInteger('agopSamples', o.agopSamples, 1);
  if (o.linalg !== undefined) getLinalgInfo(o.linalg); // InvalidArgumentError('linalg') for an unknown or unloadable path
  const agopPrecision = resolvePrecision('agopPrecision', o.agopPrecision, o.linalg);
  const precision = o.precision ?? 'auto';
  if (!(LAYER_PRECISIONS as readonly string[]).includes(precision)) throw new InvalidArgumentError('precision', "'auto', 'float64', 'refined' or 'mixed'", precision);
  const memoryBudget = o.memoryBudget ?? Infinity;
  if (!(memoryBudget > 0)) throw new InvalidArgumentError('memoryBudget', 'a positive number of bytes', memoryBudget);
  const gramSamples = o.gramSamples ?? 200;
  assertInteger('gramSamples', gramSamples, 0);
  const rffKernel = o.rffKernel ?? (kernel.kind === 'gaussian' ? 'gaussian' : 'laplace');
  const rffBandwidth = o.rffBandwidth ?? kernel.bandwidth;
  if (!(rffBandwidth > 0) || !Number.isFinite(rffBandwidth)) throw new InvalidArgumentError('rffBandwidth', 'a positive finite number', rffBandwidth);
  return {
    depth: o.depth,
    kernel,
    ridge,
    featureMap,
    width: o.width,
    featureBias: o.featureBias ?? false,
    rffKernel,
    rffBandwidth,
    normalize,
    seed,
    sqrt,
    agopSamples: o.agopSamples,
    agopCentered: o.agopCentered ?? false,
    agopPrecision,
    gramSamples,
    precision,
    memoryBudget,
    testMetrics: o.testMetrics ?? true,
    fisher: o.fisher ?? false,
    linalg: o.linalg,
  };
}

function checkData(name: string, data: LabelledData, numClasses?: number, dim?: number): { x: Matrix; labels: Int32Array; numClasses: number } {
  if (data == null || data.x == null) throw new InvalidArgumentError(name, 'labelled data {x, labels}', data);
  const x = data.x;
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.data == null || x.data.length !== x.rows * x.cols || x.rows < 1 || x.cols < 1) {
    throw new InvalidArgumentError(`${name}.x`, 'a non-empty matrix {rows, cols, data} with data.length = rows·cols', x == null ? x : `[${x.rows}, ${x.cols}]`);
  }
  if (dim !== undefined && x.cols !== dim) throw new InvalidArgumentError(`${name}.x`, `a matrix with ${dim} columns (as the training data)`, `[${x.rows}, ${x.cols}]`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) throw new InvalidArgumentError(`${name}.x`, 'finite (no NaN or Inf)', x.data[i], `first at row ${Math.floor(i / x.cols)}, column ${i % x.cols}`);
  }
  if (data.labels == null) throw new InvalidArgumentError(`${name}.labels`, `${x.rows} labels`, data.labels);
  if (data.labels.length !== x.rows) throw new InvalidArgumentError(`${name}.labels`, `of length ${x.rows} (one label per row of ${name}.x)`, data.labels.length);
  const v = validateLabels(`${name}.labels`, data.labels, x.rows, numClasses);
  return { x: { rows: x.rows, cols: x.cols, data: x.data instanceof Float64Array ? x.data : new Float64Array(x.data) }, labels: v.labels, numClasses: v.numClasses };
}

/** Peak resident memory of the process in bytes (`process.resourceUsage().maxRSS` is in KiB), null outside Node. */
function peakRss(): number | null {
  const usage = (globalThis as { process?: { resourceUsage?: () => { maxRSS: number } } }).process?.resourceUsage?.();
  return usage ? usage.maxRSS * 1024 : null;
}

function now(): number {
  return performance.now() / 1000;
}

/** M^{1/2} as `'eigh'` (exact) or a Cholesky factor L of M + εI (rows map x ↦ xᵀL). */
function sqrtFactor(m: Matrix, method: 'eigh' | 'cholesky', linalg?: LinalgRequest): Matrix {
  if (method === 'eigh') return psdSqrt(m, { linalg });
  const d = m.rows;
  let trace = 0;
  for (let i = 0; i < d; i++) trace += m.data[i * d + i];
  for (let e = -12; e <= -2; e++) {
    const jitter = (trace / d) * 10 ** e;
    const a = { rows: d, cols: d, data: new Float64Array(m.data) };
    for (let i = 0; i < d; i++) a.data[i * d + i] += jitter;
    try {
      return cholesky(a, { linalg });
    } catch (err) {
      if (!(err instanceof NclabError)) throw err;
    }
  }
  return psdSqrt(m, { linalg });
}

/** The layer's kernel solve on the run's route (float64 route: the kernel is returned for the AGOP to consume in place). */
function fitLayer(xn: Matrix, y: Matrix, r: Resolved, route: LayerSolver, ws: Workspace, sec: PhaseTimings): LayerSolveResult {
  const t = now();
  if ((route === 'mixed' || route === 'refined') && !ws.k32) ws.k32 = factorWorkspace(xn.rows, { linalg: r.linalg });
  const solved = solveLayer(xn, y, r.kernel, r.ridge, route, { linalg: r.linalg, budget: r.memoryBudget, workspace: ws.k32 });
  const kernelSeconds = solved.kernelSeconds ?? 0;
  sec.kernel += kernelSeconds;
  sec.solve += now() - t - kernelSeconds;
  return solved;
}

/** Buffers a run reuses across its layers. */
interface Workspace {
  k32?: Float32Array;
}

/** Rows of the test kernel K(Z, X) per block: about 128 MiB of float64. */
function predictBlocked(z: Matrix, x: Matrix, alpha: Matrix, r: Resolved): Matrix {
  const K = alpha.cols;
  const out = new Float64Array(z.rows * K);
  const B = Math.max(1, Math.min(z.rows, Math.floor(2 ** 27 / (8 * x.rows))));
  for (let i0 = 0; i0 < z.rows; i0 += B) {
    const i1 = Math.min(z.rows, i0 + B);
    const block: Matrix = { rows: i1 - i0, cols: z.cols, data: z.data.subarray(i0 * z.cols, i1 * z.cols) };
    gemm(kernelMatrix(block, x, { kernel: r.kernel, linalg: r.linalg }), alpha, { out: out.subarray(i0 * K, i1 * K), linalg: r.linalg });
  }
  return { rows: z.rows, cols: K, data: out };
}

/** The AGOP of the layer's predictor by the cheaper route for its shape and memory (see `DeepRfmLayer.agopMethod`). */
function layerAgop(model: KernelModel, solved: LayerSolveResult, r: Resolved, l: number): { agop: Matrix; method: string; precision: 'float64' | 'mixed' } {
  const n = model.centers.rows;
  const K = model.alpha.cols;
  const d = model.centers.cols;
  const plain = isRadialKernel(model.kernel) && r.agopSamples === undefined && !r.agopCentered;
  const flops = agopFlops(n, K, d);
  // the Gram form needs the float64 kernel (float64 route) and must be the cheaper one; else the blocked gradient form
  if (plain && (solved.k === undefined || flops.gradient < flops.gram)) {
    const res = kernelAgopBlocked(model, { normalize: 'max', precision: r.agopPrecision, linalg: r.linalg });
    return { agop: res.agop, method: res.method, precision: res.precision };
  }
  const res = kernelAgop(model, {
    normalize: 'max', sampleSize: r.agopSamples, seed: r.seed + l, centered: r.agopCentered, precision: r.agopPrecision, kernelMatrix: solved.k, linalg: r.linalg,
    ...(solved.k === undefined ? { method: 'direct' as const } : {}),
  });
  return { agop: res.agop as Matrix, method: res.method, precision: res.precision };
}

function layerRng(seed: number, layer: number) {
  const root = createRng(seed);
  let r = root.fork();
  for (let l = 1; l < layer; l++) r = root.fork();
  return r;
}

/** Canonical configuration (what a checkpoint must match). */
function configOf(r: Resolved, nTrain: number, nTest: number, dim: number): Record<string, unknown> {
  return {
    depth: r.depth,
    kernel: r.kernel.kind,
    bandwidth: r.kernel.bandwidth,
    exponent: r.kernel.exponent,
    ntkDepth: r.kernel.kind === 'ntk' ? r.kernel.depth : undefined,
    ridge: r.ridge,
    featureMap: r.featureMap,
    width: r.width,
    featureBias: r.featureBias,
    rffKernel: r.featureMap === 'rff' ? r.rffKernel : undefined,
    rffBandwidth: r.featureMap === 'rff' ? r.rffBandwidth : undefined,
    normalize: r.normalize,
    seed: r.seed,
    sqrt: r.sqrt,
    agopSamples: r.agopSamples ?? null,
    agopCentered: r.agopCentered,
    agopPrecision: r.agopPrecision,
    agopNormalization: 'max',
    gramSamples: r.gramSamples,
    precision: r.precision,
    nTrain: nTrain,
    nTest: nTest,
    dim,
  };
}

/** The test-set fields of a row from the metrics at the three points (all null without them). */
function testFields(tIn: CollapseMetrics | null, tAgop: CollapseMetrics | null, tOut: CollapseMetrics | null) {
  return {
    nc1TestIn: tIn?.nc1 ?? null,
    nc1TestAgop: tAgop?.nc1 ?? null,
    nc1TestOut: tOut?.nc1 ?? null,
    nc1PinvTestIn: tIn?.nc1Pinv ?? null,
    nc1PinvTestAgop: tAgop?.nc1Pinv ?? null,
    nc1PinvTestOut: tOut?.nc1Pinv ?? null,
    nc1FisherTestIn: tIn?.nc1Fisher ?? null,
    nc1FisherTestAgop: tAgop?.nc1Fisher ?? null,
    nc1FisherTestOut: tOut?.nc1Fisher ?? null,
    nc2TestIn: tIn?.nc2 ?? null,
    nc2TestAgop: tAgop?.nc2 ?? null,
    nc2TestOut: tOut?.nc2 ?? null,
  };
}

/** The exponential-rate fit of the rows' Gram errors; null with fewer than two positive finite errors. */
function gramRate(layers: readonly DeepRfmLayer[]): { rate: number; r2: number } | null {
  const rows = layers.filter((l) => Number.isFinite(l.gramError) && l.gramError > 0);
  if (rows.length < 2) return null;
  const fit = fitExponentialRate(rows.map((l) => l.gramError), rows.map((l) => l.layer));
  return { rate: fit.rate, r2: fit.r2 };
}

/**
 * Runs Deep RFM (Algorithm 1): for l = 1…L, normalise the samples, fit kernel ridge(less) regression
 * α_l = Y(k(X_l, X_l) + μI)^{-1} with ±1 one-hot Y, take the AGOP M_l of f_l at the training points
 * (normalised by its largest entry), and map X_{l+1} = Φ_l(M_l^{1/2} X_l); finally normalise X_{L+1}
 * and solve the last regression. Records NC1/NC2 at X_l, M_l^{1/2}X_l and Φ_l(M_l^{1/2}X_l), the
 * accuracy of every f_l, and Gram heat maps.
 *
 * ```math
 * X_{l+1} = \Phi_l\big(M_l^{1/2} X_l\big), \qquad M_l = \mathrm{AGOP}(f_l, X_l)/\max, \qquad \Phi_l(z) = \sigma(W_l z + b_l)
 * ```
 *
 * @param train - training data `{x: [N, d], labels: [N]}` (K ≥ 2 classes).
 * @param test - optional test data with the same d.
 * @param options - depth, kernel, bandwidth, ridge, width, feature map, seed, linear-algebra path, resume state, per-layer hooks.
 * @returns the {@link DeepRfmResult} (plain object).
 * @throws {InvalidArgumentError} for depth < 1, width < 1, a non-positive bandwidth, a negative ridge,
 *   NaN data, labels that do not match the rows, fewer than 2 classes, or a `resume` state of another configuration.
 * @throws {NumericalError} when even the largest fallback ridge cannot stabilise a solve.
 * @example
 * const result = await deepRfm({ x, labels }, { x: xt, labels: lt }, {
 *   depth: 8, kernel: 'laplace', bandwidth: 2, ridge: 1e-3, width: 1024, featureMap: 'relu', seed: 0,
 * });
 * result.layers.map((r) => r.nc1In); // falls with depth
 * @see Beaglehole, Súkeník, Mondelli, Belkin (2024), "Average gradient outer product as a mechanism for deep neural collapse".
 */
export async function deepRfm(train: LabelledData, test: LabelledData | undefined, options: DeepRfmOptions): Promise<DeepRfmResult> {
  const t0 = now();
  const r = resolveOptions(options);
  const linalg = r.linalg;
  const tr = checkData('train', train);
  if (tr.numClasses < 2) throw new InvalidArgumentError('train.labels', 'at least 2 classes', tr.numClasses);
  const te = test ? checkData('test', test, undefined, tr.x.cols) : undefined;
  const K = Math.max(tr.numClasses, te?.numClasses ?? 0);
  if (te) for (let i = 0; i < te.labels.length; i++) if (te.labels[i] >= tr.numClasses) throw new InvalidArgumentError('test.labels', `integers in [0, ${tr.numClasses}) (the training classes)`, te.labels[i], `at index ${i}`);
  const y = oneHot(tr.labels, K);
  const config = configOf(r, tr.x.rows, te?.x.rows ?? 0, tr.x.cols);
  const gramIdx = gramIndices(tr.labels, K, r.gramSamples);
  const maxDim = Math.max(tr.x.cols, r.width);
  const { route, reason: routeReason } = chooseLayerRoute(tr.x.rows, K, maxDim, r.precision, r.memoryBudget, r.ridge, refinedFromN(getLinalgInfo(linalg).path));
  const ws: Workspace = {};

  let layers: DeepRfmLayer[] = [];
  let grams: DeepRfmGram[] = [];
  let x = tr.x;
  let xt = te?.x;
  let start = 1;
  const total = EMPTY_TIMINGS();
  const resumeConfig = { ...config, depth: undefined };
  if (options.resume) {
    const ck = options.resume;
    const differing = Object.keys({ ...ck.config, ...resumeConfig }).filter((k) => JSON.stringify(ck.config[k]) !== JSON.stringify((resumeConfig as Record<string, unknown>)[k]));
    if (differing.length) throw new InvalidArgumentError('resume', 'the state of a run with the same configuration', differing.join(', '), 'these options differ');
    if (ck.completed > r.depth) throw new InvalidArgumentError('resume', `a state with at most depth = ${r.depth} finished layers`, ck.completed);
    if (ck.train.rows !== tr.x.rows || (ck.test?.rows ?? 0) !== (te?.x.rows ?? 0)) throw new InvalidArgumentError('resume', `features of ${tr.x.rows} training and ${te?.x.rows ?? 0} test rows`, `${ck.train.rows} and ${ck.test?.rows ?? 0}`);
    layers = [...ck.layers];
    grams = [...ck.grams];
    x = ck.train;
    xt = ck.test;
    start = ck.completed + 1;
    for (const row of layers) for (const k of Object.keys(total) as (keyof PhaseTimings)[]) total[k] += row.seconds[k];
    options.onProgress?.({ type: 'resume', layer: ck.completed, depth: r.depth, elapsedSeconds: now() - t0 });
  }
  // the first layer's normalised input, which the input Gram reads too: normalised once
  const firstXn = start === 1 && gramIdx.length > 0 ? normalizeRows(x, r.normalize, gramFactor(x), linalg) : undefined;
  if (firstXn) grams.push({ layer: 0, point: 'input', ...centredGram(firstXn, tr.labels, K, gramIdx, linalg) });

  for (let l = start; l <= r.depth; l++) {
    const sec = EMPTY_TIMINGS();
    const factor = gramFactor(x);
    const xn = l === start && firstXn ? firstXn : normalizeRows(x, r.normalize, factor, linalg);
    const xtn = xt ? normalizeRows(xt, r.normalize, factor, linalg) : undefined;
    let solved: LayerSolveResult = fitLayer(xn, y, r, route, ws, sec);
    options.onProgress?.({ type: 'phase', phase: 'solve', layer: l, depth: r.depth, elapsedSeconds: now() - t0, seconds: sec.kernel + sec.solve, detail: solveDetail(solved) });
    let t = now();
    const model: KernelModel = { kernel: r.kernel, centers: xn, alpha: solved.alpha, ridge: r.ridge, ridgeUsed: solved.ridgeUsed, fallback: solved.fallback };
    // training predictions from the normal equations: K α = Y − μ α
    const fTrain: Matrix = { rows: y.rows, cols: K, data: y.data.map((v, i) => v - solved.ridgeUsed * solved.alpha.data[i]) };
    const trainAcc = accuracy(fTrain, tr.labels);
    const testAcc = xtn && te ? accuracy(predictBlocked(xtn, xn, solved.alpha, r), te.labels) : null;
    sec.predict += now() - t;
    t = now();
    const { agop, method: agopMethod, precision: agopPrecision } = layerAgop(model, solved, r, l);
    solved = { ...solved, k: undefined }; // release the consumed N×N buffer
    sec.agop += now() - t;
    options.onProgress?.({ type: 'phase', phase: 'agop', layer: l, depth: r.depth, elapsedSeconds: now() - t0, seconds: sec.agop, detail: `${agopMethod}, ${agopPrecision}` });
    t = now();
    const root = sqrtFactor(agop as Matrix, r.sqrt, linalg);
    const z = gemm(xn, root, { linalg });
    const zt = xtn ? gemm(xtn, root, { linalg }) : undefined;
    sec.sqrt += now() - t;
    t = now();
    const map = sampleFeatureMap(xn.cols, { kind: r.featureMap, width: r.width, bias: r.featureBias, rffKernel: r.rffKernel, rffBandwidth: r.rffBandwidth }, layerRng(r.seed, l));
    const next = applyFeatureMap(map, z, linalg);
    const nextT = zt ? applyFeatureMap(map, zt, linalg) : undefined;
    sec.features += now() - t;
    t = now();
    const mIn = collapseMetrics(xn, tr.labels, K, linalg, r.fisher);
    const mAgop = collapseMetrics(z, tr.labels, K, linalg, r.fisher);
    const mOut = collapseMetrics(next, tr.labels, K, linalg, r.fisher);
    const testRows = r.testMetrics && te && xtn && zt && nextT && hasEveryClass(te.labels, K);
    const tIn = testRows ? collapseMetrics(xtn, te.labels, K, linalg, r.fisher) : null;
    const tAgop = testRows ? collapseMetrics(zt, te.labels, K, linalg, r.fisher) : null;
    const tOut = testRows ? collapseMetrics(nextT, te.labels, K, linalg, r.fisher) : null;
    const gram = gramError(next, tr.labels, { normalize: true, linalg });
    let gramDev = NaN;
    if (gramIdx.length > 0) {
      const g = centredGram(next, tr.labels, K, gramIdx, linalg);
      gramDev = g.etfDeviation;
      grams.push({ layer: l, point: 'out', ...g });
    }
    sec.metrics += now() - t;
    const row: DeepRfmLayer = {
      layer: l,
      nc1In: mIn.nc1,
      nc1Agop: mAgop.nc1,
      nc1Out: mOut.nc1,
      nc1PinvIn: mIn.nc1Pinv,
      nc1PinvAgop: mAgop.nc1Pinv,
      nc1PinvOut: mOut.nc1Pinv,
      nc1FisherIn: mIn.nc1Fisher,
      nc1FisherAgop: mAgop.nc1Fisher,
      nc1FisherOut: mOut.nc1Fisher,
      nc1FisherRankIn: mIn.nc1FisherRank,
      nc1FisherRankAgop: mAgop.nc1FisherRank,
      nc1FisherRankOut: mOut.nc1FisherRank,
      nc2In: mIn.nc2,
      nc2Agop: mAgop.nc2,
      nc2Out: mOut.nc2,
      ...testFields(tIn, tAgop, tOut),
      gramError: gram.gramError,
      relativeGramError: gram.relativeGramError,
      trainAcc: trainAcc,
      testAcc: testAcc,
      ridgeUsed: solved.ridgeUsed,
      ...(solved.fallback ? { ridgeFallback: { reason: solved.fallback.reason, ridgeAdded: solved.fallback.ridgeAdded } } : {}),
      gramEtfDevOut: gramDev,
      dim: xn.cols,
      solver: solved.solver,
      solverIterations: solved.iterations,
      solverResidual: solved.residual,
      ...(solved.solverFallback ? { solverFallback: solved.solverFallback } : {}),
      agopMethod,
      agopPrecision,
      seconds: sec,
    };
    layers.push(row);
    for (const key of Object.keys(total) as (keyof PhaseTimings)[]) total[key] += sec[key];
    x = next;
    xt = nextT;
    if (options.onLayer) await options.onLayer({ config: resumeConfig, completed: l, layers: [...layers], grams: [...grams], train: x as Matrix, test: xt as Matrix | undefined });
    options.onProgress?.({ type: 'layer', layer: l, depth: r.depth, elapsedSeconds: now() - t0, row });
    await new Promise((res) => setTimeout(res, 0));
  }

  // final normalisation and regression
  const tFinal = now();
  const factor = gramFactor(x);
  const xn = normalizeRows(x, r.normalize, factor, linalg);
  const solved = solveFinal(xn, y, r.kernel, r.ridge, route, { linalg, budget: r.memoryBudget, workspace: ws.k32 });
  ws.k32 = undefined;
  options.onProgress?.({ type: 'phase', phase: 'final-solve', layer: r.depth, depth: r.depth, elapsedSeconds: now() - t0, seconds: now() - tFinal, detail: solved.detail });
  const fTrain: Matrix = { rows: y.rows, cols: K, data: y.data.map((v, i) => v - solved.ridgeUsed * solved.alpha.data[i]) };
  const finalTest = xt && te ? accuracy(predictBlocked(normalizeRows(xt, r.normalize, factor, linalg), xn, solved.alpha, r), te.labels) : null;
  const finalSeconds = now() - tFinal;
  const mFinal = collapseMetrics(xn, tr.labels, K, linalg, r.fisher);
  const info = getLinalgInfo(linalg);
  const rate = gramRate(layers);
  return {
    kind: 'deep-rfm',
    config,
    data: { nTrain: tr.x.rows, nTest: te?.x.rows ?? 0, dim: tr.x.cols, numClasses: K },
    conventions: {
      nc1: 'tr(Σ_W)/tr(Σ_B); Σ_W = (1/N)Σ_c Σ_i (x−μ_c)(x−μ_c)ᵀ, Σ_B = (1/K)Σ_c (μ_c−μ_G)(μ_c−μ_G)ᵀ, μ_G = mean of class means',
      nc1Pinv: 'tr(Σ_W Σ_B^†)/K over the top K−1 eigenpairs of Σ_B',
      nc2: '‖H̄H̄ᵀ − Σ_ETF‖_F, H̄ rows = unit-normalised centred class means, Σ_ETF = (1+1/(K−1))I − 11ᵀ/(K−1)',
      points: 'in = X_l after the per-layer normalisation; agop = M_l^{1/2} X_l (or X_l L for sqrt: cholesky); out = Φ_l(M_l^{1/2} X_l)',
      targets: '±1 one-hot (+1 for the class, −1 elsewhere)',
      agop: 'mean over training points of Σ_c ∇f_c ∇f_cᵀ (self-pairs masked), divided by its largest entry',
      nc1Fisher: 'tr(Σ_W⁺ Σ_B), Σ_W pseudo-inverted keeping singular values > max(N, d)·ε·σ_max (rank in nc1_fisher_rank_*); larger = more separated',
      test: 'nc1_test_* etc.: the same metrics of the test data mapped by the same layers (normalised with the training factor)',
      gramError: '‖X̃ᵀX̃ − yyᵀ‖_F of Φ_l(M_l^{1/2} X_l) with unit-norm rows (Theorem 4.3), relative: over √(Σ_c n_c²); gram_error_rate = e^slope of ln e_l vs l',
      gram: 'cosines of features centred by the global training mean, class-balanced subsample sorted by class, rounded to 1e-4; gram_etf_dev_out = RMS of (G − G_ETF) off the diagonal',
      accuracy: 'argmax of the layer predictor f_l on X_l (train) and on the test data mapped by the same layers',
    },
    layers,
    gramErrorRate: rate?.rate ?? null,
    gramErrorR2: rate?.r2 ?? null,
    final: { trainAcc: accuracy(fTrain, tr.labels), testAcc: finalTest, nc1: mFinal.nc1, nc2: mFinal.nc2, ridgeUsed: solved.ridgeUsed },
    grams,
    timings: { totalSeconds: now() - t0, perPhase: total, finalSeconds, resumedFromLayer: start - 1 },
    resources: {
      precision: r.precision,
      route,
      routeReason,
      memoryBudgetBytes: Number.isFinite(r.memoryBudget) ? r.memoryBudget : null,
      peakRssBytes: peakRss(),
    },
    engine: { linalg: { path: info.path, library: info.library, reason: info.reason }, node: globalThis.process?.version ?? null },
  };
}
