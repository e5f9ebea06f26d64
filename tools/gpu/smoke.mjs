// GPU smoke and benchmark of the `cuda` linear-algebra path (called by tools/gpu/smoke.sh).
// Steps, each recorded in the JSON report as it finishes (a timeout still leaves the earlier ones):
//   1. what was found: device, driver, libraries (cudaReport) and `nvidia-smi` output;
//   2. the backend linear-algebra contract tests on `cuda` (NCLAB_TEST_LINALG=cuda);
//   3. GEMM at 8192³: float64, float32, TF32 (device-resident, TFLOP/s = 2n³/t);
//   4. the Laplace kernel block at N = 20,000, d = 784, and potrf at N = 20,000 on it;
//   5. the main job (MNIST N = 1,000, depth 8) and one Deep RFM layer on all 60,000 MNIST training
//      points, both with --linalg cuda.
// Usage: node smoke.mjs --out DIR --mode source|bundle [--budget SECONDS]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cudaReport, getCudaDevice, setCudaTf32 } from '@nclab/backend';
import { loadMnist, writeNpy } from '@nclab/datasets';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const out = resolve(opt('out', 'gpu-smoke'));
const mode = opt('mode', 'source');
const budget = Number(opt('budget', '540')) * 1000;
const started = Date.now();
const here = dirname(fileURLToPath(import.meta.url));
const repo = mode === 'bundle' ? process.env.NCLAB_REPO ?? resolve(here, '..', '..', '..') : resolve(here, '..', '..');
const left = () => budget - (Date.now() - started);
mkdirSync(out, { recursive: true });

const report = { started: new Date(started).toISOString(), mode, node: process.version, steps: {} };
const save = () => writeFileSync(join(out, 'gpu-smoke.json'), `${JSON.stringify(report, null, 2)}\n`);
async function step(name, fn) {
  const t0 = Date.now();
  if (name !== 'environment' && name !== 'contract-tests' && !cudaReport().available) {
    report.steps[name] = { ok: false, skipped: 'the cuda path is unavailable (see steps.environment.cuda.reason)', seconds: 0 };
    save();
    return;
  }
  process.stderr.write(`gpu-smoke: ${name} ...\n`);
  try {
    report.steps[name] = { ok: true, ...(await fn()), seconds: (Date.now() - t0) / 1000 };
  } catch (e) {
    report.steps[name] = { ok: false, error: String(e?.stack ?? e).slice(0, 2000), seconds: (Date.now() - t0) / 1000 };
  }
  process.stderr.write(`gpu-smoke: ${name}: ${report.steps[name].ok ? 'ok' : 'FAILED'} (${report.steps[name].seconds} s)\n`);
  save();
}

