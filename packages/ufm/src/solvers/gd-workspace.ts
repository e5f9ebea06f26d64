import { axpy, resolveLinalg, type GemmOptions, type LinalgImpl } from '@nclab/backend/host';
import type { GdBuffers } from '../objective.js';

/*
 * The gradient-descent update x ← x − η g as one native product: with x and g adjacent rows of a
 * 2×n block, x_next = [1, −η] · [x; g] (a 1×2×n `gemm` into the other half of a ping-pong
 * workspace). OpenBLAS runs it vectorised; V8 runs the plain loop scalar. Measured 2026-12-03 on
 * the project's 2-core Xeon (Node 20, load 3.5, OPENBLAS_CORETYPE unset), n = 76 928 (the deep-linear
 * benchmark's parameter count), per update: JS loop 125–140 µs, native product 20–31 µs (52 µs with
 * OPENBLAS_CORETYPE=Haswell). Smaller n (load 10, best of 3, unpinned / pinned native):
 * n = 256: loop 0.55 µs, native 0.23 / 0.48; 512: 1.1–1.3, 0.25 / 0.55; 2 048: 4.4, 0.71 / 1.56;
 * 16 384: 35–36, 3.1 / 10.5. The crossover lies near 256 elements; GD_NATIVE_MIN leaves a margin.
 * The portable path keeps a loop, the backend's `axpy`. On an objective's arena buffers
 * (`gdBuffers`, both paths) the update is the arena's WebAssembly SIMD axpy, with the loop's bits:
 * 77k entries in 18 µs (measured in a whole-step profile, 2026-12-04), as fast as the native product.
 */
/** Smallest parameter count whose update goes through the native product. */
export const GD_NATIVE_MIN = 512;

/** The iterate and gradient buffers of a gradient-descent solve, and its update step. */
export interface GdWorkspace {
  /** Current iterate (a view; changes identity after `step` on the native route). */
  readonly x: Float64Array;
  /** Gradient buffer paired with `x` (the objective writes ∇f(x) here). */
  readonly g: Float64Array;
  /** x ← x − η g (then `x`, `g` name the new pair). */
  step(): void;
}

/**
 * One preallocated workspace for a gradient-descent solve: `x` (starting at `x0`) and `g`. With the
 * objective's `buffers` (its kernel arena) it runs on them, the update as the arena's SIMD axpy; else
 * the update runs as a native 1×2×n product above {@link GD_NATIVE_MIN} parameters on the native
 * path (two [x | g] halves used in turn), or as a loop in place. Nothing is allocated per step.
 * @param x0 - starting point (copied).
 * @param lr - step size η.
 * @param buffers - the objective's arena pair (used when its length is x0's).
 * @returns the workspace.
 */
export function gdWorkspace(x0: Float64Array, lr: number, buffers?: GdBuffers): GdWorkspace {
  const n = x0.length;
  if (buffers && buffers.x.length === n && buffers.g.length === n) {
    const { x, g } = buffers;
    x.set(x0);
    g.fill(0);
    return { x, g, step() { buffers.axpy(-lr, g, x); } };
  }
  let impl: LinalgImpl | null = null;
  if (n >= GD_NATIVE_MIN) {
    try {
      const r = resolveLinalg();
      if (r.path === 'native') impl = r;
    } catch {
      impl = null;
    }
  }
  if (impl === null) {
    const x = Float64Array.from(x0);
    const g = new Float64Array(n);
    return {
      x,
      g,
      step() {
        // the backend's axpy, not a loop here: V8 specialises a closure's loop to its first instance
        // only, and a solve after the first ran this one at 2.3 ns an entry (0.7 through axpy)
        axpy(-lr, g, x);
      },
    };
  }
  const native = impl;
  const buf = new Float64Array(4 * n);
  buf.set(x0);
  const halves = [buf.subarray(0, 2 * n), buf.subarray(2 * n)];
  const xs = [halves[0].subarray(0, n), halves[1].subarray(0, n)];
  const gs = [halves[0].subarray(n), halves[1].subarray(n)];
  const coef = { rows: 1, cols: 2, data: Float64Array.of(1, -lr) };
  const blocks = halves.map((data) => ({ rows: 2, cols: n, data }));
  const opts: GemmOptions[] = [{ out: xs[1] }, { out: xs[0] }];
  let cur = 0;
  return {
    get x() { return xs[cur]; },
    get g() { return gs[cur]; },
    step() {
      native.gemm(coef, blocks[cur], opts[cur]);
      cur = 1 - cur;
    },
  };
}
