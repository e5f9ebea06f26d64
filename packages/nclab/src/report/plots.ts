/**
 * Vega-Lite specifications for the plots nclab reports draw. Pure functions: data in, spec out;
 * rendering is {@link renderSvg}'s job.
 */
import { InvalidArgumentError } from '@nclab/backend';
import type { VegaLiteSpec } from './render.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One point of a line chart: `series` names the curve. */
export interface CurvePoint {
  x: number;
  y: number | null;
  series: string;
}

/** Options of {@link lineChartSpec}. */
export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Log-scale y axis. Points with y ≤ 0 or non-finite y are dropped (a log axis cannot show them). */
  logY?: boolean;
  /** x values are integers (layers, epochs): ticks without fractions. */
  integerX?: boolean;
  /** Draw points on the lines (default true). */
  points?: boolean;
  width?: number;
  height?: number;
}

/**
 * A multi-series line chart (one colour per `series`), optionally with a log y axis.
 *
 * @param points - `[{x, y, series}]`; null or non-finite y are dropped, and y ≤ 0 too when `logY`.
 * @param options - titles, axis scale, size.
 * @returns a Vega-Lite spec with inline data.
 * @example
 * lineChartSpec([{ x: 1, y: 0.5, series: 'input' }, { x: 2, y: 0.05, series: 'input' }],
 *   { title: 'NC1 per layer', xTitle: 'layer', yTitle: 'tr Σ_W / tr Σ_B', logY: true });
 */
export function lineChartSpec(points: readonly CurvePoint[], options: LineChartOptions): VegaLiteSpec {
  const values = points.filter((p) => p.y !== null && Number.isFinite(p.y) && (!options.logY || (p.y as number) > 0));
  const order = [...new Set(points.map((p) => p.series))];
  return {
    $schema: SCHEMA,
    title: options.title,
    width: options.width ?? 420,
    height: options.height ?? 260,
    data: { values: values.map((p) => ({ ...p })) },
    mark: { type: 'line', point: options.points ?? true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: options.xTitle,
        axis: options.integerX ? { tickMinStep: 1, format: 'd' } : {},
        scale: { zero: false, nice: false },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yTitle,
        scale: options.logY ? { type: 'log' } : { zero: false },
        // plain numbers on log axes (`2`, `0.01`, `1e-7`), not `2e+0`
        axis: options.logY ? { format: '~g' } : {},
      },
      // hue and dash differ per curve: readable in greyscale and without colour vision (Vega-Lite drops `shape` on line marks)
      color: { field: 'series', type: 'nominal', title: null, sort: order, legend: { orient: 'top', labelLimit: 320, columns: 2 } },
      strokeDash: { field: 'series', type: 'nominal', title: null, sort: order, legend: { orient: 'top', labelLimit: 320, columns: 2 } },
    },
  } as VegaLiteSpec;
}

/** One heat map panel: a square matrix as nested rows, and its title. */
export interface HeatmapPanel {
  title: string;
  /** `[n, n]` values, row-major nested arrays. */
  values: ArrayLike<number>[];
}

/** Options of {@link heatmapSpec}. */
export interface HeatmapOptions {
  title: string;
  /** Largest side drawn; larger matrices are subsampled with a uniform stride (default 60). */
  maxSide?: number;
  /** Symmetric colour range [−range, range]; default max |value| over all panels. */
  range?: number;
  /** Pixel size of one panel (default 220). */
  panelSize?: number;
  /** Legend title (default 'value'). */
  legendTitle?: string;
}

/**
 * Indices kept when a side of length `n` is subsampled to at most `maxSide` entries with a
 * uniform stride ⌈n / maxSide⌉ (first index 0).
 */
export function strideIndices(n: number, maxSide: number): number[] {
  const stride = Math.max(1, Math.ceil(n / Math.max(1, maxSide)));
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) out.push(i);
  return out;
}

