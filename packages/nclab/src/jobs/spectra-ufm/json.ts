/**
 * The `result.json` document of the spectra jobs (snake_case keys, unchanged since the first release).
 */
import type { DeepUfmSpectraResult } from './deep-ufm-spectra.js';

/**
 * The JSON document of the `nclab spectra ufm` command: snake_case keys, `layers: [{ layer,
 * outliers, bulk_size, rank, … }]` as the CLI contract asks.
 *
 * @param result - a {@link deepUfmSpectra} result.
 * @returns a plain JSON-serialisable object.
 * @example
 * JSON.stringify(deepUfmSpectraJson(await deepUfmSpectra(config)), null, 2);
 */
export function deepUfmSpectraJson(result: DeepUfmSpectraResult): Record<string, unknown> {
  return {
    config: { ...result.config, lambda_w: result.config.lambdaW, lambda_h: result.config.lambdaH, at_optimum: result.config.atOptimum },
    theory: {
      b: result.theory.b, b_global: result.theory.bGlobal, b_local: result.theory.bLocal, x_star: result.theory.xStar,
      x_largest_root: result.theory.xLargestRoot, tau: result.theory.tau, objective: result.theory.objective, regime: result.theory.regime,
    },
    point: { ...result.point, output_scale: result.point.outputScale },
    layers: result.layers.map((r) => ({
      layer: r.layer,
      shape: r.shape,
      outliers: r.outliers,
      count_matches: r.countMatches,
      bulk_size: r.bulkSize,
      rank: r.rank,
      outlier_clusters: r.outlierClusters,
      predicted_outlier: r.predictedOutlier,
      max_relative_error: r.maxRelativeError,
      method: r.method,
      lanczos: r.lanczos,
      regularised: { outliers: r.regularised.outliers, bulk_value: r.regularised.bulkValue, predicted_outlier: r.regularised.predictedOutlier },
      decomposition: {
        class_rank: r.decomposition.classRank,
        cross_rank: r.decomposition.crossRank,
        within_max: r.decomposition.withinMax,
        class_eigenvalues: r.decomposition.classEigenvalues,
        cross_eigenvalues: r.decomposition.crossEigenvalues,
        knockout_ranks: {
          without_within: r.decomposition.knockoutRanks.withoutWithin,
          without_class: r.decomposition.knockoutRanks.withoutClass,
          without_cross: r.decomposition.knockoutRanks.withoutCross,
        },
      },
      gradient_overlap: r.gradientOverlap,
      gradient_covariance: r.gradientCovariance,
      weights: {
        singular_values: r.weights.singularValues,
        numerical_rank: r.weights.numericalRank,
        stable_rank: r.weights.stableRank,
        predicted_squared_singular_value: r.weights.predictedSquaredSingularValue,
      },
      ...(r.density ? { density: r.density } : {}),
    })),
  };
}
