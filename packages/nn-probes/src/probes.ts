import { networkAgops } from './network-agop.js';
import { networkNc, ncKey, rightShare, type FeatureNc, type NetworkNc, type NetworkNcOptions } from './layer-nc.js';
import { nfaCorrelations, type NfaCorrelations } from './nfa.js';
import { layerBalance, layerSpectrum, type LayerBalance, type LayerSpectrum } from './spectra.js';
import type { MlpParams } from './types.js';

/**
 * NC1 at the three sub-layer points of one layer (input, after S Vᵀ, after U and the activation) under
 * four metrics, with the share of the layer's change owed to S Vᵀ under each. Shared by MLP and CNN rows.
 */
export interface SubLayerNc {
  /** NC1 = tr Σ_W / tr Σ_B of the layer input Φ(X_l). */
  nc1Input: number;
  /** NC1 after the right singular structure, S_l V_lᵀ Φ(X_l). */
  nc1Right: number;
  /** NC1 after U_l and the activation, σ(W_l Φ(X_l)). */
  nc1Output: number;
  /** log(nc1Input/nc1Right) / log(nc1Input/nc1Output): share of the layer's NC1 reduction owed to S Vᵀ. */
  nc1RightShare: number | null;
  /** Papyan's NC1 tr(Σ_W Σ_B^†)/K (`@nclab/nc-metrics` nc1Pinv) at the same three points. */
  nc1PinvInput: number;
  nc1PinvRight: number;
  nc1PinvOutput: number;
  /** The share of the layer's fall owed to S Vᵀ under the pinv form (does the conclusion depend on the metric?). */
  nc1PinvRightShare: number | null;
  /**
   * Fisher NC1 tr(Σ_W⁺ Σ_B) (larger = more separated; invariant to invertible linear maps) at the three
   * points, and the share of the layer's change owed to S Vᵀ (same log formula); null unless `metricDependence`.
   */
  nc1FisherInput: number | null;
  nc1FisherRight: number | null;
  nc1FisherOutput: number | null;
  nc1FisherRightShare: number | null;
  /**
   * Linear-probe NC1 (Papyan's NC1 after the best linear map, `@nclab/nc-metrics` linearProbeNc1) at the
   * three points and its S Vᵀ share; null unless `metricDependence`. Invariant to invertible linear maps,
   * so S Vᵀ (invertible on its row space) can only change it by discarding W's null space.
   */
  nc1ProbeInput: number | null;
  nc1ProbeRight: number | null;
  nc1ProbeOutput: number | null;
  nc1ProbeRightShare: number | null;
}

/** One row of the result's `checkpoints` array: one hidden layer at one checkpoint. */
export interface LayerCheckpoint extends NfaCorrelations, SubLayerNc {
  /** Epochs completed (0 = initialisation). */
  epoch: number;
  /** Hidden layer, 1-based (1 = the layer that reads the input). */
  layer: number;
  /** Training loss of the network at this checkpoint (same for every layer). */
  trainLoss: number | null;
  /** Numerical rank of W_l. */
  rank: number;
  /** Stable rank ‖W_l‖_F² / ‖W_l‖₂². */
  stableRank: number;
  /** Spectral norm ‖W_l‖₂. */
  spectralNorm: number;
  /** Relative balancedness of W_l with the next layer (see `layerBalance`). */
  balancedness: number;
  /** NC2 of the layer output: ‖ĤĤᵀ − Σ_ETF‖_F of the centred, normalised class means (`@nclab/nc-metrics` nc2Etf). */
  nc2Output: number;
  /** Nearest-class-mean accuracy of the layer output (NC4's NCC side). */
  nccAccuracyOutput: number;
  /** NC3 self-duality of the last hidden layer's output with the head (null for other layers). */
  nc3: number | null;
  /** NC4: fraction of samples where the network's prediction differs from the NCC prediction (last layer only). */
  nc4: number | null;
  /** Linear-probe NC1 of the layer output (null unless `linearProbe`). */
  nc1LinearProbeOutput: number | null;
  /** The three NC1 points on the held-out set (only when a test set is given). */
  nc1InputTest?: number;
  nc1RightTest?: number;
  nc1OutputTest?: number;
  /** The pinv form at the three points and NC2 of the layer output on the held-out set (only with a test set). */
  nc1PinvInputTest?: number;
  nc1PinvRightTest?: number;
  nc1PinvOutputTest?: number;
  nc2OutputTest?: number;
  /** Fisher and linear-probe NC1 at the three points on the held-out set (with a test set and `metricDependence`). */
  nc1FisherInputTest?: number | null;
  nc1FisherRightTest?: number | null;
  nc1FisherOutputTest?: number | null;
  nc1ProbeInputTest?: number | null;
  nc1ProbeRightTest?: number | null;
  nc1ProbeOutputTest?: number | null;
}

