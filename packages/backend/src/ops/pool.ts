import { NumericalError } from '../errors/errors.js';
import { builtinModule, nodeRequire } from '../runtime/node.js';
import { registerPoolCloser } from '../runtime/pools.js';
import { poolSize } from '../runtime/threads.js';

/*
 * A pool of worker threads, one tfjs-wasm engine each, for large float32 products in Node:
 * tfjs-wasm is single-threaded there, so rows of A are split across workers (both cores).
 * Workers are created on first use, unref'd while idle, and run inline (eval) code that loads
 * the same tfjs-core and wasm backend files this package resolves.
 */

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const tf = require(workerData.core);
require(workerData.wasm);
const ready = tf.setBackend('wasm').then(() => tf.ready());
parentPort.on('message', async (msg) => {
  try {
    await ready;
    const a = new Float32Array(msg.a);
    const b = new Float32Array(msg.b, 0, msg.k * msg.n);
    const out = tf.tidy(() => tf.matMul(tf.tensor2d(a, [msg.m, msg.k]), tf.tensor2d(b, [msg.k, msg.n])));
    const data = await out.data();
    out.dispose();
    parentPort.postMessage({ id: msg.id, data }, [data.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.stack) || e) });
  }
});
`;

interface WorkerLike {
  postMessage(msg: unknown, transfer?: unknown[]): void;
  on(event: string, fn: (v: unknown) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface Slot {
  worker: WorkerLike;
  pending: Map<number, { resolve: (d: Float32Array) => void; reject: (e: Error) => void }>;
}

let slots: Slot[] | null = null;
let nextId = 1;

function createSlots(): Slot[] {
  const wt = builtinModule<{ Worker: new (src: string, o: object) => WorkerLike }>('worker_threads');
  const req = nodeRequire();
  if (!wt || !req) throw new NumericalError('matmul', 'the worker pool needs Node worker threads');
  registerPoolCloser(closeMatmulPool);
  const core = req.resolve('@tensorflow/tfjs-core');
  const wasm = req.resolve('@tensorflow/tfjs-backend-wasm');
  const out: Slot[] = [];
  for (let i = 0; i < poolSize(); i++) {
    const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { core, wasm } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (v) => {
      const msg = v as { id: number; data?: Float32Array; error?: string };
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (slot.pending.size === 0) worker.unref();
      if (msg.error) p.reject(new NumericalError('matmul', `worker failed: ${msg.error}`));
      else p.resolve(msg.data as Float32Array);
    });
    worker.on('error', (e) => {
      for (const p of slot.pending.values()) p.reject(e as Error);
      slot.pending.clear();
      slots = null;
    });
    worker.unref();
    out.push(slot);
  }
  return out;
}

/**
 * C = A·B (row-major float32, no transposes) with the rows of A split across the worker pool.
 * @returns the m×n product.
 */
export async function poolMatmul(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Promise<Float32Array> {
  if (!slots) slots = createSlots();
  const pool = slots;
  const parts = Math.min(pool.length, m);
  const shared = new SharedArrayBuffer(k * n * 4);
  new Float32Array(shared).set(b.subarray(0, k * n));
  const out = new Float32Array(m * n);
  const per = Math.ceil(m / parts);
  const jobs: Promise<void>[] = [];
  for (let p = 0; p < parts; p++) {
    const r0 = p * per;
    const r1 = Math.min(m, r0 + per);
    if (r0 >= r1) break;
    const rows = a.slice(r0 * k, r1 * k);
    const slot = pool[p];
    const id = nextId++;
    jobs.push(
      new Promise<Float32Array>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, a: rows.buffer, m: r1 - r0, k, b: shared, n }, [rows.buffer]);
      }).then((d) => out.set(d, r0 * n)),
    );
  }
  await Promise.all(jobs);
  return out;
}

/** Terminates the matmul pool's workers (registered with `closeWorkerPool`); it restarts on next use. */
async function closeMatmulPool(): Promise<void> {
  const s = slots;
  slots = null;
  await Promise.all((s ?? []).map((x) => x.worker.terminate()));
}
