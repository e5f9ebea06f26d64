/**
 * Does "NC1 falls mostly through the AGOP step" depend on the NC1 metric? (Reviewer B of Beaglehole
 * et al. 2024.) For each layer and each NC1 form, the share of the layer's NC1 change that happens
 * in the AGOP step X_l → M_l^½X_l rather than in the feature map M_l^½X_l → Φ(M_l^½X_l):
 *
 * ```math
 * \mathrm{share}_l = \frac{\ln m_{\mathrm{in}} - \ln m_{\mathrm{agop}}}{(\ln m_{\mathrm{in}} - \ln m_{\mathrm{agop}})^+ + (\ln m_{\mathrm{agop}} - \ln m_{\mathrm{out}})^+}
 * ```
 *
 * for the trace ratio and Papyan's pinv form (smaller = more collapsed), and the same with the signs
 * flipped for the Fisher form tr(Σ_W⁺Σ_B) (larger = more separated). A share > 0.5 says the AGOP step
 * carries most of the collapse; null where neither step collapses.
 */
import type { DeepRfmLayer } from '@nclab/deep-rfm';
import type { RunReport } from '../../report/write.js';

/** Share of the collapse made by the AGOP step (see the module comment); null when neither step collapses. */
export function agopShare(mIn: number, mAgop: number, mOut: number, largerIsCollapsed: boolean): number | null {
  if (![mIn, mAgop, mOut].every((v) => v > 0 && Number.isFinite(v))) return null;
  const sign = largerIsCollapsed ? -1 : 1;
  const a = sign * (Math.log(mIn) - Math.log(mAgop));
  const f = sign * (Math.log(mAgop) - Math.log(mOut));
  const total = Math.max(a, 0) + Math.max(f, 0);
  return total > 0 ? Math.max(a, 0) / total : null;
}

/**
 * The metric-dependence table of a Deep RFM run: per layer, the AGOP step's share of the NC1 decrease
 * under the trace ratio, the pinv form and the Fisher form, and a last row with the median share and
 * the verdict per metric.
 *
 * @param layers - the run's rows.
 * @returns a report table.
 */
export function metricDependenceTable(layers: readonly DeepRfmLayer[]): RunReport['tables'][number] {
  const rows = layers.map((r) => ({
    layer: r.layer,
    agop_share_trace_ratio: agopShare(r.nc1In, r.nc1Agop, r.nc1Out, false),
    agop_share_pinv: agopShare(r.nc1PinvIn, r.nc1PinvAgop, r.nc1PinvOut, false),
    agop_share_fisher: r.nc1FisherIn === null || r.nc1FisherAgop === null || r.nc1FisherOut === null ? null : agopShare(r.nc1FisherIn, r.nc1FisherAgop, r.nc1FisherOut, true),
  }));
  const median = (k: 'agop_share_trace_ratio' | 'agop_share_pinv' | 'agop_share_fisher'): number | null => {
    const v = rows.map((r) => r[k]).filter((x): x is number => x !== null).sort((a, b) => a - b);
    return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
  };
  const verdict = (m: number | null): string => (m === null ? '–' : m > 0.5 ? 'AGOP step' : 'feature map');
  const med = { trace: median('agop_share_trace_ratio'), pinv: median('agop_share_pinv'), fisher: median('agop_share_fisher') };
  return {
    title: 'Where NC1 falls, by metric: share of each layer’s collapse made by the AGOP step',
    rows: [...rows, { layer: 'median (most of the fall in)', agop_share_trace_ratio: med.trace, agop_share_pinv: med.pinv, agop_share_fisher: med.fisher }, { layer: 'verdict', agop_share_trace_ratio: verdict(med.trace), agop_share_pinv: verdict(med.pinv), agop_share_fisher: verdict(med.fisher) }],
    caption:
      'share = (decrease in the AGOP step) / (decrease in the AGOP step + decrease in the feature map), on a log scale, negative steps counted as 0; ' +
      'trace ratio tr Σ_W/tr Σ_B and pinv tr(Σ_W Σ_B^†)/K decrease with collapse, Fisher tr(Σ_W⁺Σ_B) increases. ' +
      'If the verdicts differ, the conclusion depends on the metric.',
  };
}