/** Everything one probe measures. */
export interface ProbeSnapshot {
  epoch: number;
  rows: LayerCheckpoint[];
  /** Singular values per layer, hidden layers then the head. */
  spectra: LayerSpectrum[];
  balance: LayerBalance[];
  /** NC1 of the network output (logits). */
  nc1Logits: number;
  /** Raw per-feature-set statistics (class means included) for further metrics. */
  nc: NetworkNc;
}

/** Options of {@link probeNetwork}. */
export interface ProbeNetworkOptions extends NetworkNcOptions {
  /** Compute the AGOPs and NFA correlations (the expensive part). Default true. */
  nfa?: boolean;
  /** Rows per Jacobian pass. Default 512. */
  agopChunkSize?: number;
  /** A held-out set whose sub-layer NC1 is measured too (`*_test` keys). */
  test?: { x: Float32Array; labels: Int32Array };
}

/**
 * Runs every probe of the paper's §5 on a network at one checkpoint: sub-layer NC1 per hidden layer
 * (input, after S Vᵀ, after U and σ), the NFA correlations of each layer against the AGOP of its
 * sub-network (autodiff Jacobians), weight spectra and ranks, and balancedness of consecutive layers.
 * @param params - the network now.
 * @param initial - the network at initialisation, for the init-subtracted NFA (null: skip those).
 * @param x - `[N, d₀]` training inputs.
 * @param labels - `[N]`.
 * @param meta - the epoch and training loss to stamp on the rows.
 * @returns one row per hidden layer plus the raw spectra and statistics.
 * @throws {InvalidArgumentError} when `x` or `labels` do not fit the network.
 * @example
 * const snap = await probeNetwork(params, w0, x, labels, { epoch: 300, trainLoss: 0.03 });
 * snap.rows[0].nc1RightShare;
 */
export async function probeNetwork(
  params: MlpParams,
  initial: MlpParams | null,
  x: Float32Array,
  labels: Int32Array,
  meta: { epoch: number; trainLoss: number | null },
  options: ProbeNetworkOptions = {},
): Promise<ProbeSnapshot> {
  const { depth } = params.spec;
  const nc = await networkNc(params, x, labels, options);
  const ncTest = options.test ? await networkNc(params, options.test.x, options.test.labels, { ...options, linearProbe: false }) : null;
  const md = options.metricDependence === true;
  const spectra = params.layers.map((p) => layerSpectrum(p));
  const balance = params.layers.slice(0, depth).map((p, l) => layerBalance(p, params.layers[l + 1], l));
  let agops = null;
  if (options.nfa ?? true) {
    agops = await networkAgops(params, x, labels.length, { chunkSize: options.agopChunkSize });
  }
  const rows: LayerCheckpoint[] = [];
  for (let l = 0; l < depth; l++) {
    const inpNc = nc.get(ncKey(l, 'input'))!;
    const rightNc = nc.get(ncKey(l, 'right'))!;
    const inp = inpNc.nc1;
    const right = rightNc.nc1;
    const outNc = nc.get(ncKey(l, 'output'))!;
    const out = outNc.nc1;
    const nfa: NfaCorrelations = agops
      ? nfaCorrelations(params.layers[l], initial ? initial.layers[l] : null, agops.agop[l], agops.centered ? agops.centered[l] : null)
      : { nfaCorr: null, nfaCorrSqrt: null, nfaCorrSqrtDelta: null, nfaCorrSqrtCentered: null, nfaCorrSqrtDeltaCentered: null };
    rows.push({
      epoch: meta.epoch,
      layer: l + 1,
      trainLoss: meta.trainLoss,
      nc1Input: inp,
      nc1Right: right,
      nc1Output: out,
      nc1RightShare: rightShare(inp, right, out),
      nc1PinvInput: inpNc.metrics.nc1Pinv,
      nc1PinvRight: rightNc.metrics.nc1Pinv,
      nc1PinvOutput: outNc.metrics.nc1Pinv,
      nc1PinvRightShare: rightShare(inpNc.metrics.nc1Pinv, rightNc.metrics.nc1Pinv, outNc.metrics.nc1Pinv),
      ...metricDependenceFields(inpNc, rightNc, outNc, md),
      ...nfa,
      rank: spectra[l].rank,
      stableRank: spectra[l].stableRank,
      spectralNorm: spectra[l].singularValues[0] ?? 0,
      balancedness: balance[l].relative,
      nc2Output: outNc.metrics.nc2Etf,
      nccAccuracyOutput: outNc.metrics.nccAccuracy,
      nc3: outNc.metrics.nc3 ?? null,
      nc4: outNc.metrics.nc4 ?? null,
      nc1LinearProbeOutput: outNc.metrics.nc1LinearProbe,
      ...(ncTest
        ? {
            nc1InputTest: ncTest.get(ncKey(l, 'input'))!.nc1,
            nc1RightTest: ncTest.get(ncKey(l, 'right'))!.nc1,
            nc1OutputTest: ncTest.get(ncKey(l, 'output'))!.nc1,
            nc1PinvInputTest: ncTest.get(ncKey(l, 'input'))!.metrics.nc1Pinv,
            nc1PinvRightTest: ncTest.get(ncKey(l, 'right'))!.metrics.nc1Pinv,
            nc1PinvOutputTest: ncTest.get(ncKey(l, 'output'))!.metrics.nc1Pinv,
            nc2OutputTest: ncTest.get(ncKey(l, 'output'))!.metrics.nc2Etf,
            ...(md ? testMetricDependence(ncTest.get(ncKey(l, 'input'))!, ncTest.get(ncKey(l, 'right'))!, ncTest.get(ncKey(l, 'output'))!) : {}),
          }
        : {}),
    });
  }
  return { epoch: meta.epoch, rows, spectra, balance, nc1Logits: nc.get(ncKey(depth, 'logits'))!.nc1, nc };
}

