/**
 * The report of `nclab probe cnn`: sub-layer NC1 per layer at the last checkpoint and over training,
 * NFA correlations, the loss, and the per-layer table with the verdict on the paper's claim.
 */
import type { ProbeCnnResult } from '@nclab/nn-probes';
import { lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';
import { toJsonKeys } from '../json-keys.js';
import { subLayerMetricTable } from '../probe-import/metric-dependence.js';

/**
 * Builds the run report: `result.json` holds the result with snake_case keys (`config` as is).
 * @param result - the value of `probeCnn`.
 * @param options - command line, engine.
 * @returns the report (plots `loss`, `nc1-sublayer`, `nc1-training`, `nfa`; tables per layer, by metric, summary).
 */
export function probeCnnReport(result: ProbeCnnResult, options: { command?: string; engine?: Record<string, unknown> } = {}): RunReport {
  const { config, ...rest } = result;
  const last = result.summary.finalEpoch;
  const fin = result.checkpoints.filter((c) => c.epoch === last).sort((a, b) => a.layer - b.layer);
  const name = (c: { layer: number; kind: string }): string => `${c.kind} ${c.layer}`;
  const loss: CurvePoint[] = result.history.flatMap((h) => [{ x: h.epoch, y: h.trainLoss, series: 'train loss' }, ...(h.testLoss !== undefined ? [{ x: h.epoch, y: h.testLoss, series: 'test loss' }] : [])]);
  const sub: CurvePoint[] = fin.flatMap((c) => [
    { x: c.layer, y: c.nc1Input, series: 'input (patches)' },
    { x: c.layer, y: c.nc1Right, series: 'after S Vᵀ' },
    { x: c.layer, y: c.nc1Output, series: 'after U and ReLU' },
  ]);
  const overTime: CurvePoint[] = result.checkpoints.flatMap((c) => [
    { x: c.epoch, y: c.nc1Right / c.nc1Input, series: `${name(c)}: S Vᵀ (right/input)` },
    { x: c.epoch, y: c.nc1Output / c.nc1Right, series: `${name(c)}: U+ReLU (output/right)` },
  ]);
  const nfa: CurvePoint[] = result.checkpoints.flatMap((c) => (c.nfaCorrSqrt !== null ? [{ x: c.epoch, y: c.nfaCorrSqrt, series: `${name(c)}: WᵀW vs AGOP^½` }] : []));
  const plots: RunReport['plots'] = [
    { name: 'loss', title: 'Training loss', caption: 'Loss on the whole training set after each epoch (log scale).', spec: lineChartSpec(loss, { title: 'Loss', xTitle: 'epoch', yTitle: 'loss (log scale)', logY: true, points: false }) },
    { name: 'nc1-sublayer', title: `Sub-layer NC1 at epoch ${last}`, caption: 'NC1 = tr Σ_W / tr Σ_B at the input patches (conv) or input (FC), after S Vᵀ and after U and ReLU, per layer.', spec: lineChartSpec(sub, { title: `Sub-layer NC1 (epoch ${last})`, xTitle: 'layer', yTitle: 'NC1 (log scale)', logY: true, integerX: true }) },
    { name: 'nc1-training', title: 'Sub-layer NC1 ratios over training', caption: 'Per layer, the factor by which NC1 changes at S Vᵀ and at U+ReLU (below 1: collapse), over the checkpoints.', spec: lineChartSpec(overTime, { title: 'NC1 factor per step', xTitle: 'epoch', yTitle: 'ratio (log scale)', logY: true }) },
  ];
  if (nfa.length) plots.push({ name: 'nfa', title: 'Neural Feature Ansatz per layer', caption: 'Pearson correlation of WᵀW with the square root of the AGOP (over patches for conv layers).', spec: lineChartSpec(nfa, { title: 'NFA correlations', xTitle: 'epoch', yTitle: 'correlation' }) });
  const rows = fin.map((c, i) => ({
    layer: c.layer,
    kind: c.kind,
    dim_input: c.dimInput,
    nc1_input: c.nc1Input,
    nc1_right: c.nc1Right,
    nc1_output: c.nc1Output,
    nc1_right_share: c.nc1RightShare,
    nc1_pinv_right_share: c.nc1PinvRightShare,
    right_dominates: result.summary.rightDominates[i],
    nfa_corr_sqrt: c.nfaCorrSqrt,
    nfa_corr_sqrt_delta: c.nfaCorrSqrtDelta,
    rank: c.rank,
  }));
  const tables: RunReport['tables'] = [
    {
      title: `Per layer at epoch ${last}: does NC1 fall more at S Vᵀ than at U and ReLU?`,
      rows,
      caption: `right_dominates: nc1_input/nc1_right > nc1_right/nc1_output (the paper's §5 claim, layer by layer): ${result.summary.layersWhereRightDominates} of ${result.summary.layers} layers.`,
    },
    subLayerMetricTable(result.checkpoints),
    { title: 'Summary', columns: ['quantity', 'value'], rows: Object.entries(toJsonKeys(result.summary) as Record<string, unknown>).map(([quantity, value]) => ({ quantity, value })) },
  ];
  return {
    kind: 'probe-cnn',
    title: 'CNN probe: where NC1 falls per layer (S Vᵀ vs ReLU) and the NFA',
    command: options.command,
    config,
    engine: options.engine,
    timings: { total: result.seconds, samples_per_second: result.samplesPerSecond },
    result: { ...(toJsonKeys(rest) as Record<string, unknown>), config },
    tables,
    plots,
  };
}
