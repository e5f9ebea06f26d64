/**
 * The report of the unconstrained kernel model (`nclab kernel-model`): the numerical optimum vs
 * Theorem 4.4's closed form, every start, and the realisation table.
 */
import { toJsonKeys } from '../json-keys.js';
import { lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';
import type { KernelModelJobResult } from './job.js';

/** Options of {@link kernelModelReport}. */
export interface KernelModelReportOptions {
  command?: string;
  engine?: Record<string, unknown>;
  /** Seconds spent. */
  seconds?: number;
}

/**
 * Builds the report of a kernel-model run. `result.json` holds `objective`, `theory_objective`,
 * `objective_gap`, `gram_error`, `converged`, `steps`, `grad_norm`, `starts`, `best` and `realize`
 * (null without `--realize`); the `[K·n, K·n]` Gram itself is left out.
 *
 * @param result - the job's result.
 * @param options - command line, engine, timing.
 * @returns a {@link RunReport} with a summary table, the starts, and (with a realisation) its table and plot.
 */
export function kernelModelReport(result: KernelModelJobResult, options: KernelModelReportOptions = {}): RunReport {
  const { gram: _gram, ...rest } = result;
  const json = toJsonKeys(rest) as Record<string, unknown>;
  const summary = ['objective', 'theory_objective', 'objective_gap', 'gram_error', 'converged', 'steps', 'grad_norm'].map((k) => ({ quantity: k, value: json[k] }));
  const tables: RunReport['tables'] = [
    { title: 'Numerical optimum vs Theorem 4.4 (n/(n + μ), Gram I_K ⊗ 11ᵀ)', columns: ['quantity', 'value'], rows: summary },
    { title: 'Starts', rows: (json.starts as Record<string, unknown>[]).map((s, i) => ({ start: i, ...s, best: i === result.best })) },
  ];
  const plots: RunReport['plots'] = [];
  if (result.realize) {
    const z = result.realize;
    tables.push({
      title: `Realisation with a Mahalanobis ${z.kernel} kernel (L = ${z.bandwidth}, X [${result.K * result.n}, ${z.d}])`,
      rows: z.scales.map((s) => ({ scale: s.scale, gram_error: s.gramError, theory_gram_error: s.theoryGramError })),
    });
    const pts: CurvePoint[] = z.scales.flatMap((s) => [
      { x: s.scale, y: s.gramError, series: 'achieved' },
      { x: s.scale, y: s.theoryGramError, series: 'closed form √(K−1)·κ(s)' },
    ]);
    plots.push({
      name: 'realize',
      title: 'Realisability of the collapsed Gram',
      caption: 'Relative Frobenius distance of k_M(X, X) to I_K ⊗ 11ᵀ as the construction scale s grows (log scale).',
      spec: lineChartSpec(pts, { title: 'Gram error of the Mahalanobis realisation', xTitle: 'scale s', yTitle: 'relative Gram error (log scale)', logY: true }),
    });
  }
  return {
    kind: 'kernel-model',
    title: `Unconstrained kernel model (K = ${result.K}, n = ${result.n}, μ = ${result.ridge})`,
    command: options.command,
    config: { K: result.K, n: result.n, ridge: result.ridge, realize: result.realize ? { kernel: result.realize.kernel, bandwidth: result.realize.bandwidth, d: result.realize.d } : null },
    engine: options.engine,
    timings: options.seconds === undefined ? {} : { total: options.seconds },
    result: json,
    tables,
    plots,
  };
}
