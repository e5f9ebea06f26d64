/**
 * The metric-dependence table of the network probes (`probe import`, `probe cnn`; `probe mlp` at
 * merge): does "NC1 falls mostly through S Vᵀ" depend on the NC1 metric? (Reviewer B, issue 19.)
 */
import { metricDependenceTable, type MetricShares } from '@nclab/nn-probes';
import type { ReportTable } from '../../report/table.js';

/**
 * Per layer, the share of the layer's NC1 change made by S Vᵀ under the trace ratio, the pinv form,
 * the Fisher form and the linear probe (`metricDependenceTable` of `@nclab/nn-probes`), with the median
 * and a verdict per metric.
 * @param rows - rows carrying `nc1RightShare`, `nc1PinvRightShare`, `nc1FisherRightShare`, `nc1ProbeRightShare`.
 * @param epoch - the checkpoint (default: the last).
 * @returns a report table with snake_case columns.
 * @example
 * report.tables.push(subLayerMetricTable(result.checkpoints));
 */
export function subLayerMetricTable(rows: readonly MetricShares[], epoch?: number): ReportTable {
  const body = metricDependenceTable(rows, epoch).map((r) => ({
    layer: r.layer,
    right_share_trace_ratio: r.rightShareTraceRatio,
    right_share_pinv: r.rightSharePinv,
    right_share_fisher: r.rightShareFisher,
    right_share_probe: r.rightShareProbe,
  }));
  return {
    title: 'Where NC1 falls, by metric: share of each layer’s change made by S Vᵀ',
    rows: body,
    caption:
      'share = a⁺/(a⁺ + f⁺) with a = ln(m_input/m_right), f = ln(m_right/m_output) (signs flipped for Fisher): the part of the layer’s collapse made by S Vᵀ, steps that undo collapse counted 0, per metric m: trace ratio tr Σ_W/tr Σ_B, pinv tr(Σ_W Σ_B^†)/K, Fisher tr(Σ_W⁺Σ_B) ' +
      '(larger = more separated), linear probe (pinv NC1 after the best linear map). Fisher and the probe are invariant to ' +
      'invertible linear maps: S Vᵀ can change them only by dropping W’s null space, so their share is ≈ 0 when W has full column rank. ' +
      'Verdict: S Vᵀ when the median share > 0.5. If the verdicts differ, the conclusion depends on the metric.',
  };
}
