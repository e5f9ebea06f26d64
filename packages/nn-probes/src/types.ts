/** Shared types of @nclab/nn-probes. */

/** The hidden non-linearities of the MLPs (the CLI's `--activation` choices). */
export const MLP_ACTIVATIONS = ['relu', 'tanh', 'identity'] as const;
/** Element-wise non-linearity of the hidden layers. */
export type Activation = (typeof MLP_ACTIVATIONS)[number];

/** The training losses (the CLI's `--loss` choices). */
export const LOSS_NAMES = ['mse', 'ce'] as const;
/** Training loss. `mse`: PyTorch `MSELoss` on ±1 one-hot targets; `ce`: softmax cross-entropy. */
export type LossName = (typeof LOSS_NAMES)[number];

/** The optimisers (the CLI's `--optimizer` choices). */
export const OPTIMIZER_NAMES = ['sgd', 'adamw'] as const;
/** Optimiser. `sgd` (optionally with heavy-ball momentum, PyTorch convention) or `adamw`. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The architecture of a fully connected network: `depth` hidden layers of `width` units and a linear head. */
export interface MlpSpec {
  /** Input dimension d₀ (784 for MNIST). */
  readonly inputDim: number;
  /** Hidden width (every hidden layer but the first when `firstWidth` is set). */
  readonly width: number;
  /**
   * Width of the first hidden layer (a wide first layer before a narrower stack, as in the end-to-end
   * linear-head results). Absent: `width` (every spec written before it existed).
   */
  readonly firstWidth?: number;
  /** Number of hidden layers (Linear → activation); the linear head comes on top. */
  readonly depth: number;
  /** Number of outputs K (classes). */
  readonly numClasses: number;
  /** Whether the layers carry biases (the paper's MLPs have none). */
  readonly bias: boolean;
  /** Hidden non-linearity. */
  readonly activation: Activation;
  /**
   * The last `linearLayers` hidden layers carry no non-linearity (a deep linear head of
   * `linearLayers + 1` matrices on top of the non-linear layers). Absent or 0: every hidden layer is
   * non-linear (the paper's MLPs).
   */
  readonly linearLayers?: number;
}

/**
 * One affine layer on the host, in PyTorch layout: `weight` is `[out, in]` row-major float32 and the
 * layer computes `z = W x + b` for a column vector x (for a batch of rows X: `Z = X Wᵀ + b`).
 */
export interface LayerParams {
  readonly outDim: number;
  readonly inDim: number;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
}

/** A network's parameters on the host: `layers[0..depth-1]` are the hidden layers, `layers[depth]` the head. */
export interface MlpParams {
  readonly spec: MlpSpec;
  readonly layers: readonly LayerParams[];
}

/**
 * A training set held on the host for the tfjs MLPs: `x` is `[N, d]` row-major float32 (flat, with
 * N = `n` and d = `dim`), `labels` in [0, K). (`@nclab/backend`'s `LabelledData` is the general `{ x, labels }`.)
 */
export interface TrainingSet {
  readonly x: Float32Array;
  readonly n: number;
  readonly dim: number;
  readonly labels: Int32Array;
  readonly numClasses: number;
}
