import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '@nclab/datasets';
import { getPath, optionsToArgv } from '../src/cli/experiments.js';
import { gridPoints, parseGrid } from '../src/cli/commands/sweep.js';
import { runInProcess } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nclab-more-'));

describe('nclab ufm', () => {
  it('reaches the closed-form optimum of the bias-free MSE UFM (Thm 3.1: c − c²/2 with c = 0.1)', async () => {
    const r = await runInProcess(['ufm', '--model', 'mse', '--K', '3', '--n', '2', '--d', '4', '--lambda-w', '0.1', '--lambda-h', '0.1', '--solver', 'lbfgs', '--steps', '500', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.theory_objective).toBeCloseTo(0.095, 12);
    expect(Math.abs(j.objective - j.theory_objective) / j.theory_objective).toBeLessThan(1e-8);
    expect(j.nc2_orthogonal).toBeLessThan(1e-6);
    expect(j.layers[0].singular_values).toHaveLength(3);
  });

  it('names the flag of an invalid value and exits 2', async () => {
    const r = await runInProcess(['ufm', '--model', 'mse', '--K', '1', '--n', '2', '--d', '4', '--lambda-w', '0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--K`');
  });
});

describe('nclab spectra ufm', () => {
  it('finds K² Hessian outliers at the closed-form values (oracle O1)', async () => {
    const r = await runInProcess(['spectra', 'ufm', '--K', '3', '--n', '2', '--d', '6,5,7', '--depth', '3', '--lambda-w', '0.05,0.03,0.08', '--lambda-h', '0.05', '--at-optimum', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const expected = [0.2037454515, 0.1222472709, 0.3259927225];
    j.layers.forEach((l: { outliers: number[]; bulk_size: number; rank: number }, i: number) => {
      expect(l.outliers).toHaveLength(9);
      for (const v of l.outliers) expect(v).toBeCloseTo(expected[i], 9);
      expect(l.rank).toBe(9);
    });
  });

  it('lists its subcommands for `nclab spectra --help`', async () => {
    const r = await runInProcess(['spectra', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('spectra ufm');
    expect(r.stdout).toContain('spectra density');
    const bad = await runInProcess(['spectra', 'nonsense']);
    expect(bad.code).toBe(2);
  });
});

describe('nclab probe import', () => {
  it('computes sub-layer NC1 of saved activations and weights', async () => {
    const dir = tmp();
    // two classes separated along the first axis; W keeps only that axis, so NC1 after W is 0
    const x = new Float64Array([1, 0.5, 1, -0.5, -1, 0.3, -1, -0.3]);
    writeNpy(join(dir, 'h0.npy'), { data: x, shape: [4, 2] });
    writeNpy(join(dir, 'w0.npy'), { data: new Float64Array([2, 0]), shape: [1, 2] });
    writeNpy(join(dir, 'y.npy'), { data: new Int32Array([0, 0, 1, 1]) });
    const r = await runInProcess(['probe', 'import', '--layer-features', join(dir, 'h0.npy'), '--labels', join(dir, 'y.npy'), '--weights', join(dir, 'w0.npy'), '--json', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // class means (±1, 0): tr Σ_W = (0.5² + 0.5² + 0.3² + 0.3²)/4 = 0.17, tr Σ_B = (1/K) Σ‖μ_c‖² = 1
    expect(j.layers[0].nc1_input).toBeCloseTo((0.25 + 0.25 + 0.09 + 0.09) / 4 / 1, 12);
    expect(j.layers[0].nc1_right).toBeLessThan(1e-12);
  });
});

describe('nclab probe mlp (tiny run)', () => {
  it('writes the per-checkpoint, per-layer table and the plots', async () => {
    const out = join(tmp(), 'probe');
    const r = await runInProcess(['probe', 'mlp', '--per-class', '4', '--depth', '2', '--width', '8', '--epochs', '2', '--lr', '0.05', '--init-scale', '0.5', '--probe-every', '1', '--no-nfa', '--out', out, '--json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // checkpoints at epochs 0, 1, 2 for each of the 2 hidden layers
    expect(j.checkpoints).toHaveLength(6);
    for (const c of j.checkpoints) {
      for (const key of ['epoch', 'layer', 'train_loss', 'nc1_input', 'nc1_right', 'nc1_output']) expect(c).toHaveProperty(key);
      expect(c.nc1_input).toBeGreaterThan(0);
    }
    // the layer input of layer 2 is the output of layer 1 at the same checkpoint
    for (const e of [0, 1, 2]) {
      const [l1, l2] = [1, 2].map((l) => j.checkpoints.find((c: { epoch: number; layer: number }) => c.epoch === e && c.layer === l));
      expect(l2.nc1_input).toBeCloseTo(l1.nc1_output, 10);
    }
    for (const f of ['loss.svg', 'nc1-sublayer.svg', 'nc1-training.svg', 'report.html', 'result.json']) expect(existsSync(join(out, f))).toBe(true);
  });
});

describe('nclab run', () => {
  it('runs every experiment of a config file and stops at the first failure', async () => {
    const dir = tmp();
    const config = join(dir, 'exp.json');
    writeFileSync(
      config,
      JSON.stringify({
        experiments: [
          { command: 'spectra ufm', options: { K: 2, n: 1, d: 3, depth: 2, lambdaW: 0.05, lambdaH: 0.05, atOptimum: true, out: join(dir, 'a') } },
          { command: 'ufm', options: { model: 'nonsense', K: 2, n: 1, d: 2, 'lambda-w': 0.1 } },
          { command: 'info' },
        ],
      }),
    );
    const r = await runInProcess(['run', config, '--quiet']);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'a', 'result.json'))).toBe(true);
    expect(r.stdout).toMatch(/^ok {3}1: spectra ufm\nFAIL\(2\) 2: ufm\n$/);
  });

  it('rejects a missing or malformed config file with exit code 2', async () => {
    const dir = tmp();
    expect((await runInProcess(['run', join(dir, 'none.json')])).code).toBe(2);
    writeFileSync(join(dir, 'bad.json'), '{"options": {}}');
    const r = await runInProcess(['run', join(dir, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs a "command" string');
  });
});

describe('nclab sweep', () => {
  it('parses grids into their cartesian product, first axis slowest', () => {
    const axes = parseGrid(['bandwidth=1,2', 'seed=0,1,2']);
    const pts = gridPoints(axes);
    expect(pts).toHaveLength(6);
    expect(pts[0]).toEqual({ bandwidth: '1', seed: '0' });
    expect(pts[5]).toEqual({ bandwidth: '2', seed: '2' });
    expect(() => parseGrid(['bandwidth'])).toThrow(/name=v1,v2/);
  });

  it('runs a grid and tabulates the chosen result values', async () => {
    const out = join(tmp(), 'sweep');
    const r = await runInProcess([
      'sweep', 'spectra', 'ufm',
      '--grid', 'lambda-w=0.05,0.1',
      '--set', 'K=2', '--set', 'n=1', '--set', 'd=3', '--set', 'depth=2', '--set', 'lambda-h=0.05', '--set', 'at-optimum',
      '--summary', 'layers.0.outliers.length', '--summary', 'theory.x_star',
      '--out', out, '--json', '--quiet',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.runs).toHaveLength(2);
    for (const run of j.runs) {
      expect(run.status).toBe('ok');
      expect(run['layers.0.outliers.length']).toBe(4); // K² outliers
      expect(typeof run['theory.x_star']).toBe('number');
    }
    expect(j.runs[0]['theory.x_star']).not.toBe(j.runs[1]['theory.x_star']);
    expect(readdirSync(out).sort()).toEqual(['plan.json', 'points.jsonl', 'report.html', 'run-1', 'run-2', 'summary.json', 'sweep.svg']);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runs).toHaveLength(2);
  });

  it('stops with exit code 2 when the swept command rejects its flags', async () => {
    const r = await runInProcess(['sweep', 'ufm', '--grid', 'seed=0,1', '--set', 'model=mse', '--out', join(tmp(), 's'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing required flag');
  });
});

describe('experiment helpers', () => {
  it('turns options into flags and reads dotted paths', () => {
    expect(optionsToArgv('run', { perClass: 10, png: true, quiet: false, d: [6, 5], K: 3 })).toEqual(['--per-class', '10', '--png', '--d', '6', '--d', '5', '--K', '3']);
    const obj = { layers: [{ a: 1 }, { a: 2, v: [5, 6] }], final: { acc: 0.9 } };
    expect(getPath(obj, 'layers.-1.a')).toBe(2);
    expect(getPath(obj, 'layers.1.v.length')).toBe(2);
    expect(getPath(obj, 'final.acc')).toBe(0.9);
    expect(getPath(obj, 'final.nope.x')).toBeUndefined();
  });
});