const share = (a: number | null, b: number | null, c: number | null): number | null =>
  a === null || b === null || c === null ? null : rightShare(a, b, c);

/**
 * The Fisher and linear-probe NC1 fields of a row from the three points' statistics (nulls when the
 * metric-dependence set was not computed).
 * @returns the `nc1Fisher*` and `nc1Probe*` fields of {@link LayerCheckpoint}.
 * @example
 * metricDependenceFields(nc.get('0:input')!, nc.get('0:right')!, nc.get('0:output')!, true).nc1FisherRightShare;
 */
export function metricDependenceFields(inp: FeatureNc, right: FeatureNc, out: FeatureNc, computed: boolean) {
  const f = (x: FeatureNc): number | null => (computed ? x.nc1Fisher : null);
  const p = (x: FeatureNc): number | null => (computed ? x.metrics.nc1LinearProbe : null);
  return {
    nc1FisherInput: f(inp),
    nc1FisherRight: f(right),
    nc1FisherOutput: f(out),
    nc1FisherRightShare: share(f(inp), f(right), f(out)),
    nc1ProbeInput: p(inp),
    nc1ProbeRight: p(right),
    nc1ProbeOutput: p(out),
    nc1ProbeRightShare: share(p(inp), p(right), p(out)),
  };
}

function testMetricDependence(inp: FeatureNc, right: FeatureNc, out: FeatureNc) {
  return {
    nc1FisherInputTest: inp.nc1Fisher,
    nc1FisherRightTest: right.nc1Fisher,
    nc1FisherOutputTest: out.nc1Fisher,
    nc1ProbeInputTest: inp.metrics.nc1LinearProbe,
    nc1ProbeRightTest: right.metrics.nc1LinearProbe,
    nc1ProbeOutputTest: out.metrics.nc1LinearProbe,
  };
}

/** The NC1 values of one layer at its three points under each metric (a {@link LayerCheckpoint}, an imported layer, a CNN layer row, ...). */
export interface MetricShares {
  /** Checkpoint epoch (rows without one count as epoch 0). */
  epoch?: number;
  layer: number;
  nc1Input: number;
  nc1Right?: number | null;
  nc1Output?: number | null;
  nc1PinvInput?: number | null;
  nc1PinvRight?: number | null;
  nc1PinvOutput?: number | null;
  nc1FisherInput?: number | null;
  nc1FisherRight?: number | null;
  nc1FisherOutput?: number | null;
  nc1ProbeInput?: number | null;
  nc1ProbeRight?: number | null;
  nc1ProbeOutput?: number | null;
}

/** One row of {@link metricDependenceTable}: a layer's S Vᵀ share of the collapse under each NC1 form. */
export interface MetricDependenceRow {
  layer: number | string;
  rightShareTraceRatio: number | null | string;
  rightSharePinv: number | null | string;
  rightShareFisher: number | null | string;
  rightShareProbe: number | null | string;
}

