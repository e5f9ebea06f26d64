import { networkAgops } from './network-agop.js';
import { networkNc, ncKey, rightShare, type NetworkNc, type NetworkNcOptions } from './layer-nc.js';
import { nfaCorrelations, type NfaCorrelations } from './nfa.js';
import { layerBalance, layerSpectrum, type LayerBalance, type LayerSpectrum } from './spectra.js';
import type { MlpParams } from './types.js';

/** One row of the result's `checkpoints` array: one hidden layer at one checkpoint. */
export interface LayerCheckpoint extends NfaCorrelations {
  /** Epochs completed (0 = initialisation). */
  epoch: number;
  /** Hidden layer, 1-based (1 = the layer that reads the input). */
  layer: number;
  /** Training loss of the network at this checkpoint (same for every layer). */
  trainLoss: number | null;
  /** NC1 = tr Σ_W / tr Σ_B of the layer input Φ(X_l). */
  nc1Input: number;
  /** NC1 after the right singular structure, S_l V_lᵀ Φ(X_l). */
  nc1Right: number;
  /** NC1 after U_l and the activation, σ(W_l Φ(X_l)). */
  nc1Output: number;
  /** log(nc1Input/nc1Right) / log(nc1Input/nc1Output): share of the layer's NC1 reduction owed to S Vᵀ. */
  nc1RightShare: number | null;
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
  const spectra = params.layers.map((p) => layerSpectrum(p));
  const balance = params.layers.slice(0, depth).map((p, l) => layerBalance(p, params.layers[l + 1], l));
  let agops = null;
  if (options.nfa ?? true) {
    agops = await networkAgops(params, x, labels.length, { chunkSize: options.agopChunkSize });
  }
  const rows: LayerCheckpoint[] = [];
  for (let l = 0; l < depth; l++) {
    const inp = nc.get(ncKey(l, 'input'))!.nc1;
    const right = nc.get(ncKey(l, 'right'))!.nc1;
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
          }
        : {}),
    });
  }
  return { epoch: meta.epoch, rows, spectra, balance, nc1Logits: nc.get(ncKey(depth, 'logits'))!.nc1, nc };
}