/**
 * Side-by-side heat maps of square matrices (e.g. centred normalised Gram matrices of several
 * layers) with one diverging colour scale (blue–white–red, white at 0) over ONE symmetric range
 * [−R, R] shared by every panel, so panels are comparable.
 *
 * ```math
 * R = \max_{\text{panels}} \max_{i,j} |G_{ij}| \quad (\text{unless given})
 * ```
 *
 * @param panels - matrices `[n, n]` (each may have its own n) with titles.
 * @param options - title, subsampling, range.
 * @returns a Vega-Lite spec (horizontal concatenation, shared colour scale).
 * @throws {InvalidArgumentError} no panels, a non-square panel, or a non-finite entry.
 */
export function heatmapSpec(panels: readonly HeatmapPanel[], options: HeatmapOptions): VegaLiteSpec {
  if (panels.length === 0) throw new InvalidArgumentError('panels', 'a non-empty list of matrices', 0);
  const maxSide = options.maxSide ?? 60;
  let maxAbs = 0;
  const prepared = panels.map((panel, p) => {
    const n = panel.values.length;
    const keep = strideIndices(n, maxSide);
    const cells: { i: number; j: number; v: number }[] = [];
    for (let a = 0; a < keep.length; a++) {
      const row = panel.values[keep[a]];
      if (row.length !== n) throw new InvalidArgumentError(`panels[${p}].values`, `square (${n} × ${n})`, `row ${keep[a]} of length ${row.length}`);
      for (let b = 0; b < keep.length; b++) {
        const v = row[keep[b]];
        if (!Number.isFinite(v)) throw new InvalidArgumentError(`panels[${p}].values`, 'finite', v, `at [${keep[a]}, ${keep[b]}]`);
        if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
        cells.push({ i: a, j: b, v });
      }
    }
    return { title: keep.length < n ? `${panel.title} (1 in ${Math.ceil(n / maxSide)} samples)` : panel.title, cells };
  });
  const range = options.range ?? (maxAbs > 0 ? maxAbs : 1);
  const size = options.panelSize ?? 220;
  return {
    $schema: SCHEMA,
    title: options.title,
    hconcat: prepared.map((p) => ({
      title: p.title,
      width: size,
      height: size,
      data: { values: p.cells },
      // no per-cell ARIA labels: they would triple the size of the SVG
      mark: { type: 'rect', aria: false },
      encoding: {
        x: { field: 'j', type: 'ordinal', axis: null },
        y: { field: 'i', type: 'ordinal', axis: null },
        color: {
          field: 'v',
          type: 'quantitative',
          title: options.legendTitle ?? 'value',
          scale: { scheme: 'redblue', reverse: true, domain: [-range, range], domainMid: 0, clamp: true },
        },
      },
    })),
    resolve: { scale: { color: 'shared' } },
    config: { view: { stroke: null } },
  } as VegaLiteSpec;
}

/** Options of {@link barChartSpec}. */
export interface BarChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logY?: boolean;
}

/**
 * A bar chart of labelled values (e.g. Hessian outlier eigenvalues).
 *
 * @param bars - `[{label, value, group?}]`.
 * @param options - titles and y scale.
 * @returns a Vega-Lite spec.
 */
export function barChartSpec(bars: readonly { label: string; value: number; group?: string }[], options: BarChartOptions): VegaLiteSpec {
  const values = bars.filter((b) => Number.isFinite(b.value) && (!options.logY || b.value > 0)).map((b) => ({ ...b, group: b.group ?? '' }));
  return {
    $schema: SCHEMA,
    title: options.title,
    width: 420,
    height: 240,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'label', type: 'ordinal', title: options.xTitle, sort: null },
      y: { field: 'value', type: 'quantitative', title: options.yTitle, scale: options.logY ? { type: 'log' } : {} },
      color: { field: 'group', type: 'nominal', title: null, legend: values.some((v) => v.group) ? { orient: 'top' } : null },
    },
  } as VegaLiteSpec;
}
