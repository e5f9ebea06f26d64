import { InvalidArgumentError, assertInteger, assertPositive, createRng } from '@nclab/backend';
import { MLP_ACTIVATIONS, type Activation, type LayerParams, type MlpParams, type MlpSpec } from './types.js';

/** Options of {@link createMlp}. */
export interface CreateMlpOptions {
  /** Input dimension d₀. */
  inputDim: number;
  /** Hidden width (≥ 1). */
  width: number;
  /** Width of the first hidden layer (≥ 1). Default `width`. */
  firstWidth?: number;
  /** Number of hidden layers (≥ 1). */
  depth: number;
  /** Number of outputs K (≥ 2). */
  numClasses: number;
  /** Gain of the Xavier-uniform initialisation of the hidden layers. Default 1. Small gains (0.2–0.5) give the feature-learning regime the paper studies. */
  initScale?: number;
  /** Biases on every layer. Default false (the paper's MLPs have none). */
  bias?: boolean;
  /** Hidden non-linearity. Default `'relu'`. */
  activation?: Activation;
  /**
   * Initialisation of the linear head: `'default'` is PyTorch's `nn.Linear` default,
   * U(−1/√fan_in, 1/√fan_in) (what the paper uses for the readout); `'xavier'` uses the same
   * Xavier-uniform rule and gain as the hidden layers. Default `'default'`.
   */
  headInit?: 'default' | 'xavier';
  /** Seed of the initialisation. Default 0. */
  seed?: number;
  /** The last this many hidden layers are linear (see `MlpSpec.linearLayers`). Default 0. */
  linearLayers?: number;
}


/**
 * Validates an MLP architecture.
 * @throws {InvalidArgumentError} when a size is not a positive integer (`width`, `depth`, `inputDim` ≥ 1,
 *   `numClasses` ≥ 2) or the activation is unknown.
 * @returns the same spec.
 * @example
 * validateSpec({ inputDim: 784, width: 0, depth: 5, numClasses: 10, bias: false, activation: 'relu' }); // throws: `width`
 */
export function validateSpec(spec: MlpSpec): MlpSpec {
  assertInteger('inputDim', spec.inputDim, 1);
  assertInteger('width', spec.width, 1);
  assertInteger('depth', spec.depth, 1);
  if (spec.firstWidth !== undefined) assertInteger('firstWidth', spec.firstWidth, 1);
  assertInteger('numClasses', spec.numClasses, 2);
  if (!(MLP_ACTIVATIONS as readonly string[]).includes(spec.activation)) {
    throw new InvalidArgumentError('activation', `one of ${MLP_ACTIVATIONS.join(', ')}`, spec.activation);
  }
  if (typeof spec.bias !== 'boolean') throw new InvalidArgumentError('bias', 'a boolean', spec.bias);
  if (spec.linearLayers !== undefined) {
    assertInteger('linearLayers', spec.linearLayers, 0);
    if (spec.linearLayers > spec.depth) throw new InvalidArgumentError('linearLayers', `an integer in [0, depth = ${spec.depth}]`, spec.linearLayers);
  }
  return spec;
}

/**
 * The non-linearity hidden layer `l` applies: `spec.activation` for the first `depth − linearLayers`
 * hidden layers, `'identity'` for the last `linearLayers` hidden layers and for the head (`l = depth`).
 * @returns the activation of layer l.
 * @example
 * layerActivation({ ...spec, depth: 5, linearLayers: 2 }, 3); // returns 'identity' (layers 3, 4 and the head are linear)
 */
export function layerActivation(spec: MlpSpec, l: number): Activation {
  return l < spec.depth - (spec.linearLayers ?? 0) ? spec.activation : 'identity';
}

/** The output width of hidden layer `l` (0-based): `firstWidth` (default `width`) for l = 0, `width` after.
 * @returns the width.
 * @example
 * hiddenWidth({ ...spec, width: 64, firstWidth: 512 }, 0); // returns 512 */
export function hiddenWidth(spec: MlpSpec, l: number): number {
  return l === 0 ? (spec.firstWidth ?? spec.width) : spec.width;
}

/** The `[outDim, inDim]` shape of layer `l` (0-based; `l = depth` is the head).
 * @returns `[outDim, inDim]`.
 * @example
 * layerShape(net.spec, 0); // returns [256, 784] for a 784-256×5-10 MLP */
export function layerShape(spec: MlpSpec, l: number): [number, number] {
  const inDim = l === 0 ? spec.inputDim : hiddenWidth(spec, l - 1);
  const outDim = l === spec.depth ? spec.numClasses : hiddenWidth(spec, l);
  return [outDim, inDim];
}

