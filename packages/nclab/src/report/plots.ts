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
  /**
   * Optional class of each row (and column), samples grouped by class: draws a boundary line between
   * consecutive classes and labels each class block on both axes.
   */
  labels?: ArrayLike<number>;
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
  /** Panels per row (default: all of them up to 3, else ⌈panels / 2⌉ so that four make a 2 × 2 grid). */
  columns?: number;
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
 * Heat maps of square matrices (e.g. centred normalised Gram matrices of several layers) in a grid
 * of `columns` panels per row, with one diverging colour scale (blue–white–red, white at 0) over ONE
 * symmetric range [−R, R] shared by every panel, so panels are comparable. A panel with `labels`
 * (samples grouped by class) gets a line at each class boundary and its class labels on both axes.
 *
 * ```math
 * R = \max_{\text{panels}} \max_{i,j} |G_{ij}| \quad (\text{unless given})
 * ```
 *
 * @param panels - matrices `[n, n]` (each may have its own n) with titles.
 * @param options - title, subsampling, range.
 * @returns a Vega-Lite spec (a `concat` grid of layered panels, shared colour scale).
 * @throws {InvalidArgumentError} no panels, a non-square panel, a non-finite entry, or labels of the wrong length.
 */
export function heatmapSpec(panels: readonly HeatmapPanel[], options: HeatmapOptions): VegaLiteSpec {
  if (panels.length === 0) throw new InvalidArgumentError('panels', 'a non-empty list of matrices', 0);
  const maxSide = options.maxSide ?? 60;
  let maxAbs = 0;
  const prepared = panels.map((panel, p) => {
    const n = panel.values.length;
    if (panel.labels && panel.labels.length !== n) throw new InvalidArgumentError(`panels[${p}].labels`, `${n} labels (one per row)`, panel.labels.length);
    const keep = strideIndices(n, maxSide);
    const cells: { i: number; j: number; i1: number; j1: number; v: number }[] = [];
    for (let a = 0; a < keep.length; a++) {
      const row = panel.values[keep[a]];
      if (row.length !== n) throw new InvalidArgumentError(`panels[${p}].values`, `square (${n} × ${n})`, `row ${keep[a]} of length ${row.length}`);
      for (let b = 0; b < keep.length; b++) {
        const v = row[keep[b]];
        if (!Number.isFinite(v)) throw new InvalidArgumentError(`panels[${p}].values`, 'finite', v, `at [${keep[a]}, ${keep[b]}]`);
        if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
        cells.push({ i: a, j: b, i1: a + 1, j1: b + 1, v });
      }
    }
    const blocks = panel.labels ? classBlocks(keep.map((k) => panel.labels![k])) : [];
    return { title: keep.length < n ? `${panel.title} (1 in ${Math.ceil(n / maxSide)} samples)` : panel.title, cells, m: keep.length, blocks };
  });
  const range = options.range ?? (maxAbs > 0 ? maxAbs : 1);
  const size = options.panelSize ?? 220;
  const columns = options.columns ?? (prepared.length <= 3 ? prepared.length : Math.ceil(prepared.length / 2));
  return {
    $schema: SCHEMA,
    title: options.title,
    columns,
    concat: prepared.map((p) => {
      // cell (i, j) covers [j, j + 1] × [i, i + 1]; row 0 at the top
      const axis = (orient: 'bottom' | 'left') => p.blocks.length
        ? { orient, title: 'class', values: p.blocks.map((b) => (b.start + b.end) / 2), labelExpr: labelExpr(p.blocks), ticks: false, domain: false, grid: false, labelFontSize: 9, labelOverlap: false, tickCount: p.blocks.length }
        : null;
      const x = { field: 'j', type: 'quantitative', scale: { domain: [0, p.m], nice: false, zero: false }, axis: axis('bottom') };
      const y = { field: 'i', type: 'quantitative', scale: { domain: [0, p.m], nice: false, zero: false, reverse: true }, axis: axis('left') };
      const boundaries = p.blocks.slice(1).flatMap((b) => [
        { x: b.start, x2: b.start, y: 0, y2: p.m },
        { x: 0, x2: p.m, y: b.start, y2: b.start },
      ]);
      const heat = {
        data: { values: p.cells },
        // no per-cell ARIA labels: they would triple the size of the SVG
        mark: { type: 'rect', aria: false },
        encoding: {
          x,
          x2: { field: 'j1' },
          y,
          y2: { field: 'i1' },
          color: {
            field: 'v',
            type: 'quantitative',
            title: options.legendTitle ?? 'value',
            scale: { scheme: 'redblue', reverse: true, domain: [-range, range], domainMid: 0, clamp: true },
          },
        },
      };
      const rules = {
        data: { values: boundaries },
        mark: { type: 'rule', color: '#1f2328', strokeWidth: 0.8, aria: false },
        encoding: { x: { field: 'x', type: 'quantitative' }, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative' }, y2: { field: 'y2' } },
      };
      return { title: p.title, width: size, height: size, layer: boundaries.length ? [heat, rules] : [heat] };
    }),
    resolve: { scale: { color: 'shared' } },
    config: { view: { stroke: null } },
  } as VegaLiteSpec;
}

/** Runs of equal consecutive labels: `[start, end)` in drawn-row units, with the label. */
function classBlocks(labels: readonly number[]): { label: number; start: number; end: number }[] {
  const out: { label: number; start: number; end: number }[] = [];
  for (let i = 0; i < labels.length; i++) {
    const last = out[out.length - 1];
    if (last && last.label === labels[i]) last.end = i + 1;
    else out.push({ label: labels[i], start: i, end: i + 1 });
  }
  return out;
}

/** A Vega expression that prints each block's class label at its centre tick. */
function labelExpr(blocks: readonly { label: number; start: number; end: number }[]): string {
  return `${blocks.map((b) => `datum.value == ${(b.start + b.end) / 2} ? '${b.label}' : `).join('')}''`;
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
