/**
 * One Deep RFM layer as a user runs it, whole process: `nclab deep-rfm --dataset mnist --per-class P --depth 1
 * --kernel laplace --bandwidth 2 --ridge 1e-3 --width 1024 --feature-map relu --no-test` started as a user starts
 * it, through the `nclab` launcher (`bin/nclab.mjs`: on Linux it starts the CLI again with glibc's huge-page
 * advice, as NumPy advises huge pages for its own large arrays; `NCLAB_HUGEPAGES=0` times it without), with
 * CPU time and peak RSS summed over the launcher and the CLI. The run: start, MNIST decoding, layer 1 (kernel,
 * solve, AGOP, square root, features, metrics), the final kernel regression, result.json and the report.
 * The NumPy peer `deeprfm_layer_process.py` starts a fresh Python process per run doing one layer in NumPy's
 * best route per phase and the same final regression (no metrics, no report), from .npy inputs of the same
 * images.
 *
 * Each side's peak RSS (getrusage) and per-phase seconds are in the check column; the check itself is NC1 of the
 * normalised input and of the AGOP point X M^{1/2} (both independent of the random features), to 1e-6 relative
 * on the float64 route (1e-5 with the AGOP product in float32) and 1e-4 on the mixed solve route (chosen by
 * `--precision auto`: mixed from N = 16,384).
 * Runs the built CLI (`packages/nclab/dist/cli.js`: `npm run build` first; setup refuses a build older than the
 * sources). `DEEPRFM_BENCH_PER_CLASS` sets P (500 → N = 5,000); `NCLAB_LINALG=portable` times the portable path;
 * `DEEPRFM_BENCH_AGOP_PRECISION=mixed` passes `--agop-precision mixed` (the AGOP's N×N product in float32; the
 * CLI's default is float64), to measure what that trade buys.
 * No warm-up run: a process starts cold every time, on both sides.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineBench, runNodeProcess, writeNpyInput, type ProcessUsage } from '@nclab/bench';
import { createRng } from '@nclab/backend/host';
import { loadMnist } from '@nclab/datasets';

const PER_CLASS = Number(process.env.DEEPRFM_BENCH_PER_CLASS ?? 500);
const AGOP_PRECISION = process.env.DEEPRFM_BENCH_AGOP_PRECISION;
const WIDTH = 1024;
const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(PACKAGES, 'nclab', 'dist', 'cli.js');
const LAUNCHER = join(PACKAGES, 'nclab', 'bin', 'nclab.mjs');

interface Ctx {
  out: string;
  peerArgs: string[];
}

interface Ours {
  usage: ProcessUsage;
  nc1In: number;
  nc1Agop: number;
  finalTrainAcc: number;
  solver: string;
  agopPrecision: string;
  phases: Record<string, number>;
}

/** Newest modification time (ms) of the files under `dir` whose names end with `ext`. */
function newest(dir: string, ext: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(ext)) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;

export default defineBench<Ctx>({
  name: `nclab:deep-rfm-process:n=${10 * PER_CLASS},depth=1,width=${WIDTH}${process.env.NCLAB_LINALG ? `:${process.env.NCLAB_LINALG}` : ''}${process.env.NCLAB_HUGEPAGES === '0' ? ':no-hugepages' : ''}${AGOP_PRECISION ? `:agop-${AGOP_PRECISION}` : ''}`,
  peer: { script: 'deeprfm_layer_process.py' },
  repeats: 2,
  warmup: 0,
  setup: () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    for (const pkg of readdirSync(PACKAGES)) {
      const src = join(PACKAGES, pkg, 'src');
      const dist = join(PACKAGES, pkg, 'dist');
      if (existsSync(src) && existsSync(dist) && newest(src, '.ts') > newest(dist, '.js')) {
        throw new Error(`packages/${pkg}/dist is older than its sources: run \`npm run build\` first`);
      }
    }
    const ds = loadMnist({ split: 'train', perClass: PER_CLASS, dtype: 'float64', scale: 'unit' });
    const w = createRng(0).normalArray(WIDTH * 784) as Float64Array;
    const xi = writeNpyInput(`deeprfm-x-${ds.x.rows}`, { data: ds.x.data as Float64Array, shape: [ds.x.rows, ds.x.cols] });
    const li = writeNpyInput(`deeprfm-labels-${ds.x.rows}`, { data: Float64Array.from(ds.labels), shape: [ds.x.rows] });
    const wi = writeNpyInput(`deeprfm-w-${WIDTH}`, { data: w, shape: [WIDTH, 784] });
    return { out: mkdtempSync(join(tmpdir(), 'nclab-bench-deeprfm-')), peerArgs: ['--x', xi, '--labels', li, '--w', wi] };
  },
  run: (ctx): Ours => {
    const out = join(ctx.out, 'run');
    rmSync(out, { recursive: true, force: true });
    const usage = runNodeProcess(LAUNCHER, [
      'deep-rfm', '--dataset', 'mnist', '--per-class', String(PER_CLASS), '--depth', '1', '--kernel', 'laplace', '--bandwidth', '2',
      '--ridge', '1e-3', '--width', String(WIDTH), '--feature-map', 'relu', '--no-test', '--out', out,
      ...(AGOP_PRECISION ? ['--agop-precision', AGOP_PRECISION] : []),
    ], { env: { NCLAB_QUIET: '1' } });
    const r = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      layers: { nc1_in: number; nc1_agop: number; solver: string; agop_precision: string }[];
      final: { train_acc: number };
      timings: { per_phase: Record<string, number>; final_seconds: number };
    };
    const l = r.layers[0];
    return { usage, nc1In: l.nc1_in, nc1Agop: l.nc1_agop, finalTrainAcc: r.final.train_acc, solver: l.solver, agopPrecision: l.agop_precision, phases: { ...r.timings.per_phase, final: r.timings.final_seconds } };
  },
  cpuSeconds: (ours) => (ours as Ours).usage.cpuSeconds,
  teardown: (ctx) => rmSync(ctx.out, { recursive: true, force: true }),
  compare: (ours, peer) => {
    const o = ours as Ours;
    const p = peer as { nc1_in: number; nc1_agop: number; final_train_acc: number; phases: Record<string, number | string>; peak_rss_bytes: number };
    const ri = Math.abs(o.nc1In - p.nc1_in) / p.nc1_in;
    const ra = Math.abs(o.nc1Agop - p.nc1_agop) / p.nc1_agop;
    // float64 throughout: 1e-6; a float32 AGOP product moves NC1 by up to 1e-6 (measured: 1.6e-7 native, 1.0e-6
    // portable at N = 5,000); the mixed solve route: 1e-4
    const tol = o.solver !== 'cholesky' ? 1e-4 : o.agopPrecision === 'mixed' ? 1e-5 : 1e-6;
    const round = (ph: Record<string, number | string>) => Object.fromEntries(Object.entries(ph).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(2)) : v]));
    return {
      ok: ri < tol && ra < tol,
      detail:
        `peak RSS ours ${gb(o.usage.peakRssBytes)} (${o.usage.processes} processes), numpy ${gb(p.peak_rss_bytes)}; NC1 in rel ${ri.toExponential(1)}, agop rel ${ra.toExponential(1)} (${o.solver}, AGOP ${o.agopPrecision}); ` +
        `final train acc ${o.finalTrainAcc} vs ${p.final_train_acc}; phases (s) ours ${JSON.stringify(round(o.phases))}, numpy ${JSON.stringify(round(p.phases))}`,
    };
  },
});
