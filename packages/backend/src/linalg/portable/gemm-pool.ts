/**
 * Synchronous multi-threaded GEMM (float64 and float32) for the portable path in Node.
 *
 * The linear-algebra API is synchronous, so the main thread posts a job to worker threads (each with its
 * own WebAssembly instance of the same kernel, see gemm-rows.ts), takes row chunks itself from a
 * shared atomic counter, and then blocks in `Atomics.wait` until every worker that took part has
 * finished. Chunks are handed out dynamically, so a busy core only slows its own share; a worker that
 * has not started yet simply finds no chunk left, so the main thread never waits on a missing worker.
 * Operands must live in `SharedArrayBuffer`s; the caller copies them there when they do not.
 */
import { NumericalError } from '../../errors/errors.js';
import { builtinModule } from '../../runtime/node.js';
import { registerPoolCloser } from '../../runtime/pools.js';
import { HUGE_PAGE_MIN_BYTES, hugePageAdvice } from '../../runtime/huge-pages.js';
import { poolSize } from '../../runtime/threads.js';
import { createGemmRunner, type GemmJob, type GemmRunner } from './gemm-rows.js';

// ctl (Int32Array of a job): [0] next chunk, [1] workers entered, [2] workers finished, [3] a worker failed,
// [4] chunks run by workers. ready (Int32Array of the pool): [0] workers started.
// \`__name\` is the helper some TypeScript transforms (esbuild keepNames) insert into function source.
const WORKER_SOURCE = (runnerSource: string): string => `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f;
const createGemmRunner = ${runnerSource};
const runner = createGemmRunner(workerData.module);
const view = (v) => (v.f32 ? new Float32Array(v.buffer, v.byteOffset, v.length) : new Float64Array(v.buffer, v.byteOffset, v.length));
const ready = new Int32Array(workerData.ready);
Atomics.add(ready, 0, 1);
Atomics.notify(ready, 0);
parentPort.on('message', (msg) => {
  const ctl = new Int32Array(msg.ctl);
  Atomics.add(ctl, 1, 1);
  try {
    const job = { ...msg.job, a: view(msg.job.a), b: view(msg.job.b), c: view(msg.job.c) };
    for (;;) {
      const t = Atomics.add(ctl, 0, 1);
      if (t >= msg.bounds.length - 1) break;
      runner.run(job, msg.bounds[t], msg.bounds[t + 1]);
      Atomics.add(ctl, 4, 1);
    }
  } catch (e) {
    Atomics.store(ctl, 3, 1);
  }
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
});
`;

