/**
 * Headless plot rendering: Vega-Lite spec → Vega → SVG string (`view.toSVG()`, no browser, no
 * canvas), and SVG → PNG through resvg. Both libraries are loaded on first use so that CLI commands
 * which draw nothing (`info`, `--help`) start fast.
 */
import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification (re-exported type from `vega-lite`). */
export type VegaLiteSpec = TopLevelSpec;

/**
 * Renders a Vega-Lite specification to a standalone SVG document.
 *
 * @param spec - a Vega-Lite top-level spec with inline data (`data.values`).
 * @returns the SVG text (`<svg ...>...</svg>`).
 * @throws Error from Vega when the spec is invalid.
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point',
 *   encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * // svg.startsWith('<svg') === true
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterises an SVG document to PNG with resvg (system fonts).
 *
 * @param svg - SVG text.
 * @param scale - pixel scale factor relative to the SVG size (default 2, for sharp screenshots).
 * @returns PNG bytes.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white' });
  return resvg.render().asPng();
}
