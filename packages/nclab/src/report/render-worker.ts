/**
 * Plot rendering in a worker thread (Node): started when a job begins, so that Vega's import (about
 * 0.23 s of a report's 0.6 s on the reference machine) runs while the job computes, on the core it
 * leaves idle, instead of after it. {@link renderSvgAnywhere} then renders there, or in this thread
 * when no worker runs (browsers, a worker that failed to start or to import Vega). The worker runs
 * {@link svgWith} from its source text, so both routes give the same SVG.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderSvg, svgWith, type VegaLiteSpec } from './render.js';

// `__name` is the helper some TypeScript transforms (esbuild keepNames) insert into function source.
const SOURCE = (render: string): string => `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f;
const svgWith = ${render};
const ready = Promise.all([import(workerData.vega), import(workerData.vegaLite)]);
ready.catch(() => {}); // reported with each request
parentPort.on('message', async ({ id, spec }) => {
  try {
    const [vega, vl] = await ready;
    parentPort.postMessage({ id, svg: await svgWith(vega, vl, spec) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e) });
  }
});
`;

interface Pending {
  resolve(svg: string): void;
  reject(e: Error): void;
}

interface Renderer {
  worker: Worker;
  pending: Map<number, Pending>;
  next: number;
}

let renderer: Renderer | null = null;

/**
 * Starts the render worker once per process (later calls do nothing); it imports Vega and Vega-Lite
 * at once and then waits, without keeping the process alive. Failing to start is not an error: the
 * plots are then rendered in this thread.
 * @returns whether a worker runs.
 */
export function startRenderWorker(): boolean {
  if (renderer) return true;
  try {
    const resolve = createRequire(import.meta.url).resolve;
    const workerData = { vega: pathToFileURL(resolve('vega')).href, vegaLite: pathToFileURL(resolve('vega-lite')).href };
    const worker = new Worker(SOURCE(svgWith.toString()), { eval: true, workerData });
    worker.unref();
    const r: Renderer = { worker, pending: new Map(), next: 0 };
    const settle = (id: number): Pending | undefined => {
      const p = r.pending.get(id);
      r.pending.delete(id);
      if (r.pending.size === 0) worker.unref();
      return p;
    };
    worker.on('message', (m: { id: number; svg?: string; error?: string }) => {
      const p = settle(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.svg as string);
    });
    const fail = (e: unknown) => {
      if (renderer === r) renderer = null;
      for (const id of [...r.pending.keys()]) settle(id)?.reject(e instanceof Error ? e : new Error(String(e)));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the render worker exited (code ${code})`)));
    renderer = r;
    return true;
  } catch {
    return false;
  }
}

/**
 * {@link renderSvg} in the render worker when one runs (see {@link startRenderWorker}), else here.
 * @param spec - a Vega-Lite top-level spec with inline data.
 * @returns the SVG text.
 * @throws Error from Vega when the spec is invalid (its message and stack, from either thread).
 */
export function renderSvgAnywhere(spec: VegaLiteSpec): Promise<string> {
  const r = renderer;
  if (!r) return renderSvg(spec);
  const id = r.next++;
  return new Promise<string>((resolve, reject) => {
    r.pending.set(id, { resolve, reject });
    r.worker.ref(); // a reply is awaited: keep the process alive until it comes
    r.worker.postMessage({ id, spec });
  });
}

/** Stops the render worker (tests; a process exits without it). */
export async function stopRenderWorker(): Promise<void> {
  const r = renderer;
  renderer = null;
  if (r) await r.worker.terminate();
}
