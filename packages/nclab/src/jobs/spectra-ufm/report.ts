/**
 * The report of the deep-UFM Hessian spectra (`nclab spectra ufm` / `spectra density`): outliers
 * per layer against the closed form, Papyan's decomposition ranks, weight spectra and SLQ densities.
 */
import type { DeepUfmSpectraResult } from './deep-ufm-spectra.js';
import { deepUfmSpectraJson } from './json.js';
import { barChartSpec, lineChartSpec, type CurvePoint } from '../../report/plots.js';
import type { RunReport } from '../../report/write.js';

/** Options of {@link spectraReport}. */
export interface SpectraReportOptions {
  command?: string;
  engine?: Record<string, unknown>;
  seconds?: number;
  /** Only the densities (the `spectra density` command). */
  densityOnly?: boolean;
}

/**
 * The JSON of `nclab spectra density`: the SLQ density of each analysed layer Hessian.
 *
 * @param result - a `deepUfmSpectra` result computed with a density.
 * @returns `{ config, layers: [{ layer, grid, density, sigma }] }`.
 */
export function densityJson(result: DeepUfmSpectraResult): Record<string, unknown> {
  return {
    config: deepUfmSpectraJson(result).config,
    layers: result.layers.filter((l) => l.density).map((l) => ({ layer: l.layer, ...l.density })),
  };
}

/**
 * Builds the report of a `deepUfmSpectra` result. `result.json` holds `deepUfmSpectraJson(result)`
 * (`layers: [{layer, outliers, bulk_size, rank, …}]`), or {@link densityJson} with `densityOnly`.
 *
 * @param result - the value returned by `deepUfmSpectra` from `@nclab/spectra`.
 * @param options - command line, engine, timing, density-only mode.
 * @returns a {@link RunReport} with plots `outliers` (bar chart per layer) and `density` (SLQ).
 */
export function spectraReport(result: DeepUfmSpectraResult, options: SpectraReportOptions = {}): RunReport {
  const density: CurvePoint[] = result.layers.flatMap((l) => (l.density ? l.density.grid.map((x, i) => ({ x, y: l.density!.density[i], series: `layer ${l.layer}` })) : []));
  const plots: RunReport['plots'] = [];
  if (!options.densityOnly) {
    plots.push({
      name: 'outliers',
      title: 'Hessian outliers per layer',
      caption: 'Eigenvalues of the MSE-term layer Hessian above the bulk (largest gap). At the deep linear UFM optimum: K² equal outliers at λ_{W_l} x*/(1 − x*).',
      spec: barChartSpec(
        result.layers.flatMap((l) => l.outliers.map((v, i) => ({ label: `${l.layer}·${i + 1}`, value: v, group: `layer ${l.layer}` }))),
        { title: 'Outlier eigenvalues of the layer Hessians', xTitle: 'layer · index', yTitle: 'eigenvalue' },
      ),
    });
  }
  if (density.length) {
    plots.push({
      name: 'density',
      title: 'Spectral density (SLQ)',
      caption: 'Stochastic Lanczos quadrature estimate of the eigenvalue density of each layer Hessian (MSE term), Gaussian-smoothed.',
      spec: lineChartSpec(density, { title: 'Spectral density of the layer Hessians', xTitle: 'eigenvalue', yTitle: 'density (log)', points: false, logY: true }),
    });
  }
  const rows = result.layers.map((l) => ({
    layer: l.layer,
    size: l.shape[0] * l.shape[1],
    outliers: l.outliers.length,
    outlier_value: l.outlierClusters.length === 1 ? l.outlierClusters[0].value : l.outlierClusters.map((c) => `${c.value.toPrecision(6)}×${c.multiplicity}`).join(', '),
    predicted: l.predictedOutlier,
    max_rel_error: l.maxRelativeError,
    bulk_size: l.bulkSize,
    rank: l.rank,
    class_rank: l.decomposition.classRank,
    cross_rank: l.decomposition.crossRank,
    weight_rank: l.weights.numericalRank,
    mse_grad_in_top: l.gradientOverlap.mse,
  }));
  const K = result.config.K;
  return {
    kind: options.densityOnly ? 'spectra-density' : 'spectra',
    title: `Hessian spectra of the ${result.config.model} UFM (K = ${K}, L = ${result.config.depth})`,
    command: options.command,
    config: { ...result.config },
    engine: options.engine,
    timings: options.seconds === undefined ? {} : { total: options.seconds },
    result: options.densityOnly ? densityJson(result) : deepUfmSpectraJson(result),
    tables: options.densityOnly
      ? [{ title: 'Densities', rows: result.layers.map((l) => ({ layer: l.layer, grid_points: l.density?.grid.length ?? 0, sigma: l.density?.sigma ?? null })) }]
      : [
          {
            title: 'Per layer',
            rows,
            caption: `Outliers compared with K² = ${K * K}; class term rank vs K = ${K}, cross-class rank vs K(K−1) = ${K * (K - 1)}. mse_grad_in_top = share of the MSE gradient inside the outlier eigenspace.`,
          },
          { title: 'Closed form', columns: ['quantity', 'value'], rows: Object.entries(result.theory).map(([quantity, value]) => ({ quantity, value })) },
          { title: 'Analysed point', columns: ['quantity', 'value'], rows: Object.entries(result.point).filter(([, v]) => typeof v !== 'object').map(([quantity, value]) => ({ quantity, value })) },
        ],
    plots,
  };
}