/**
 * The share of a layer's collapse made by S Vᵀ, counting only steps that collapse:
 * ```math
 * a = s(\ln m_{in} - \ln m_{right}),\quad f = s(\ln m_{right} - \ln m_{out}),\quad
 * \mathrm{share} = a^+ / (a^+ + f^+)
 * ```
 * with s = +1 for metrics that fall with collapse (trace ratio, pinv, probe) and s = −1 for the Fisher
 * form (rises with separation). Unlike {@link rightShare} (share of the signed change), a step that
 * undoes collapse counts as 0, so the share stays in [0, 1]. Null when neither step collapses or a
 * value is missing, zero or non-finite. (The convention of the Deep RFM job's AGOP-step share.)
 * @returns the share in [0, 1], or null.
 * @example
 * collapseShare(65, 19.1, 32.1, true); // 0: S Vᵀ lost Fisher separation, U and σ gained it
 */
export function collapseShare(mIn: number | null | undefined, mRight: number | null | undefined, mOut: number | null | undefined, largerIsCollapsed = false): number | null {
  const v = [mIn, mRight, mOut];
  if (!v.every((x): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x))) return null;
  const sign = largerIsCollapsed ? -1 : 1;
  const a = Math.max(0, sign * (Math.log(v[0]) - Math.log(v[1])));
  const f = Math.max(0, sign * (Math.log(v[1]) - Math.log(v[2])));
  return a + f > 0 ? a / (a + f) : null;
}

/**
 * Does "NC1 falls mostly through S Vᵀ" depend on the metric? (Reviewer B; issue 19.) Per layer of one
 * checkpoint (default: the last), the share of the layer's collapse made by S Vᵀ ({@link collapseShare})
 * under the trace ratio, the pinv form, the Fisher form and the linear probe; then a row with the median
 * share per metric and a verdict row ('S Vᵀ' when the median > 0.5, 'U and σ' otherwise, '–' when not
 * computed). Fisher and the linear probe are invariant to invertible linear maps, so under them S Vᵀ
 * can act only by dropping the null space of W: when W has full column rank their S Vᵀ share is 0 by
 * construction; otherwise S Vᵀ is a projection, which cannot raise the Fisher value when Σ_W is
 * invertible. What they credit to U and σ is the non-linearity alone (U has orthonormal columns).
 * @param rows - probe rows (any checkpoints; the one at `epoch` is used), or any rows with the values.
 * @param epoch - the checkpoint (default: the largest epoch in `rows`).
 * @returns the layer rows, the median row and the verdict row.
 * @example
 * metricDependenceTable(result.checkpoints).at(-1); // { layer: 'verdict', rightShareTraceRatio: 'S Vᵀ', ... }
 */
export function metricDependenceTable(rows: readonly MetricShares[], epoch?: number): MetricDependenceRow[] {
  const at = epoch ?? Math.max(...rows.map((r) => r.epoch ?? 0));
  const fin = rows.filter((r) => (r.epoch ?? 0) === at).sort((a, b) => a.layer - b.layer);
  const body: MetricDependenceRow[] = fin.map((r) => ({
    layer: r.layer,
    rightShareTraceRatio: collapseShare(r.nc1Input, r.nc1Right, r.nc1Output),
    rightSharePinv: collapseShare(r.nc1PinvInput, r.nc1PinvRight, r.nc1PinvOutput),
    rightShareFisher: collapseShare(r.nc1FisherInput, r.nc1FisherRight, r.nc1FisherOutput, true),
    rightShareProbe: collapseShare(r.nc1ProbeInput, r.nc1ProbeRight, r.nc1ProbeOutput),
  }));
  const keys = ['rightShareTraceRatio', 'rightSharePinv', 'rightShareFisher', 'rightShareProbe'] as const;
  const median: MetricDependenceRow = { layer: 'median', rightShareTraceRatio: null, rightSharePinv: null, rightShareFisher: null, rightShareProbe: null };
  const verdict: MetricDependenceRow = { layer: 'verdict', rightShareTraceRatio: '–', rightSharePinv: '–', rightShareFisher: '–', rightShareProbe: '–' };
  for (const k of keys) {
    const v = body.map((r) => r[k]).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    const m = v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
    median[k] = m;
    verdict[k] = m === null ? '–' : m > 0.5 ? 'S Vᵀ' : 'U and σ';
  }
  return [...body, median, verdict];
}
