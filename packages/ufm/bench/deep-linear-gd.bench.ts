/**
 * Deep linear UFM, K = 10, n = 100, d = 64, L = 4: full-batch gradient descent (lr 0.1) from one
 * shared random start, against a NumPy peer doing the same steps with the same algorithm
 * (tools/bench/peers/ufm_deep_linear_gd.py) and a PyTorch CPU peer doing the same in torch
 * (ufm_deep_linear_gd_torch.py). Two entries: the backend's `native` float64 path (products through
 * OpenBLAS) and the `portable` path (JS/WebAssembly kernels).
 *
 * Steps default to 10 000 (the setting); NCLAB_UFM_BENCH_STEPS overrides (e.g. 1000 on a
 * busy machine). The check compares the final objectives (same start, same steps).
 */
import { defineBench, writeNpyInput } from '@nclab/bench';
import { createRng, getLinalgInfo, setLinalgPath } from '@nclab/backend/host';
import { initParams, makeObjective, minimize, objectiveSpec } from '@nclab/ufm';

const K = 10;
const n = 100;
const d = 64;
const L = 4;
const lam = 5e-3;
const lr = 0.1;
const steps = Number(process.env.NCLAB_UFM_BENCH_STEPS ?? 10_000);

function entry(path: 'native' | 'portable') {
  return defineBench({
    name: `ufm:deep-linear-gd:K=${K},n=${n},d=${d},L=${L},steps=${steps}:${path}`,
    peer: { script: 'ufm_deep_linear_gd.py' },
    torchPeer: { script: 'ufm_deep_linear_gd_torch.py' },
    repeats: 3,
    setup: () => {
      setLinalgPath(path);
      const mo = objectiveSpec({ model: 'deep-linear', K, n, d, depth: L, lambdaW: lam, lambdaH: lam });
      const x0 = initParams(mo.layout, createRng(0), 1);
      const input = writeNpyInput(`ufm-deep-linear-x0-${x0.length}`, { data: x0, shape: [x0.length] });
      const fg = makeObjective(mo.spec);
      const peerArgs = ['--input', input, '--K', String(K), '--n', String(n), '--dims', new Array(L).fill(d).join(','),
        '--lam', String(lam), '--lr', String(lr), '--steps', String(steps)];
      return { fg, x0, peerArgs, linalg: getLinalgInfo().path };
    },
    run: (ctx) => minimize(ctx.fg, ctx.x0, { method: 'gd', lr, maxSteps: steps, gradTol: 0, historyEvery: steps }).objective,
    teardown: () => { setLinalgPath('auto'); },
    compare: (ours, peer) => {
      const p = (peer as { objective: number }).objective;
      const rel = Math.abs((ours as number) - p) / Math.abs(p);
      return { ok: rel < 1e-9, detail: `objective ${(ours as number).toPrecision(12)} vs ${p.toPrecision(12)} (rel ${rel.toExponential(1)})` };
    },
  });
}

export default [entry('native'), entry('portable')];
