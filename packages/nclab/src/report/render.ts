/**
 * Headless plot rendering: Vega-Lite spec → Vega → SVG string (`view.toSVG()`, no browser, no
 * canvas). Works in Node and in browsers (the docs' live demos use it). Vega is loaded on first
 * use so that CLI commands which draw nothing (`info`, `--help`) start fast.
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
  return svgWith(vega, vl, spec);
}

/**
 * Spec → SVG with loaded Vega and Vega-Lite modules. **Self-contained on purpose:** it references
 * nothing outside its own body, so the render worker (render-worker.ts) runs the same code from its
 * source text.
 * @param vega - the `vega` module. @param vl - the `vega-lite` module. @param spec - the specification.
 * @returns the SVG text.
 */
export async function svgWith(vega: typeof import('vega'), vl: typeof import('vega-lite'), spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
