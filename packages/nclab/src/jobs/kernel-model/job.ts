/**
 * The kernel-model job: the unconstrained kernel model of Beaglehole et al. (2024), Theorem 4.4
 * (`solveKernelModel`), and optionally the Mahalanobis realisation of its collapsed Gram
 * (`realizeCollapsedGram`) → the comparison report.
 */
import { InvalidArgumentError, createRng, type Matrix } from '@nclab/backend';
import type { KernelModelOptions, KernelModelResult, RealizableKernel } from '@nclab/ufm';
import { formatTextTable } from '../../report/table.js';
import { writeRunReport } from '../../report/write.js';
import { SILENT_ENV, defineJob, secondsSince, type JobEnv, type JobRun } from '../job.js';
import { KERNEL_MODEL_SPEC } from './flags.js';
import { kernelModelReport } from './report.js';

/** The realizability side of the job: a kernel family, its bandwidth, the scales and the data dimension. */
export interface RealizeJobOptions {
  readonly kernel: RealizableKernel;
  /** Bandwidth L > 0. Default 1. */
  readonly bandwidth?: number;
  /** Scales s of the construction. Default [1, 2, 4, 8]. */
  readonly scales?: readonly number[];
  /** Dimension of the seeded Gaussian data X `[K·n, d]`. Default K·n (XXᵀ invertible needs d ≥ K·n). */
  readonly d?: number;
}

/** Options of the kernel-model job: `solveKernelModel`'s plus the optional realisation. */
export interface KernelModelJobOptions extends KernelModelOptions {
  readonly realize?: RealizeJobOptions;
}

/** One scale of the realisation (without the `[d, d]` metric). */
export interface RealizedScaleRow {
  readonly scale: number;
  /** Achieved relative Frobenius distance of k_{M_s}(X, X) to the collapsed Gram. */
  readonly gramError: number;
  /** Its closed form √(K−1)·κ(s) (balanced classes). */
  readonly theoryGramError: number;
}

/** Result of the kernel-model job (camelCase; `result.json` spells it in snake_case). */
export interface KernelModelJobResult {
  readonly K: number;
  readonly n: number;
  readonly ridge: number;
  readonly objective: number;
  readonly theoryObjective: number;
  /** objective − theory_objective (≤ 0 up to rounding: the closed form is the maximum). */
  readonly objectiveGap: number;
  readonly gramError: number;
  readonly converged: boolean;
  readonly steps: number;
  readonly gradNorm: number;
  readonly starts: KernelModelResult['starts'];
  readonly best: number;
  /** The best start's kernel matrix `[K·n, K·n]`. */
  readonly gram: Matrix;
  readonly realize: { kernel: RealizableKernel; bandwidth: number; d: number; scales: RealizedScaleRow[] } | null;
}

/** Seeded standard Gaussian data `[N, d]` and labels in class blocks (n per class). */
function gaussianData(K: number, n: number, d: number, seed: number): { x: Matrix; labels: Int32Array } {
  const rng = createRng(seed);
  const N = K * n;
  const data = new Float64Array(N * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { x: { rows: N, cols: d, data }, labels: Int32Array.from({ length: N }, (_, i) => Math.floor(i / n)) };
}

/**
 * Runs the kernel-model job.
 *
 * @param options - K, n, ridge μ, starts and stopping rule; `realize` for the Mahalanobis construction.
 * @param env - progress, command line and engine (default: silent).
 * @returns the numerical optimum vs n/(n + μ), the Gram error, convergence, the realisation table and the report.
 * @throws {InvalidArgumentError} for K < 2, n < 1, μ ≤ 0, bad solver settings, d < K·n or bad scales.
 * @example
 * const run = await runKernelModel({ K: 3, n: 4, ridge: 0.5, realize: { kernel: 'laplace', scales: [1, 4, 16] } });
 * run.result.objective; // ≈ 0.888889 = 4/4.5 = run.result.theoryObjective
 */
export async function runKernelModel(options: KernelModelJobOptions, env: JobEnv = SILENT_ENV): Promise<JobRun<KernelModelJobResult>> {
  const { realizeCollapsedGram, solveKernelModel } = await import('@nclab/ufm');
  const { realize, ...model } = options;
  const progress = env.progress('kernel-model', realize ? 2 : 1);
  const t0 = performance.now();
  const r = solveKernelModel(model);
  progress.update(1, `objective ${r.objective.toPrecision(8)} vs n/(n+μ) = ${r.theoryObjective.toPrecision(8)}`);
  let realized: KernelModelJobResult['realize'] = null;
  if (realize) {
    const N = options.K * options.n;
    const d = realize.d ?? N;
    if (!Number.isInteger(d) || d < N) throw new InvalidArgumentError('d', `an integer ≥ K·n = ${N} (XXᵀ must be invertible)`, d);
    const bandwidth = realize.bandwidth ?? 1;
    const { x, labels } = gaussianData(options.K, options.n, d, options.seed ?? 0);
    const rows = realizeCollapsedGram(x, labels, { kernel: realize.kernel, bandwidth, scales: realize.scales ?? [1, 2, 4, 8] });
    realized = { kernel: realize.kernel, bandwidth, d, scales: rows.map((s) => ({ scale: s.scale, gramError: s.gramError, theoryGramError: s.theoryGramError })) };
    progress.update(2, `realised with ${realize.kernel} at ${rows.length} scales`);
  }
  progress.done();
  const result: KernelModelJobResult = {
    K: options.K,
    n: options.n,
    ridge: options.ridge,
    objective: r.objective,
    theoryObjective: r.theoryObjective,
    objectiveGap: r.objective - r.theoryObjective,
    gramError: r.gramError,
    converged: r.converged,
    steps: r.steps,
    gradNorm: r.gradNorm,
    starts: r.starts,
    best: r.best,
    gram: r.gram,
    realize: realized,
  };
  const report = kernelModelReport(result, { command: env.command, engine: env.engine, seconds: secondsSince(t0) });
  return { result, report, text: report.tables.map((t) => `${formatTextTable(t)}\n`).join(''), writeReport: (dir, o) => writeRunReport(dir, report, o) };
}

/** The kernel-model job: flags, flags → options, run. */
export const kernelModelJob = defineJob({
  spec: KERNEL_MODEL_SPEC,
  fromFlags: (v): KernelModelJobOptions => ({
    K: v.K,
    n: v.n,
    ridge: v.ridge,
    restarts: v.restarts,
    maxSteps: v.steps,
    gradTol: v.gradTol,
    seed: v.seed,
    realize: v.realize ? { kernel: v.realize, bandwidth: v.bandwidth, scales: v.scales, d: v.d } : undefined,
  }),
  run: runKernelModel,
  usesTfjs: false,
});