/**
 * Builds a fully connected network with seeded initialisation: `depth` hidden layers
 * `x ↦ σ(W_l x (+ b_l))` of width `width` (the first of width `firstWidth` when set), then a linear head
 * `W_{L+1} x (+ b)`.
 *
 * ```math
 * W_l ~ U(−a, a),  a = g · √(6 / (fan_in + fan_out))      (Xavier-uniform with gain g = initScale)
 * W_head ~ U(−1/√fan_in, 1/√fan_in)                        (PyTorch nn.Linear default; headInit 'default')
 * ```
 * Biases (when enabled) follow PyTorch's default U(−1/√fan_in, 1/√fan_in).
 * Every layer draws from its own fork of `createRng(seed)`, so the same seed gives the same network on
 * every engine.
 *
 * @param options - architecture, `initScale`, `seed`.
 * @returns host parameters; `layers[l].weight` is `[out, in]` (PyTorch layout).
 * @throws {InvalidArgumentError} on sizes < 1, `numClasses` < 2, a non-positive `initScale`.
 * @example
 * const net = createMlp({ inputDim: 784, width: 256, depth: 5, numClasses: 10, initScale: 0.5, seed: 0 });
 * net.layers.length; // returns 6 (5 hidden + head)
 * @see Beaglehole et al. 2024, "Average gradient outer product as a mechanism for deep neural collapse", §5 and App. C.
 */
export function createMlp(options: CreateMlpOptions): MlpParams {
  const initScale = options.initScale ?? 1;
  assertPositive('initScale', initScale);
  const headInit = options.headInit ?? 'default';
  if (headInit !== 'default' && headInit !== 'xavier') {
    throw new InvalidArgumentError('headInit', "'default' or 'xavier'", headInit);
  }
  const spec = validateSpec({
    inputDim: options.inputDim,
    width: options.width,
    // only when it differs, so that specs (and checkpoints) of uniform-width networks stay as they were
    ...(options.firstWidth !== undefined && options.firstWidth !== options.width ? { firstWidth: options.firstWidth } : {}),
    depth: options.depth,
    numClasses: options.numClasses,
    bias: options.bias ?? false,
    activation: options.activation ?? 'relu',
    // only when set, so that specs (and checkpoints) of non-linear networks stay as they were
    ...(options.linearLayers ? { linearLayers: options.linearLayers } : {}),
  });
  const rng = createRng(options.seed ?? 0);
  const layers: LayerParams[] = [];
  for (let l = 0; l <= spec.depth; l++) {
    const [outDim, inDim] = layerShape(spec, l);
    const layerRng = rng.fork();
    const isHead = l === spec.depth;
    const bound = isHead && headInit === 'default' ? 1 / Math.sqrt(inDim) : initScale * Math.sqrt(6 / (inDim + outDim));
    const weight = layerRng.uniformArray(outDim * inDim, -bound, bound, Float32Array) as Float32Array;
    const bias = spec.bias
      ? (layerRng.uniformArray(outDim, -1 / Math.sqrt(inDim), 1 / Math.sqrt(inDim), Float32Array) as Float32Array)
      : null;
    layers.push({ outDim, inDim, weight, bias });
  }
  return { spec, layers };
}

/**
 * Wraps weight matrices saved elsewhere (PyTorch layout `[out, in]`, bias-free) as an MLP: the
 * hidden layers are all but the last matrix, the head is the last.
 * @param weights - `weights[l]` with `rows = out`, `cols = in`, float32 or float64 data.
 * @throws {InvalidArgumentError} when fewer than 2 matrices are given or consecutive shapes do not chain
 *   (`weights[l].cols !== weights[l-1].rows`), or hidden widths after the first differ (the first hidden
 *   layer may be wider or narrower: `firstWidth`).
 * @returns host parameters with `bias: false`.
 * @example
 * const net = mlpFromWeights([w0, w1, w2]); // 2 hidden layers and a head
 */
export function mlpFromWeights(
  weights: readonly { rows: number; cols: number; data: ArrayLike<number> }[],
  activation: Activation = 'relu',
): MlpParams {
  if (weights.length < 2) throw new InvalidArgumentError('weights', 'at least 2 matrices (one hidden layer and a head)', weights.length);
  for (let l = 1; l < weights.length; l++) {
    if (weights[l].cols !== weights[l - 1].rows) {
      throw new InvalidArgumentError(
        `weights[${l}]`,
        `of shape [*, ${weights[l - 1].rows}] to follow weights[${l - 1}] of shape [${weights[l - 1].rows}, ${weights[l - 1].cols}]`,
        `[${weights[l].rows}, ${weights[l].cols}]`,
      );
    }
  }
  const firstWidth = weights[0].rows;
  const width = weights.length > 2 ? weights[1].rows : firstWidth;
  for (let l = 2; l < weights.length - 1; l++) {
    if (weights[l].rows !== width) throw new InvalidArgumentError(`weights[${l}]`, `${width} rows (the hidden layers after the first share one width)`, weights[l].rows);
  }
  const spec = validateSpec({
    inputDim: weights[0].cols,
    width,
    ...(firstWidth !== width ? { firstWidth } : {}),
    depth: weights.length - 1,
    numClasses: weights[weights.length - 1].rows,
    bias: false,
    activation,
  });
  const layers = weights.map((w) => ({ outDim: w.rows, inDim: w.cols, weight: new Float32Array(w.data), bias: null }));
  return { spec, layers };
}

/** A deep copy of host parameters.
 * @returns an independent copy.
 * @example
 * const w0 = cloneParams(net); */
export function cloneParams(params: MlpParams): MlpParams {
  return {
    spec: { ...params.spec },
    layers: params.layers.map((p) => ({ ...p, weight: p.weight.slice(), bias: p.bias ? p.bias.slice() : null })),
  };
}
