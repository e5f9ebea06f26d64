/**
 * The bench-file contract: `packages/X/bench/NAME.bench.ts` default-exports `defineBench({...})`.
 */

/** What the harness needs to run the NumPy peer of a benchmark. */
export interface PeerSpec<Ctx = unknown> {
  /** File name under `tools/bench/peers/`, e.g. `datasets_mnist_subset.py`. */
  script: string;
  /** Extra command-line arguments, fixed or computed from the setup context. */
  args?: string[] | ((ctx: Ctx) => string[]);
}

/** One benchmark: our code (timed in-process) against an optional NumPy peer script. */
export interface BenchSpec<Ctx = unknown> {
  /** Unique, stable name, e.g. `datasets:mnist-subset:n=5000`. */
  name: string;
  /** The NumPy peer doing the same work on the same input; omitted = ours only. */
  peer?: PeerSpec<Ctx>;
  /**
   * A PyTorch (CPU) peer doing the same work, run beside the NumPy one with the same arguments
   * scheme (fixed args, then `ctx.peerArgs`), under a Python that imports torch (see `probeTorch`).
   * It should call `torch.set_num_threads(int(os.environ["NCLAB_BENCH_THREADS"]))`.
   */
  torchPeer?: PeerSpec<Ctx>;
  /**
   * Builds inputs outside the timed region. If the returned object has `peerArgs: string[]`
   * (e.g. `['--input', '/tmp/x.npy']`), those are appended to the peer's arguments.
   */
  setup?: () => Promise<Ctx> | Ctx;
  /** The timed work. Return the result so it cannot be optimised away (and for `compare`). */
  run: (ctx: Ctx) => Promise<unknown> | unknown;
  /** Timed repetitions after the warm-up (default 5). The peer receives it as `NCLAB_BENCH_REPEATS`. */
  repeats?: number;
  /**
   * Untimed runs before the timed ones (default 1). V8 needs several runs of a long function to reach
   * optimised code: raise it to time the steady state, and say so with the figure (a one-shot user
   * pays the slower first runs).
   */
  warmup?: number;
  /**
   * Floating-point operations of one run (e.g. 2n³ for an n×n product): the table then shows GFLOP/s
   * of ours and of each peer beside the times. State the count you use in the bench's doc comment.
   */
  flops?: number;
  /**
   * CPU seconds of one run, read from its result, for a bench whose work runs in a child process
   * (see `runNodeProcess`): the harness's own `process.cpuUsage()` sees only this process.
   */
  cpuSeconds?: (result: unknown) => number;
  /** Releases what `setup` made (temp files, engine memory). */
  teardown?: (ctx: Ctx) => Promise<void> | void;
  /**
   * Checks that ours and the peer computed the same thing, from our last `run` result and the
   * peer's JSON `result`; `detail` is printed in the table.
   */
  compare?: (ours: unknown, peerResult: unknown) => { ok: boolean; detail: string };
}

/** A validated bench spec (what a bench file default-exports). */
export type Bench<Ctx = unknown> = Readonly<BenchSpec<Ctx>> & { readonly __nclabBench: true };

/**
 * Declares a benchmark; validates the spec eagerly so a malformed bench file fails at import.
 * @param spec - see {@link BenchSpec}.
 * @returns the same spec, marked as a bench.
 * @throws {TypeError} when `name` is empty, `run` is not a function, `repeats` is not a positive integer, `flops` is not positive,
 *   `warmup` is not a non-negative integer, or `peer.script` / `torchPeer.script` is not a `.py` file name.
 * @example
 * export default defineBench({
 *   name: 'datasets:mnist-subset:n=5000',
 *   peer: { script: 'datasets_mnist_subset.py' },
 *   setup: async () => ({ peerArgs: ['--per-class', '500'] }),
 *   run: () => loadMnist({ perClass: 500 }),
 * });
 */
export function defineBench<Ctx>(spec: BenchSpec<Ctx>): Bench<Ctx> {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('invalid argument. `spec` must be an object.');
  if (typeof spec.name !== 'string' || spec.name.trim() === '') {
    throw new TypeError(`invalid argument. \`name\` must be a non-empty string. Value: \`${String(spec.name)}\`.`);
  }
  if (typeof spec.run !== 'function') throw new TypeError(`invalid argument. \`run\` of bench "${spec.name}" must be a function.`);
  if (spec.repeats !== undefined && (!Number.isInteger(spec.repeats) || spec.repeats < 1)) {
    throw new TypeError(`invalid argument. \`repeats\` of bench "${spec.name}" must be a positive integer. Value: \`${spec.repeats}\`.`);
  }
  if (spec.flops !== undefined && !(Number.isFinite(spec.flops) && spec.flops > 0)) {
    throw new TypeError(`invalid argument. \`flops\` of bench "${spec.name}" must be a positive number. Value: \`${spec.flops}\`.`);
  }
  if (spec.cpuSeconds !== undefined && typeof spec.cpuSeconds !== 'function') {
    throw new TypeError(`invalid argument. \`cpuSeconds\` of bench "${spec.name}" must be a function.`);
  }
  if (spec.warmup !== undefined && (!Number.isInteger(spec.warmup) || spec.warmup < 0)) {
    throw new TypeError(`invalid argument. \`warmup\` of bench "${spec.name}" must be a non-negative integer. Value: \`${spec.warmup}\`.`);
  }
  for (const key of ['peer', 'torchPeer'] as const) {
    const p = spec[key];
    if (p === undefined) continue;
    const s = p.script;
    if (typeof s !== 'string' || !/^[\w.-]+\.py$/.test(s)) {
      throw new TypeError(`invalid argument. \`${key}.script\` of bench "${spec.name}" must be a file name under tools/bench/peers ending in .py. Value: \`${String(s)}\`.`);
    }
  }
  return Object.freeze({ ...spec, __nclabBench: true as const });
}

/** True when `v` came from {@link defineBench}. */
export function isBench(v: unknown): v is Bench<unknown> {
  return typeof v === 'object' && v !== null && (v as { __nclabBench?: unknown }).__nclabBench === true;
}
