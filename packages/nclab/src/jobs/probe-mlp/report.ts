/**
 * The reports of the network probes (`nclab probe mlp`, `nclab probe import`): sub-layer NC1
 * (input, after S Vᵀ, after U and the activation), NFA correlations over training and the loss.
 */
import type { ImportedResult, ProbeResult } from '@nclab/nn-probes';
import { lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';
import { toJsonKeys } from '../json-keys.js';
import { subLayerMetricTable } from '../probe-import/metric-dependence.js';

/** Options of the probe reports. */
export interface ProbeReportOptions {
  command?: string;
  engine?: Record<string, unknown>;
  seconds?: number;
}

/** The result's fields other than `config` (whose keys are written as they are). */
function withoutConfig(result: ProbeResult): Omit<ProbeResult, 'config'> {
  const { config: _config, ...rest } = result;
  return rest;
}

/**
 * Builds the report of a `probeMlp` run: `result.json` holds every field of `result` with its keys
 * mapped by `toJsonKeys` (`checkpoints: [{epoch, layer, train_loss, nc1_input, nc1_right, nc1_output,
 * nfa_corr, nfa_corr_sqrt, nfa_corr_sqrt_delta, nfa_corr_sqrt_centred, …}]`, `history`, `summary`,
 * `unit_gaps`, …); `config` keeps its keys as they are (camelCase option names, as always written).
 *
 * @param result - the value returned by `probeMlp` from `@nclab/nn-probes`.
 * @param options - command line, engine.
 * @returns a {@link RunReport} with plots `loss`, `nc1-sublayer` (last checkpoint, per layer),
 *   `nc1-training` (per layer over epochs, log scale) and `nfa` (correlations over epochs).
 */
export function probeReport(result: ProbeResult, options: ProbeReportOptions = {}): RunReport {
  const loss: CurvePoint[] = result.history.flatMap((h) => [
    { x: h.epoch, y: h.trainLoss, series: 'train loss' },
    ...(h.testLoss !== undefined ? [{ x: h.epoch, y: h.testLoss, series: 'test loss' }] : []),
  ]);
  const last = Math.max(...result.checkpoints.map((c) => c.epoch));
  const final = result.checkpoints.filter((c) => c.epoch === last).sort((a, b) => a.layer - b.layer);
  const sub: CurvePoint[] = final.flatMap((c) => [
    { x: c.layer, y: c.nc1Input, series: 'layer input Φ(X)' },
    { x: c.layer, y: c.nc1Right, series: 'after S Vᵀ' },
    { x: c.layer, y: c.nc1Output, series: 'after U and σ' },
  ]);
  const overTime: CurvePoint[] = result.checkpoints.map((c) => ({ x: c.epoch, y: c.nc1Output, series: `layer ${c.layer}` }));
  const nfa: CurvePoint[] = result.checkpoints.flatMap((c) => [
    ...(c.nfaCorrSqrt !== null && c.nfaCorrSqrt !== undefined ? [{ x: c.epoch, y: c.nfaCorrSqrt as number, series: `layer ${c.layer}: WᵀW vs AGOP^½` }] : []),
    ...(c.nfaCorrSqrtDelta !== null && c.nfaCorrSqrtDelta !== undefined ? [{ x: c.epoch, y: c.nfaCorrSqrtDelta as number, series: `layer ${c.layer}: (W−W₀)ᵀ(W−W₀) vs AGOP^½` }] : []),
  ]);
  const plots: RunReport['plots'] = [
    { name: 'loss', title: 'Training loss', caption: 'Loss on the whole training set after each epoch (log scale).', spec: lineChartSpec(loss, { title: 'Loss', xTitle: 'epoch', yTitle: 'loss (log scale)', logY: true, points: false }) },
    {
      name: 'nc1-sublayer',
      title: `Sub-layer NC1 at epoch ${last}`,
      caption: 'NC1 = tr Σ_W / tr Σ_B at the layer input, after the right singular structure S Vᵀ of W, and after U and the activation.',
      spec: lineChartSpec(sub, { title: `Sub-layer NC1 (epoch ${last})`, xTitle: 'hidden layer', yTitle: 'NC1 (log scale)', logY: true, integerX: true }),
    },
    { name: 'nc1-training', title: 'NC1 during training', caption: 'NC1 of each hidden layer output over the checkpoints.', spec: lineChartSpec(overTime, { title: 'NC1 of each layer output', xTitle: 'epoch', yTitle: 'NC1 (log scale)', logY: true }) },
  ];
  plots.push(...linearHeadPlots(result), ...entkPlots(result));
  if (nfa.length) {
    plots.push({
      name: 'nfa',
      title: 'Neural Feature Ansatz',
      caption: 'Pearson correlation of centred entries. WᵀW vs AGOP^½ is already high at initialisation (both are diagonally dominant), so the init-subtracted form is the evidence of feature learning.',
      spec: lineChartSpec(nfa, { title: 'NFA correlations', xTitle: 'epoch', yTitle: 'correlation' }),
    });
  }
  const rows = final.map((c) => ({
    layer: c.layer,
    nc1_input: c.nc1Input,
    nc1_right: c.nc1Right,
    nc1_output: c.nc1Output,
    nc1_right_share: c.nc1RightShare,
    nc1_pinv_input: c.nc1PinvInput,
    nc1_pinv_right: c.nc1PinvRight,
    nc1_pinv_output: c.nc1PinvOutput,
    nc1_pinv_right_share: c.nc1PinvRightShare,
    nfa_corr: c.nfaCorr,
    nfa_corr_sqrt: c.nfaCorrSqrt,
    nfa_corr_sqrt_delta: c.nfaCorrSqrtDelta,
    rank: c.rank,
    stable_rank: c.stableRank,
  }));
  return {
    kind: 'probe',
    title: 'MLP probe: where NC1 falls (S Vᵀ vs activation) and the NFA',
    command: options.command,
    config: result.config,
    engine: options.engine,
    timings: { total: result.seconds, samples_per_second: result.samplesPerSecond },
    result: { ...(toJsonKeys(withoutConfig(result)) as Record<string, unknown>), config: result.config },
    tables: [
      {
        title: `Per hidden layer at epoch ${last}`,
        rows,
        caption:
          'nc1_right_share = log(nc1_input/nc1_right) / log(nc1_input/nc1_output): the share of the layer\'s NC1 reduction owed to S Vᵀ under the trace ratio; ' +
          'nc1_pinv_right_share: the same under Papyan\'s tr(Σ_W Σ_B^†)/K. Where they disagree, "NC1 falls mostly through S Vᵀ" depends on the metric.',
      },
      ...(result.checkpoints.some((c) => c.nc1FisherInput !== null && c.nc1FisherInput !== undefined) ? [subLayerMetricTable(result.checkpoints)] : []),
      ...(result.entk && result.entk.length ? [entkTable(result)] : []),
      { title: 'Summary', columns: ['quantity', 'value'], rows: Object.entries(toJsonKeys(result.summary) as Record<string, unknown>).map(([quantity, value]) => ({ quantity, value })) },
    ],
    plots,
  };
}

/** The plots of the linear-head rows (runs with `--linear-layers`): balancedness, conditioning, NC1 per level. */
function linearHeadPlots(result: ProbeResult): RunReport['plots'] {
  const rows = result.linearHead;
  if (!rows || rows.length === 0) return [];
  const p = Number(result.config.depth) - (rows[0].nc1.length - 1); // first linear layer, 0-based
  const bal: CurvePoint[] = rows.flatMap((r) => r.balancedness.map((b, i) => ({ x: r.epoch, y: b, series: `W${p + i + 1} → W${p + i + 2}` })));
  const cond: CurvePoint[] = rows.map((r) => ({ x: r.epoch, y: r.featureCondition, series: 'κ(features entering the linear part)' }));
  const nc1: CurvePoint[] = rows.flatMap((r) => r.nc1.filter((v) => v > 0).map((v, i) => ({ x: r.epoch, y: v, series: i === r.nc1.length - 1 ? 'head input' : `input of linear layer ${i + 1}` })));
  const err: CurvePoint[] = rows.map((r) => ({ x: r.epoch, y: r.trainError, series: 'training error' }));
  return [
    {
      name: 'linear-head-balancedness',
      title: 'Balancedness of the linear layers',
      caption: '‖W_{l+1}ᵀW_{l+1} − W_lW_lᵀ‖_F / (‖W_{l+1}ᵀW_{l+1}‖_F + ‖W_lW_lᵀ‖_F) for consecutive linear layers (0 = balanced), and the training error.',
      spec: lineChartSpec([...bal, ...err], { title: 'Balancedness', xTitle: 'epoch', yTitle: 'relative imbalance / error' }),
    },
    {
      name: 'linear-head-conditioning',
      title: 'Conditioning of the features entering the linear head',
      caption: 'σ_max / σ_min of the non-zero singular values of the features entering the first linear layer (log scale).',
      spec: lineChartSpec(cond, { title: 'Feature condition number', xTitle: 'epoch', yTitle: 'κ (log scale)', logY: true }),
    },
    {
      name: 'linear-head-nc1',
      title: 'NC1 inside the linear head',
      caption: 'NC1 = tr Σ_W / tr Σ_B at the input of every linear layer (log scale); NC2 and NC3 per level are in result.json (linear_head).',
      spec: lineChartSpec(nc1, { title: 'NC1 per linear level', xTitle: 'epoch', yTitle: 'NC1 (log scale)', logY: true }),
    },
  ];
}

/** The plot of the eNTK rows (runs with `--entk-samples`): alignment with yyᵀ and the class-block means over training. */
function entkPlots(result: ProbeResult): RunReport['plots'] {
  const rows = result.entk;
  if (!rows || rows.length === 0) return [];
  const pts: CurvePoint[] = rows.flatMap((r) => [
    { x: r.epoch, y: r.alignment, series: 'alignment with yyᵀ' },
    { x: r.epoch, y: r.centredAlignment, series: 'centred alignment' },
    { x: r.epoch, y: r.withinMean, series: 'within-class mean (cosine)' },
    { x: r.epoch, y: r.acrossMean, series: 'across-class mean (cosine)' },
  ]);
  return [{
    name: 'entk',
    title: 'The empirical NTK over training',
    caption:
      `eNTK Gram Θ on ${rows[0].samples} class-balanced training points (the same at every probe): ⟨Θ, yyᵀ⟩_F / (‖Θ‖_F‖yyᵀ‖_F), the same after centring, ` +
      'and the means of Θ_ij/√(Θ_ii Θ_jj) over within-class and across-class pairs.',
    spec: lineChartSpec(pts, { title: 'eNTK alignment and class blocks', xTitle: 'epoch', yTitle: 'alignment / mean cosine' }),
  }];
}

/** The table of the eNTK predictor's AGOP against the network's and the NFA, per probe epoch and hidden layer. */
function entkTable(result: ProbeResult): RunReport['tables'][number] {
  const rows = (result.entk ?? []).flatMap((r) => r.layers.map((l) => ({
    epoch: r.epoch,
    layer: l.layer,
    agop_corr: l.agopCorr,
    nfa_corr_sqrt_entk: l.nfaCorrSqrtEntk,
    nfa_corr_sqrt_network: l.nfaCorrSqrtNetwork,
  })));
  return {
    title: 'eNTK predictor AGOP vs network AGOP and the NFA',
    rows,
    caption:
      'agop_corr: Pearson correlation of the entries of the AGOP (at the layer input) of the eNTK kernel-ridge predictor fitted to the subsample\'s one-hot labels ' +
      'with the network\'s own AGOP on the same points; nfa_corr_sqrt_entk / _network: corr(W_lᵀW_l, AGOP^½) with either AGOP.',
  };
}

/**
 * Builds the report of `probeImported` (activations and weights saved from PyTorch or JAX).
 *
 * @param result - the value returned by `probeImported`.
 * @param options - command line, engine, timing.
 * @returns a {@link RunReport} with the per-capture-point table and the sub-layer NC1 plot.
 */
export function importedProbeReport(result: ImportedResult, options: ProbeReportOptions & { config?: Record<string, unknown> } = {}): RunReport {
  // with several checkpoints (`--checkpoints`), the sub-layer plot shows the last one and a second plot the epochs
  const epochs = [...new Set(result.layers.map((l) => l.epoch).filter((e): e is number => e !== undefined))];
  const last = epochs.length ? Math.max(...epochs) : undefined;
  const pts: CurvePoint[] = result.layers.filter((l) => l.epoch === last).flatMap((l) => [
    { x: l.layer, y: l.nc1Input, series: 'layer input' },
    ...(l.nc1Right !== undefined ? [{ x: l.layer, y: l.nc1Right, series: 'after S Vᵀ' }] : []),
    ...(l.nc1Output !== undefined ? [{ x: l.layer, y: l.nc1Output, series: 'after U and σ' }] : []),
  ]);
  const rows = result.layers.map((l) => ({
    ...(l.epoch !== undefined ? { epoch: l.epoch } : {}),
    layer: l.layer,
    dim: l.dim,
    nc1_input: l.nc1Input,
    nc1_right: l.nc1Right ?? null,
    nc1_output: l.nc1Output ?? null,
    nc1_right_share: l.nc1RightShare ?? null,
    balancedness: l.balancedness ?? null,
    nfa_corr_sqrt: l.nfaCorrSqrt ?? null,
  }));
  const at = last === undefined ? '' : ` at epoch ${last}`;
  const plots: RunReport['plots'] = [{ name: 'nc1-sublayer', title: `Sub-layer NC1${at}`, caption: 'NC1 = tr Σ_W / tr Σ_B per capture point (for a conv layer the input point is the unfolded patches).', spec: lineChartSpec(pts, { title: `Sub-layer NC1${at}`, xTitle: 'capture point', yTitle: 'NC1 (log scale)', logY: true, integerX: true }) }];
  if (epochs.length > 1) {
    const over: CurvePoint[] = result.layers.flatMap((l) => [
      { x: l.epoch!, y: l.nc1Input, series: `layer ${l.layer} input` },
      ...(l.nc1Right !== undefined ? [{ x: l.epoch!, y: l.nc1Right, series: `layer ${l.layer} after S Vᵀ` }] : []),
    ]);
    plots.push({ name: 'nc1-training', title: 'Sub-layer NC1 over the checkpoints', caption: 'NC1 at each layer input and after S Vᵀ, per checkpoint (log scale).', spec: lineChartSpec(over, { title: 'Sub-layer NC1 over training', xTitle: 'epoch', yTitle: 'NC1 (log scale)', logY: true }) });
  }
  return {
    kind: 'probe-import',
    title: 'Imported network: sub-layer NC1',
    command: options.command,
    config: options.config ?? {},
    engine: options.engine,
    timings: options.seconds === undefined ? {} : { total: options.seconds },
    result: { ...result, layers: toJsonKeys(result.layers) },
    tables: [{ title: 'Per capture point', rows, caption: result.convention }],
    plots,
  };
}
