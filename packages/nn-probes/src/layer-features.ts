import { InvalidArgumentError, allocFloat32, assertInteger, matmul, svd, type Matrix32 } from '@nclab/backend';
import { biasActivate } from './host/mlp-pass.js';
import { layerActivation } from './mlp.js';
import type { MlpParams } from './types.js';

/**
 * Where in a hidden layer l a feature matrix is taken (the three points of the paper's Figure 2):
 * - `input`: the layer's input Φ(X_l) `[N, d_l]` (X itself for l = 0);
 * - `right`: after the right singular structure, S_l V_lᵀ Φ(X_l) `[N, k]`;
 * - `output`: after U_l and the non-linearity, σ(W_l Φ(X_l)) `[N, width]` (the next layer's input).
 * `logits` (with `layer = depth`) is the network output `[N, K]`.
 */
export type FeatureKind = 'input' | 'right' | 'output' | 'logits';

/** Options of {@link streamLayerFeatures}. */
export interface StreamFeaturesOptions {
  /** Rows per forward pass. Default 1024. */
  chunkSize?: number;
  /**
   * How the `right` features are formed. `'pre'` (default) streams the pre-activations W_l Φ(X_l) =
   * U_l (S_l V_lᵀ Φ(X_l)): U_l has orthonormal columns, so every NC metric built from traces, norms,
   * inner products or distances (tr Σ_W / tr Σ_B, NC2, NCC) is the same as for S_l V_lᵀ Φ(X_l), and no
   * SVD is needed. `'svd'` computes S_l V_lᵀ Φ(X_l) explicitly from a float64 SVD of W_l (for checks).
   */
  right?: 'pre' | 'svd';
}

/**
 * A visitor of feature chunks: `rows` is `[B, d]`, rows `start .. start + B − 1` of the data. Its
 * storage is reused for the next chunk: copy what you keep.
 */
export type FeatureVisitor = (layer: number, kind: FeatureKind, rows: Matrix32, start: number) => void;

/**
 * Runs the network over `x` in chunks and hands every layer's `input`, `right` and `output` features
 * (and the logits) to `visit`, so statistics can be accumulated without holding all activations.
 * Layers are 0-based here (`0 .. depth − 1`); the logits come with `layer = depth`.
 * @param params - the network.
 * @param x - `[N, d₀]` float32 inputs.
 * @param n - N.
 * @throws {InvalidArgumentError} when `x` has the wrong length.
 * @returns when every chunk was visited.
 * @example
 * await streamLayerFeatures(net, x, n, (l, kind, rows) => console.log(l, kind, rows.rows, rows.cols));
 */
export async function streamLayerFeatures(
  params: MlpParams,
  x: Float32Array,
  n: number,
  visit: FeatureVisitor,
  options: StreamFeaturesOptions = {},
): Promise<void> {
  const { spec } = params;
  const d0 = spec.inputDim;
  assertInteger('n', n, 1);
  if (x.length !== n * d0) throw new InvalidArgumentError('x', `of length n·d₀ = ${n * d0}`, x.length);
  const chunk = options.chunkSize ?? 1024;
  assertInteger('chunkSize', chunk, 1);
  const mode = options.right ?? 'pre';
  if (mode !== 'pre' && mode !== 'svd') throw new InvalidArgumentError('right', "'pre' or 'svd'", mode);
  // (S Vᵀ)ᵀ = V S per layer, [in, k], for the explicit mode.
  const vs = mode === 'svd'
    ? params.layers.slice(0, spec.depth).map((p): Matrix32 => {
        const { s, vt } = svd({ rows: p.outDim, cols: p.inDim, data: new Float64Array(p.weight) });
        const k = s.length;
        const m = new Float32Array(p.inDim * k);
        for (let i = 0; i < k; i++) for (let j = 0; j < p.inDim; j++) m[j * k + i] = s[i] * vt.data[i * p.inDim + j];
        return { rows: p.inDim, cols: k, data: m };
      })
    : null;
  return streamHost(params, x, n, visit, chunk, vs);
}

/**
 * The features by host products (the backend's `matmul`: BLAS `sgemm` on the native path, the engine
 * elsewhere), into buffers allocated once per call and reused by every chunk: per layer the
 * pre-activations z_l = Φ(X_l) W_lᵀ + b_l, the output σ(z_l) (the next layer's input) and, when `vs`
 * is given, the explicit right features Φ(X_l) V_l S_l.
 */
async function streamHost(params: MlpParams, x: Float32Array, n: number, visit: FeatureVisitor, chunk: number, vs: Matrix32[] | null): Promise<void> {
  const { spec } = params;
  const { depth } = spec;
  const d0 = spec.inputDim;
  const rowsMax = Math.min(n, chunk);
  // every buffer cut from one block: large enough for huge pages (a 1,024-row chunk of the paper's MLP
  // needs 11 MB, which in separate arrays faulted in 4 KiB at a time, on each of networkNc's two passes)
  const widths = [...params.layers.map((p) => p.outDim), ...params.layers.slice(0, depth).map((p) => p.outDim), ...(vs ? vs.map((v) => v.cols) : [])];
  const block = allocFloat32(rowsMax * widths.reduce((a, b) => a + b, 0));
  let offset = 0;
  const cut = (w: number): Float32Array => block.subarray(offset, (offset += rowsMax * w));
  const pre = params.layers.map((p) => cut(p.outDim)); // the last is the logits
  const out = params.layers.slice(0, depth).map((p) => cut(p.outDim));
  const right = vs ? vs.map((v) => cut(v.cols)) : null;
  for (let s = 0; s < n; s += chunk) {
    const B = Math.min(n, s + chunk) - s;
    const inputs: Matrix32[] = [{ rows: B, cols: d0, data: x.subarray(s * d0, (s + B) * d0) }];
    const pres: Matrix32[] = [];
    for (let l = 0; l <= depth; l++) {
      const p = params.layers[l];
      const z = (await matmul(inputs[l], { rows: p.outDim, cols: p.inDim, data: p.weight }, { transB: true, out: pre[l] })).data;
      biasActivate(z, B, p.outDim, p.bias, 'identity');
      pres.push({ rows: B, cols: p.outDim, data: z });
      if (l === depth) break;
      const h = out[l].subarray(0, B * p.outDim);
      h.set(z);
      biasActivate(h, B, p.outDim, null, layerActivation(spec, l));
      inputs.push({ rows: B, cols: p.outDim, data: h });
    }
    for (let l = 0; l < depth; l++) {
      visit(l, 'input', inputs[l], s);
      visit(l, 'right', vs && right ? await matmul(inputs[l], vs[l], { out: right[l] }) : pres[l], s);
      visit(l, 'output', inputs[l + 1], s);
    }
    visit(depth, 'logits', pres[depth], s);
  }
}
