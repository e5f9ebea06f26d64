/**
 * `nclab deep-rfm` answers issue 19 from the CLI: Fisher NC1 and test-set metrics in every layer row,
 * the Gram error and its fitted rate, the metric-dependence table, `--kernel ntk --ntk-depth h` and
 * `--no-test`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitExponentialRate } from '@nclab/nc-metrics';
import { runInProcess } from '../helpers.js';

const base = ['deep-rfm', '--dataset', 'mnist', '--per-class', '10', '--depth', '3', '--width', '64', '--ridge', '1e-3', '--gram-samples', '0', '--quiet'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('nclab deep-rfm: issue 19 keys and flags', () => {
  it('--kernel ntk --ntk-depth 2 --fisher: Fisher and test-set metrics per layer, Gram error with its fitted rate, train/test and Gram-error plots', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nclab-drfm19-'));
    dirs.push(out);
    const r = await runInProcess([...base, '--test-per-class', '5', '--kernel', 'ntk', '--ntk-depth', '2', '--fisher', '--out', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(doc.config).toMatchObject({ kernel: 'ntk', ntk_depth: 2 });
    for (const l of doc.layers) {
      for (const p of ['in', 'agop', 'out']) {
        for (const k of [`nc1_fisher_${p}`, `nc1_test_${p}`, `nc1_pinv_test_${p}`, `nc1_fisher_test_${p}`, `nc2_test_${p}`]) expect(Number.isFinite(l[k])).toBe(true);
        expect(l[`nc1_fisher_rank_${p}`]).toBeGreaterThanOrEqual(1);
      }
      expect(l.relative_gram_error).toBeCloseTo(l.gram_error / Math.sqrt(10 * 10 * 10), 10); // ‖yyᵀ‖_F = √(Σ_c n_c²)
    }
    const fit = fitExponentialRate(doc.layers.map((l: { gram_error: number }) => l.gram_error));
    expect(doc.gram_error_rate).toBeCloseTo(fit.rate, 12);
    expect(doc.gram_error_r2).toBeCloseTo(fit.r2, 12);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['nc1-train-test.svg', 'gram-error.svg']));
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Where NC1 falls, by metric');
  }, 120_000);
  it('--no-test: no test accuracy and null test metrics; --ntk-depth without --kernel ntk is a usage error', async () => {
    const r = await runInProcess([...base, '--depth', '1', '--no-test', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.data.n_test).toBe(0);
    expect(doc.layers[0]).toMatchObject({ test_acc: null, nc1_test_in: null, nc1_fisher_test_out: null, nc2_test_agop: null });
    expect(doc.gram_error_rate).toBeNull();
    const bad = await runInProcess([...base, '--ntk-depth', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--ntk-depth');
  }, 120_000);
});