function run(cmd, argv, env, timeoutMs, cwd = repo) {
  const t0 = Date.now();
  // SIGKILL at the step's limit: the CLI's SIGTERM handler cannot run while a long synchronous computation
  // holds its thread, so a SIGTERM left the step running past the whole run's limit (H200 run, 2026-12-04)
  const r = spawnSync(cmd, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: Math.max(1000, timeoutMs), killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  return { status: r.status, signal: r.signal, seconds: (Date.now() - t0) / 1000, tail: `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n') };
}

const nclab = mode === 'bundle'
  ? [process.execPath, [join(here, 'nclab.mjs')]]
  : [process.execPath, ['--conditions=@nclab/source', '--import', 'tsx', join(repo, 'packages/nclab/src/cli.ts')]];

function randomMatrix(rows, cols, seed, Type = Float64Array) {
  // xorshift32 uniforms in [-1, 1): fast and reproducible; the numbers only feed timings.
  const data = new Type(rows * cols);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    data[i] = s / 2147483648 - 1;
  }
  return { rows, cols, data };
}

await step('environment', () => {
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total,compute_cap', '--format=csv,noheader'], { encoding: 'utf8' });
  return { nvidiaSmi: (smi.stdout || smi.error?.message || '').trim(), cuda: cudaReport() };
});

await step('contract-tests', () => {
  const env = { NCLAB_TEST_LINALG: 'cuda', NCLAB_QUIET: '1' };
  const r = mode === 'bundle'
    ? run(process.execPath, [join(here, 'contract.mjs')], env, Math.min(180_000, left()))
    : run('npx', ['vitest', 'run', 'test/linalg-conformance.test.ts', 'test/solve-mixed.test.ts', 'test/cuda-path.test.ts'], env, Math.min(180_000, left()), join(repo, 'packages/backend'));
  if (r.status !== 0) throw new Error(`contract tests failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.tail}`);
  return r;
});

function timeIt(fn, reps) {
  fn(); // warm-up (cuBLAS heuristics, kernel load)
  const dev = getCudaDevice();
  dev.synchronize();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  dev.synchronize();
  return Number(process.hrtime.bigint() - t0) / 1e9 / reps;
}

await step('gemm-8192', () => {
  const dev = getCudaDevice();
  const n = 8192;
  const res = {};
  for (const [label, Type, tf32] of [['float64', Float64Array, false], ['float32', Float32Array, false], ['tf32', Float32Array, true]]) {
    setCudaTf32(tf32);
    const a = dev.upload(randomMatrix(n, n, 1, Type));
    const b = dev.upload(randomMatrix(n, n, 2, Type));
    const c = dev.alloc(n, n, label === 'float64' ? 'float64' : 'float32');
    const s = timeIt(() => dev.gemm(a, b, { out: c }), label === 'float64' ? 3 : 10);
    res[label] = { seconds: s, tflops: (2 * n ** 3) / s / 1e12 };
    for (const m of [a, b, c]) dev.free(m);
  }
  setCudaTf32(false);
  return { n, ...res, targets: { float64: '≥ 30 TFLOP/s', tf32: '≥ 200 TFLOP/s' } };
});

await step('kernel-block-and-potrf-20000', () => {
  const dev = getCudaDevice();
  const n = 20000;
  const d = 784;
  const x = randomMatrix(n, d, 3);
  const dx = dev.upload(x);
  let k = dev.kernelBlock(dx, dx, { kind: 'laplace', bandwidth: 10 }); // warm-up: NVRTC compile
  dev.free(k);
  dev.synchronize();
  let t0 = process.hrtime.bigint();
  k = dev.kernelBlock(dx, dx, { kind: 'laplace', bandwidth: 10 });
  dev.synchronize();
  const kernelSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // Laplace kernel matrices of distinct points are positive definite; the diagonal is exactly 1.
  t0 = process.hrtime.bigint();
  dev.choleskyInPlace(k);
  dev.synchronize();
  const potrfSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  dev.free(k);
  dev.free(dx);
  return { n, d, kernelBlockSeconds: kernelSeconds, potrfSeconds, potrfTflops: n ** 3 / 3 / potrfSeconds / 1e12 };
});

await step('main-job-n1000-depth8', () => {
  const dir = join(out, 'deep-rfm-main');
  const r = run(nclab[0], [...nclab[1], 'deep-rfm', '--dataset', 'mnist', '--per-class', '100', '--depth', '8', '--kernel', 'laplace', '--bandwidth', '2', '--ridge', '1e-3', '--width', '1024', '--feature-map', 'relu', '--seed', '0', '--linalg', 'cuda', '--engine', 'cpu', '--quiet', '--out', dir], {}, Math.min(120_000, left()));
  if (r.status !== 0) throw new Error(`exit ${r.status}${r.signal ? ` (${r.signal})` : ''}:\n${r.tail}`);
  return { ...r, target: '< 5 s after start-up', result: join(dir, 'result.json') };
});

await step('deep-rfm-layer-60000', () => {
  // All 60,000 training images as .npy (the per-class flag stops at 5,421 = the rarest digit).
  const data = join(out, 'mnist-60k');
  mkdirSync(data, { recursive: true });
  const mnist = loadMnist({ split: 'train', dtype: 'float32' });
  writeNpy(join(data, 'x.npy'), { data: mnist.x.data, shape: [mnist.x.rows, mnist.x.cols] });
  writeNpy(join(data, 'y.npy'), { data: mnist.labels });
  const dir = join(out, 'deep-rfm-60k');
  const r = run(nclab[0], [...nclab[1], 'deep-rfm', '--dataset', 'files', '--features', join(data, 'x.npy'), '--labels', join(data, 'y.npy'), '--depth', '1', '--kernel', 'laplace', '--bandwidth', '2', '--ridge', '1e-3', '--width', '1024', '--feature-map', 'relu', '--seed', '0', '--linalg', 'cuda', '--engine', 'cpu', '--gram-samples', '0', '--quiet', '--out', dir], {}, left() - 5000);
  if (r.status !== 0) throw new Error(`exit ${r.status}${r.signal ? ` (${r.signal})` : ''}:\n${r.tail}`);
  return { ...r, points: mnist.x.rows, target: '< 60 s', result: join(dir, 'result.json') };
});

report.finished = new Date().toISOString();
report.ok = Object.values(report.steps).every((s) => s.ok);
save();
process.stderr.write(`gpu-smoke: report ${join(out, 'gpu-smoke.json')} (${report.ok ? 'all steps ok' : 'some steps failed'})\n`);
if (!existsSync(join(out, 'gpu-smoke.json'))) process.exit(2);
