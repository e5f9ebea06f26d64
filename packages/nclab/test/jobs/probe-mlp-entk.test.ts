/**
 * `nclab probe mlp --entk-samples n`: the result.json key set (the fixture's plus the eNTK rows), the
 * ranges of the eNTK statistics, the report's plot and table, and resume equality with the flag on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectKeySet, readResult, runInProcess, straightAndResumed, tempDirs } from '../helpers.js';

const fresh = tempDirs('nclab-probe-mlp-entk-');

const args = ['probe', 'mlp', '--dataset', 'mnist', '--per-class', '5', '--test-per-class', '2', '--depth', '2', '--width', '16', '--lr', '0.05', '--probe-every', '1', '--batch-size', '10', '--entk-samples', '20', '--seed', '1', '--quiet'];

/** The key paths the flag adds to those of a run without it. */
const ENTK_PATHS = [
  '$.config.entkSamples', '$.entk', '$.entk[].epoch', '$.entk[].samples', '$.entk[].alignment', '$.entk[].centred_alignment',
  '$.entk[].within_mean', '$.entk[].across_mean', '$.entk[].within_std', '$.entk[].across_std', '$.entk[].layers',
  '$.entk[].layers[].layer', '$.entk[].layers[].agop_corr', '$.entk[].layers[].nfa_corr_sqrt_entk', '$.entk[].layers[].nfa_corr_sqrt_network',
];

interface EntkRow { epoch: number; samples: number; alignment: number; centred_alignment: number; within_mean: number; across_mean: number; layers: { layer: number; agop_corr: number | null; nfa_corr_sqrt_entk: number | null; nfa_corr_sqrt_network: number | null }[] }

describe('nclab probe mlp --entk-samples', () => {
  it('adds exactly the entk rows (one per probe epoch, every statistic in [−1, 1]) to the fixture key set', async () => {
    const out = fresh();
    const r = await runInProcess([...args, '--epochs', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = readResult(out);
    expectKeySet(doc, 'probe-mlp-result-keys.json', ENTK_PATHS);
    const rows = doc.entk as EntkRow[];
    expect(rows.map((e) => e.epoch)).toEqual([0, 1, 2]);
    for (const e of rows) {
      expect(e.samples).toBe(20);
      for (const v of [e.alignment, e.centred_alignment, e.within_mean, e.across_mean]) {
        expect(v).toBeGreaterThanOrEqual(-1);
        expect(v).toBeLessThanOrEqual(1);
      }
      // Θ is positive semi-definite and yyᵀ ≥ 0 entrywise with ⟨Θ, yyᵀ⟩ = Σ_c 1_cᵀΘ1_c ≥ 0
      expect(e.alignment).toBeGreaterThanOrEqual(0);
      expect(e.layers.map((l) => l.layer)).toEqual([1, 2]);
      for (const l of e.layers) for (const v of [l.agop_corr, l.nfa_corr_sqrt_entk, l.nfa_corr_sqrt_network]) {
        expect(v).not.toBeNull();
        expect(Math.abs(v as number)).toBeLessThanOrEqual(1);
      }
    }
    // the report draws the eNTK curves and tabulates the AGOP comparison
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('eNTK predictor AGOP vs network AGOP and the NFA');
    expect(existsSync(join(out, 'entk.svg'))).toBe(true);
  }, 180_000);

  it('--resume after 1 of 2 epochs gives the entk rows of an uninterrupted run', async () => {
    const { straight: a, resumed: b } = await straightAndResumed(args, fresh);
    expect(b.config.resumedFrom).toBe(1);
    expect(b.entk).toEqual(a.entk);
    expect(b.checkpoints).toEqual(a.checkpoints);
  }, 240_000);

  it('a checkpoint of a run without the flag is not resumed with it (the flag is part of the run key)', async () => {
    const out = fresh();
    const plain = args.filter((_, i) => args[i] !== '--entk-samples' && args[i - 1] !== '--entk-samples');
    expect((await runInProcess([...plain, '--epochs', '1', '--out', out])).code).toBe(0);
    const r = await runInProcess([...args, '--epochs', '2', '--out', out, '--resume']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('entkSamples');
  }, 180_000);
});
