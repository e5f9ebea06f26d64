/**
 * SVG → PNG through resvg (a native Node addon; Node only, kept apart from the browser-safe renderer).
 */

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
