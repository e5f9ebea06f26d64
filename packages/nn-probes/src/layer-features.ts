import { InvalidArgumentError, assertInteger, getTf, svd, type Matrix32, type Tf } from '@nclab/backend';
import { activate, forward, toTfNetwork, type Tensor2D } from './network.js';
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

/** A visitor of feature chunks: `rows` is `[B, d]`, rows `start .. start + B − 1` of the data. */
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
  const tf = getTf() as Tf;
  const { spec } = params;
  const d0 = spec.inputDim;
  assertInteger('n', n, 1);
  if (x.length !== n * d0) throw new InvalidArgumentError('x', `of length n·d₀ = ${n * d0}`, x.length);
  const chunk = options.chunkSize ?? 1024;
  assertInteger('chunkSize', chunk, 1);
  const mode = options.right ?? 'pre';
  const net = toTfNetwork(params);
  // (S Vᵀ)ᵀ = V S per layer, [in, k], for the explicit mode.
  const vs = mode === 'svd'
    ? params.layers.slice(0, spec.depth).map((p) => {
        const { s, vt } = svd({ rows: p.outDim, cols: p.inDim, data: new Float64Array(p.weight) });
        const k = s.length;
        const m = new Float32Array(p.inDim * k);
        for (let i = 0; i < k; i++) for (let j = 0; j < p.inDim; j++) m[j * k + i] = s[i] * vt.data[i * p.inDim + j];
        return tf.tensor2d(m, [p.inDim, k]);
      })
    : null;
  const emit = async (layer: number, kind: FeatureKind, t: Tensor2D, start: number): Promise<void> => {
    const [rows, cols] = t.shape;
    visit(layer, kind, { rows, cols, data: (await t.data()) as Float32Array }, start);
  };
  try {
    for (let s = 0; s < n; s += chunk) {
      const e = Math.min(n, s + chunk);
      const xb = tf.tensor2d(x.subarray(s * d0, e * d0), [e - s, d0]);
      // Everything the chunk needs, kept by tidy; every other intermediate is released.
      const kept = tf.tidy(() => {
        const trace = { inputs: [] as Tensor2D[], pre: [] as Tensor2D[] };
        const logits = forward(net, xb, undefined, trace);
        const lastOut = activate(trace.pre[spec.depth - 1], layerActivation(spec, spec.depth - 1));
        const right = vs ? trace.inputs.map((h, l) => tf.matMul(h, vs[l])) : trace.pre;
        return [logits, lastOut, ...trace.inputs, ...right];
      }) as Tensor2D[];
      const depth = spec.depth;
      const logits = kept[0];
      const inputs = kept.slice(2, 2 + depth);
      const right = kept.slice(2 + depth);
      for (let l = 0; l < depth; l++) {
        await emit(l, 'input', inputs[l], s);
        await emit(l, 'right', right[l], s);
        await emit(l, 'output', l + 1 < depth ? inputs[l + 1] : kept[1], s);
      }
      await emit(depth, 'logits', logits, s);
      tf.dispose([...new Set([xb, ...kept])]);
    }
  } finally {
    net.dispose();
    if (vs) tf.dispose(vs);
  }
}
