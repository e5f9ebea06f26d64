import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simplexEtf, writeNpy } from '@nclab/datasets';
import { computeMetrics } from '@nclab/nc-metrics';
import { jsonKey } from '../src/jobs/json-keys.js';
import { runWithoutTfjs } from '../../../tools/without-tfjs.mjs';
import { runInProcess } from './helpers.js';
import { xmlProblems } from './xml.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nclab-cmd-'));

/**
 * Class means on a simplex ETF of radius r (K = 4, d = 6) and, per class, the 2d samples μ_k ± s√d·e_j:
 * the class means are exact and Σ_W = s² I exactly, so NC1 has its closed form with no sampling error:
 * trace ratio s²d/r² = 0.135 and tr(Σ_W Σ_B^†)/K = s²(K−1)²/(K r²) = 0.050625 (r = 2, s = 0.3).
 */
function exactEtfData(dir: string) {
  const K = 4;
  const d = 6;
  const r = 2;
  const s = 0.3;
  const means = simplexEtf(K, { dim: d, radius: r });
  const c = s * Math.sqrt(d);
  const rows: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      for (const sign of [1, -1]) {
        for (let t = 0; t < d; t++) rows.push(means.data[k * d + t] + (t === j ? sign * c : 0));
        labels.push(k);
      }
    }
  }
  const x = new Float64Array(rows);
  writeNpy(join(dir, 'x.npy'), { data: x, shape: [labels.length, d] });
  writeNpy(join(dir, 'y.npy'), { data: new Int32Array(labels) });
  return { x: { rows: labels.length, cols: d, data: x }, labels };
}

describe('nclab metrics', () => {
  it('reproduces the closed-form NC1 of an ETF with isotropic within-class scatter', async () => {
    const dir = tmp();
    exactEtfData(dir);
    const out = join(dir, 'm.json');
    const r = await runInProcess(['metrics', '--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy'), '--json', out, '--quiet']);
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(out, 'utf8'));
    expect(m).toMatchObject({ n: 48, K: 4, d: 6 });
    expect(m.nc1_trace_ratio).toBeCloseTo(0.135, 12);
    expect(m.nc1_pinv).toBeCloseTo(0.050625, 12);
    expect(m.nc2_etf).toBeLessThan(1e-12);
    for (const key of ['nc1_cdnv', 'nc2_equinorm', 'nc2_equiangular']) expect(typeof m[key]).toBe('number');
    expect(m.nc3).toBeUndefined();
    // the human-readable table went to stdout
    expect(r.stdout).toContain('nc1_trace_ratio');
  });

  it('starts no tfjs engine for the float64-only jobs (metrics, ufm, kernel-model): they run where @tensorflow is missing and record engine none', () => {
    const dir = tmp();
    exactEtfData(dir);
    const cli = JSON.stringify(fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)));
    const run = (extra: string[]) => runWithoutTfjs(
      `const { main } = await import(${cli}); const w = { write: (t) => { process.stdout.write(t); return true; } };` +
        `console.log("exit=" + await main(${JSON.stringify(['metrics', '--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy'), '--json', '-', '--quiet', ...extra])}, { stdout: w, stderr: w }));`,
    );
    const r = run([]);
    expect(r.out).toContain('exit=0');
    const doc = JSON.parse(r.out.slice(r.out.indexOf('{'), r.out.lastIndexOf('}') + 1));
    expect(doc.engine).toMatchObject({ engine: 'none', tfjs_backend: 'none', tfjs_version: 'none' });
    expect(doc.nc1_trace_ratio).toBeCloseTo(0.135, 12);
    // the other float64-only jobs run there too
    for (const argv of [
      ['ufm', '--model', 'mse', '--K', '3', '--n', '2', '--d', '4', '--lambda-w', '0.1', '--lambda-h', '0.1', '--solver', 'lbfgs', '--steps', '200', '--json', '-', '--quiet'],
      ['kernel-model', '--K', '3', '--n', '4', '--ridge', '0.5', '--json', '-', '--quiet'],
    ]) {
      const o = runWithoutTfjs(`const { main } = await import(${cli}); const w = { write: (t) => { process.stdout.write(t); return true; } }; console.log("exit=" + await main(${JSON.stringify(argv)}, { stdout: w, stderr: w }));`);
      expect(o.out, argv[0]).toContain('exit=0');
      expect(o.out, argv[0]).toMatch(/"engine": "none"/);
    }
    // control: --engine asks for one, and without tfjs it cannot start (the hook really blocks)
    const c = run(['--engine', 'cpu']);
    expect(c.out).toContain('exit=1');
    expect(c.out).toContain('@tensorflow/tfjs-core');
  });

  it('gives the same numbers as computeMetrics, adds NC3/NC4 with a classifier and writes a report', async () => {
    const dir = tmp();
    const { x, labels } = exactEtfData(dir);
    // classifier rows = the class means: self-dual, and it predicts exactly like the NCC rule
    const W = simplexEtf(4, { dim: 6, radius: 2 });
    writeNpy(join(dir, 'w.npy'), { data: W.data, shape: [4, 6] });
    const run = join(dir, 'run');
    const r = await runInProcess(['metrics', '--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy'), '--classifier', join(dir, 'w.npy'), '--out', run, '--json', '--quiet']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    const direct = computeMetrics(x, labels, { classifier: W });
    for (const key of ['nc1TraceRatio', 'nc1Pinv', 'nc1Cdnv', 'nc2Etf', 'nc2Equinorm', 'nc2Equiangular', 'nc3', 'nc4'] as const) {
      expect(m[jsonKey(key)]).toBe(direct[key]);
    }
    expect(m.nc3).toBeLessThan(1e-12);
    expect(m.nc4).toBe(0);
    expect(readdirSync(run).sort()).toEqual(['class-means-spectrum.svg', 'report.html', 'result.json']);
    expect(xmlProblems(readFileSync(join(run, 'class-means-spectrum.svg'), 'utf8'))).toEqual([]);
  });

  it('rejects labels whose count differs from N with exit code 2', async () => {
    const dir = tmp();
    exactEtfData(dir);
    writeNpy(join(dir, 'short.npy'), { data: new Int32Array([0, 1, 2]) });
    const r = await runInProcess(['metrics', '--features', join(dir, 'x.npy'), '--labels', join(dir, 'short.npy')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/`--labels` must be of length N = 48/);
  });
});