interface WorkerLike {
  postMessage(msg: unknown): void;
  on(event: 'error', fn: (e: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface Pool {
  workers: WorkerLike[];
  main: GemmRunner;
  /** [0]: number of workers that have started. */
  ready: Int32Array;
}

let pool: Pool | null | undefined;

/** Worker threads to use besides the main thread (0: run single-threaded). */
function workerCount(): number {
  const g = globalThis as { SharedArrayBuffer?: unknown; Atomics?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function' || typeof g.Atomics !== 'object') return 0;
  return Math.max(0, poolSize() - 1);
}

function createPool(module: WebAssembly.Module): Pool | null {
  const count = workerCount();
  if (count === 0) return null;
  const wt = builtinModule<{ Worker: new (src: string, o: object) => WorkerLike }>('worker_threads');
  if (!wt) return null;
  registerPoolCloser(closeGemmPool);
  try {
    const src = WORKER_SOURCE(createGemmRunner.toString());
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const workers: WorkerLike[] = [];
    for (let i = 0; i < count; i++) {
      const w = new wt.Worker(src, { eval: true, workerData: { module, ready: ready.buffer } });
      // a worker that fails to start only stops taking chunks; later products run on the main thread
      w.on('error', () => {
        pool = null;
      });
      w.unref();
      workers.push(w);
    }
    return { workers, main: createGemmRunner(module), ready };
  } catch {
    return null;
  }
}

/** Row chunk boundaries: about four chunks per thread, multiples of 4 rows, at least 64 rows each. */
function chunkBounds(job: GemmJob, threads: number): Int32Array {
  const { m, lower } = job;
  const parts = Math.max(1, Math.min(4 * threads, Math.floor(m / 64)));
  const bounds = [0];
  for (let p = 1; p < parts; p++) {
    // equal work: rows for a full product; for a lower triangle, work up to row i grows like i²
    const frac = lower ? Math.sqrt(p / parts) : p / parts;
    const r = Math.min(m, Math.max(bounds[bounds.length - 1] + 4, Math.round((frac * m) / 4) * 4));
    if (r < m) bounds.push(r);
  }
  bounds.push(m);
  return Int32Array.from(bounds);
}

type F = Float64Array | Float32Array;

/** Whether `x` lies in a SharedArrayBuffer (false where the engine has none, e.g. a page that is not cross-origin isolated). */
export function isShared(x: F): boolean {
  return typeof SharedArrayBuffer === 'function' && x.buffer instanceof SharedArrayBuffer;
}

/** A zeroed array of `length` elements of `type` in a SharedArrayBuffer. */
export function sharedArray<T extends F>(type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT));
}

/** Whether {@link poolArray} puts an array of `bytes` in shared memory (large, and the pool runs threads). */
export function poolShares(bytes: number): boolean {
  return bytes >= HUGE_PAGE_MIN_BYTES && workerCount() > 0;
}

/**
 * A zeroed array for a large result of the portable path (a product, a Gram, a Cholesky factor):
 * from {@link HUGE_PAGE_MIN_BYTES} and where the pool runs threads, in a SharedArrayBuffer advised
 * onto huge pages, so that later threaded products read or write it in place instead of staging a
 * copy (a portable Deep RFM layer at N = 5,000 staged 200 MB copies of its kernel matrix: 1.8 s of
 * its 21 s, measured in a profile of one run); else a plain array. Callers see an ordinary typed array.
 */
export function poolArray<T extends F>(type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  if (!poolShares(length * type.BYTES_PER_ELEMENT)) return new type(length);
  const out = sharedArray(type, length);
  hugePageAdvice(out);
  return out;
}

/**
 * Staging SharedArrayBuffers for operands that are not shared (slots: A, B, C), kept between products
 * when at most this size. A fresh SharedArrayBuffer's pages fault in on first write, about 12 µs a
 * 4 KiB page on the project's VMs: a portable Deep RFM layer at N = 5,000 copied 2.36 GB into fresh
 * ones over 156 products (the N×N kernel among them); with these buffers kept the layer took 16.9 s
 * instead of 20.7 s and peaked at 1.7 GB instead of 3.2 GB (the process bench, one run each). Larger
 * operands get a fresh buffer per product, freed with it, so the pool never holds N×N buffers of a
 * large N. Released by {@link closeGemmPool}.
 */
export const STAGING_KEEP_BYTES = 256 << 20;

const staging: (SharedArrayBuffer | null)[] = [null, null, null];

/** A copy of `src` in a SharedArrayBuffer of the same element type: slot `slot`'s kept buffer when it fits. */
function sharedCopy(src: F, slot: 0 | 1 | 2): F {
  const bytes = src.byteLength;
  let buf = staging[slot];
  const fresh = buf === null || buf.byteLength < bytes;
  if (fresh) {
    buf = new SharedArrayBuffer(bytes);
    if (bytes <= STAGING_KEEP_BYTES) staging[slot] = buf;
  }
  const out = src instanceof Float32Array ? new Float32Array(buf!, 0, src.length) : new Float64Array(buf!, 0, src.length);
  // a new buffer's pages: on huge pages from 4 MiB, as allocFloat64's (advised before the first write)
  if (fresh && bytes >= HUGE_PAGE_MIN_BYTES) hugePageAdvice(out);
  out.set(src);
  return out;
}

/**
 * Blocks until the pool's workers have started (at most `timeoutMs`); returns how many have.
 * Products never wait for workers (the main thread takes every chunk no worker has taken); this is
 * for warming the pool up before timing, and for tests.
 */
export function waitForGemmWorkers(module: WebAssembly.Module, timeoutMs = 10_000): number {
  if (pool === undefined) pool = createPool(module);
  if (!pool) return 0;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const n = Atomics.load(pool.ready, 0);
    if (n >= pool.workers.length || Date.now() >= end) return n;
    Atomics.wait(pool.ready, 0, n, Math.max(1, end - Date.now()));
  }
}

/**
 * Runs `job` across the main thread and the worker pool when the pool is available; returns -1
 * (having done nothing) when it is not, so the caller runs single-threaded, else the number of
 * row chunks the workers ran. `mainThread: false` (for tests) leaves every chunk to the workers.
 * Operands that are not in SharedArrayBuffers are copied there (and C copied back).
 * @throws {NumericalError} when a worker thread failed (C is then partly updated).
 */
export function runParallel(job: GemmJob, module: WebAssembly.Module, mainThread = true): number {
  if (pool === undefined) pool = createPool(module);
  if (!pool) return -1;
  const p = pool;
  const a = isShared(job.a) ? job.a : sharedCopy(job.a, 0);
  const b = job.b === job.a ? a : isShared(job.b) ? job.b : sharedCopy(job.b, 1);
  const c = job.c === job.a ? a : isShared(job.c) ? job.c : sharedCopy(job.c, 2);
  const shared: GemmJob = { ...job, a, b, c };
  const ctl = new Int32Array(new SharedArrayBuffer(20));
  const bounds = chunkBounds(job, p.workers.length + 1);
  const desc = (x: F) => ({ buffer: x.buffer, byteOffset: x.byteOffset, length: x.length, f32: x instanceof Float32Array });
  const { a: _a, b: _b, c: _c, ...scalars } = shared;
  const msg = { ctl: ctl.buffer, bounds, job: { ...scalars, a: desc(a), b: desc(b), c: desc(c) } };
  for (const w of p.workers) w.postMessage(msg);
  for (;;) {
    if (!mainThread) {
      // tests: leave every chunk to the workers (blocks until they have taken them all)
      if (Atomics.load(ctl, 0) >= bounds.length - 1) break;
      Atomics.wait(ctl, 2, Atomics.load(ctl, 2), 10);
      if (Atomics.load(ctl, 3) !== 0) break;
      continue;
    }
    const t = Atomics.add(ctl, 0, 1);
    if (t >= bounds.length - 1) break;
    p.main.run(shared, bounds[t], bounds[t + 1]);
  }
  // every worker that entered has taken its last chunk before we saw the counter run out
  for (;;) {
    const done = Atomics.load(ctl, 2);
    if (done >= Atomics.load(ctl, 1)) break;
    Atomics.wait(ctl, 2, done, 1000);
  }
  if (Atomics.load(ctl, 3) !== 0) throw new NumericalError('gemm', 'a worker thread of the portable GEMM failed');
  if (c !== job.c) job.c.set(c);
  return Atomics.load(ctl, 4);
}

/** Terminates the GEMM worker threads (they are unref'd, so this is only needed for a clean shutdown). */
export async function closeGemmPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  staging.fill(null);
  if (p) await Promise.all(p.workers.map((w) => w.terminate()));
}
