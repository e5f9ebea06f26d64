/**
 * A Vega-Lite line chart of means with ±1 standard-deviation error bars (the aggregate sweep plot).
 * Should move next to `lineChartSpec` in `report/plots.ts`.
 */
import type { VegaLiteSpec } from '../report/render.js';

/** One point: x, mean, sd (null: no bar) and the series it belongs to. */
export interface MeanSdPoint {
  x: number;
  mean: number | null;
  sd: number | null;
  series: string;
}

/**
 * Mean curves with 1-sd bars: a line with points at each mean and a vertical rule from mean − sd to
 * mean + sd.
 * @param points - `[{ x, mean, sd, series }]`; points with a null or non-finite mean are dropped.
 * @param options - titles.
 * @returns a layered Vega-Lite spec with inline data.
 */
export function errorBarChartSpec(points: readonly MeanSdPoint[], options: { title: string; xTitle: string; yTitle: string }): VegaLiteSpec {
  const values = points
    .filter((p) => p.mean !== null && Number.isFinite(p.mean))
    .map((p) => ({ x: p.x, mean: p.mean, lo: p.sd === null ? p.mean : (p.mean as number) - p.sd, hi: p.sd === null ? p.mean : (p.mean as number) + p.sd, series: p.series }));
  const order = [...new Set(points.map((p) => p.series))];
  const color = { field: 'series', type: 'nominal', title: null, sort: order, legend: { orient: 'top', labelLimit: 320, columns: 2 } };
  const x = { field: 'x', type: 'quantitative', title: options.xTitle, scale: { zero: false, nice: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: 420,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: options.yTitle, scale: { zero: false } }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
    ],
  } as VegaLiteSpec;
}
