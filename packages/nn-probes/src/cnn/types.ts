/** Types of the convolutional networks of `probe cnn` (VGG-style: conv blocks, then an MLP head). */
import type { Activation, LayerParams } from '../types.js';

/** One conv block: a k×k convolution (stride 1, 'same' zero padding, no bias), ReLU, then max pooling. */
export interface ConvBlockSpec {
  /** Output channels C_out. */
  readonly channels: number;
  /** Odd kernel size k (the patch is k×k). */
  readonly kernel: number;
  /** Max-pool window and stride (1 = no pooling). */
  readonly pool: number;
}

/** The architecture: image `[H, W, C]` → conv blocks → flatten (h, w, c order) → hidden FC layers → linear head. */
export interface CnnSpec {
  /** Input height, width and channels. */
  readonly inputShape: readonly [number, number, number];
  readonly blocks: readonly ConvBlockSpec[];
  /** Widths of the hidden fully connected layers (may be empty). */
  readonly hidden: readonly number[];
  readonly numClasses: number;
  /** Non-linearity of every conv block and hidden FC layer. */
  readonly activation: Activation;
}

/**
 * A network's parameters on the host. `conv[b]` is block b's kernel in PyTorch layout
 * `[C_out, C_in, k, k]` stored as the channel-mixing matrix `[C_out, C_in·k·k]` (`W.reshape(C_out, -1)`,
 * columns ordered (c_in, row, col)); `fc` are the hidden FC layers then the head (`[out, in]`). No biases.
 */
export interface CnnParams {
  readonly spec: CnnSpec;
  readonly conv: readonly LayerParams[];
  readonly fc: readonly LayerParams[];
}

/**
 * An image training set on the host: `x` is `[N, H, W, C]` row-major float32 (channels last, the tfjs
 * layout; MNIST's `[N, 784]` is already that with C = 1).
 */
export interface ImageSet {
  readonly x: Float32Array;
  readonly n: number;
  readonly shape: readonly [number, number, number];
  readonly labels: Int32Array;
  readonly numClasses: number;
}