describe('nclab deep-rfm (small MNIST run)', () => {
  it('writes result.json with the per-layer contract, the plots and report.html, atomically', async () => {
    const out = join(tmp(), 'drfm');
    const r = await runInProcess(['deep-rfm', '--dataset', 'mnist', '--per-class', '10', '--test-per-class', '5', '--depth', '3', '--width', '128', '--ridge', '1e-3', '--gram-samples', '40', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['accuracy.svg', 'gram-error.svg', 'gram.svg', 'nc1-train-test.svg', 'nc1.svg', 'nc2.svg', 'report.html', 'result.json']);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.layers).toHaveLength(3);
    for (const row of result.layers) {
      for (const key of ['layer', 'nc1_in', 'nc1_agop', 'nc1_out', 'nc2_in', 'nc2_agop', 'nc2_out', 'train_acc', 'test_acc']) expect(typeof row[key]).toBe('number');
      // the AGOP step lowers NC1 at every layer (the paper's mechanism)
      expect(row.nc1_agop).toBeLessThan(row.nc1_in);
    }
    expect(result.layers[2].nc1_in).toBeLessThan(result.layers[0].nc1_in);
    expect(result.config).toMatchObject({ depth: 3, width: 128 });
    // deep-rfm computes with the float64 linear algebra only: no tfjs engine is started or recorded
    expect(result.engine).toMatchObject({ engine: 'none', tfjs_backend: 'none' });
    expect(['native', 'portable', 'cuda']).toContain(result.engine.linalg_path);
    for (const f of ['nc1.svg', 'nc2.svg', 'gram.svg']) expect(xmlProblems(readFileSync(join(out, f), 'utf8'))).toEqual([]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Per layer');
    expect(html).toContain('<figure id="gram">');
    // the table printed on stdout has one row per layer
    expect(r.stdout.split('\n').filter((l) => /^\s+\d\s/.test(l))).toHaveLength(3);
  });
});
