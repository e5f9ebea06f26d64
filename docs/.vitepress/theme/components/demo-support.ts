/**
 * Helpers shared by the live demos: start a tfjs engine in the page (wasm, falling back to cpu),
 * load the demo MNIST subset, and render Vega-Lite specs to inline SVG with nclab's renderer.
 * Everything is imported lazily, on the first click, so the pages load fast and render on the server.
 */
import { withBase } from 'vitepress';

/** Starts the wasm engine (binaries served from /demo-data/), or cpu when wasm cannot start. */
export async function startEngine(): Promise<string> {
  // Node's setImmediate (used by some package code to yield between layers) is missing in browsers
  const g = globalThis as { setImmediate?: (fn: (...a: unknown[]) => void, ...a: unknown[]) => unknown };
  g.setImmediate ??= (fn, ...a) => setTimeout(fn, 0, ...a);
  // …and so is `process` (read for `process.version` in result metadata); a minimal stand-in with
  // no `versions.node`, so code that detects Node still sees a browser
  const p = globalThis as { process?: { env: Record<string, string>; version: string } };
  p.process ??= { env: {}, version: 'browser' };
  const backend = await import('@nclab/backend');
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(new URL(withBase('/demo-data/'), window.location.href).href);
    const info = await backend.initEngine({ engine: 'wasm' });
    return `${info.name} (tfjs ${info.version})`;
  } catch (e) {
    const info = await backend.initEngine({ engine: 'cpu' });
    return `${info.name} (tfjs ${info.version}; wasm unavailable: ${(e as Error).message})`;
  }
}

/** The first `perClass` images of each digit from the demo subset (pixels scaled to [0, 1]). */
export async function loadDemoMnist(perClass: number): Promise<{ x: { rows: number; cols: number; data: Float64Array }; labels: Int32Array }> {
  const res = await fetch(withBase('/demo-data/mnist-300.bin'));
  if (!res.ok) throw new Error(`demo data missing (${res.status}); run \`npm run -w docs demo-data\``);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const n = 300;
  const d = 784;
  const rows: number[] = [];
  const taken = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (taken[c] < perClass) {
      taken[c]++;
      rows.push(i);
    }
  }
  rows.sort((a, b) => bytes[a] - bytes[b] || a - b);
  const data = new Float64Array(rows.length * d);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    labels[i] = bytes[r];
    for (let j = 0; j < d; j++) data[i * d + j] = bytes[n + r * d + j] / 255;
  });
  return { x: { rows: rows.length, cols: d, data }, labels };
}

/** Renders a Vega-Lite spec to an SVG string with nclab's headless renderer. */
export async function svgOf(spec: unknown): Promise<string> {
  const { renderSvg } = await import('../../../../packages/nclab/src/report/render');
  return renderSvg(spec as never);
}
