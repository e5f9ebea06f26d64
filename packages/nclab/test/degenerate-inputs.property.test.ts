/**
 * Issue 21, property: every job given randomly degenerate inputs (duplicate rows, constant
 * features, tiny or huge scales) either exits 0 with only finite numbers in its result, or exits
 * non-zero (1 or 2) with a one-line `error:` message, never a crash, a stack trace or a silent NaN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeNpy } from '@nclab/datasets';
import { runInProcess } from './helpers.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261203) });

const root = mkdtempSync(join(tmpdir(), 'nclab-degenerate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A small labelled data set with a chosen defect. */
interface Degenerate {
  n: number;
  d: number;
  K: number;
  scale: number;
  defect: 'none' | 'duplicate-rows' | 'constant-feature' | 'all-constant' | 'one-class-copy';
  seed: number;
}

const degenerate: fc.Arbitrary<Degenerate> = fc.record({
  n: fc.integer({ min: 6, max: 24 }),
  d: fc.integer({ min: 1, max: 6 }),
  K: fc.integer({ min: 2, max: 3 }),
  scale: fc.constantFrom(1e-300, 1e-150, 1e-8, 1, 1e8, 1e150, 1e300),
  defect: fc.constantFrom('none', 'duplicate-rows', 'constant-feature', 'all-constant', 'one-class-copy'),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

function build(g: Degenerate): { x: string; y: string } {
  let s = g.seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const x = new Float64Array(g.n * g.d);
  for (let i = 0; i < g.n; i++) for (let j = 0; j < g.d; j++) x[i * g.d + j] = g.scale * ((j === i % g.K ? 2 : 0) + rnd());
  if (g.defect === 'duplicate-rows') for (let i = 1; i < g.n; i += 2) x.copyWithin(i * g.d, (i - 1) * g.d, i * g.d);
  if (g.defect === 'constant-feature') for (let i = 0; i < g.n; i++) x[i * g.d] = g.scale;
  if (g.defect === 'all-constant') x.fill(g.scale);
  if (g.defect === 'one-class-copy') for (let i = 0; i < g.n; i++) if (i % g.K === 1) x.copyWithin(i * g.d, (i - 1) * g.d, i * g.d);
  const id = counter++;
  const xp = join(root, `x${id}.npy`);
  const yp = join(root, `y${id}.npy`);
  writeNpy(xp, { data: x, shape: [g.n, g.d] } as never);
  writeNpy(yp, { data: Float64Array.from({ length: g.n }, (_, i) => i % g.K), shape: [g.n] } as never);
  return { x: xp, y: yp };
}

/** Numbers in a parsed JSON document that are null where a number is expected is fine; NaN cannot appear. */
function nonFinitePaths(doc: unknown, path = '$'): string[] {
  if (typeof doc === 'number') return Number.isFinite(doc) ? [] : [path];
  if (Array.isArray(doc)) return doc.flatMap((v, i) => nonFinitePaths(v, `${path}[${i}]`));
  if (doc !== null && typeof doc === 'object') return Object.entries(doc).flatMap(([k, v]) => nonFinitePaths(v, `${path}.${k}`));
  return [];
}

/** The outcome contract of every job run. */
function assertContract(r: { code: number; stdout: string; stderr: string }, command: string, numericKeys: (doc: Record<string, unknown>) => unknown[]): void {
  outcomes[r.code] = (outcomes[r.code] ?? 0) + 1;
  if (r.code === 0) {
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(nonFinitePaths(doc)).toEqual([]);
    // the metrics themselves are numbers, not nulls standing for NaN
    for (const v of numericKeys(doc)) expect(typeof v).toBe('number');
  } else {
    expect([1, 2]).toContain(r.code);
    expect(r.stderr).toMatch(new RegExp(`^nclab ${command}: error: \\S`, 'm'));
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/TypeError|RangeError|ReferenceError|Cannot read properties/);
  }
}

/** Exit codes seen, so that a property that only ever fails its runs is noticed. */
let outcomes: Record<number, number> = {};

describe('degenerate inputs: exit 0 with finite results, or a non-zero exit with a message', () => {
  beforeEach(() => {
    outcomes = {};
  });

  it('metrics', async () => {
    await fc.assert(
      fc.asyncProperty(degenerate, async (g) => {
        const f = build(g);
        const r = await runInProcess(['metrics', '--features', f.x, '--labels', f.y, '--quiet', '--json', '-']);
        assertContract(r, 'metrics', (doc) => ['nc1_trace_ratio', 'nc1_pinv', 'nc1_cdnv', 'nc2_etf', 'ncc_accuracy'].map((k) => doc[k]));
      }),
      { numRuns: 25 },
    );
    expect(outcomes[0]).toBeGreaterThan(0);
  }, 60_000);

  it('deep-rfm on files', async () => {
    await fc.assert(
      fc.asyncProperty(degenerate, fc.constantFrom('laplace', 'gaussian'), async (g, kernel) => {
        const f = build(g);
        const r = await runInProcess(['deep-rfm', '--dataset', 'files', '--features', f.x, '--labels', f.y, '--depth', '1', '--width', '8', '--kernel', kernel, '--gram-samples', '8', '--quiet', '--json', '-']);
        assertContract(r, 'deep-rfm', (doc) => (doc.layers as Record<string, unknown>[]).flatMap((l) => [l.nc1_in, l.nc1_out, l.train_acc]));
      }),
      { numRuns: 12 },
    );
    expect(outcomes[0]).toBeGreaterThan(0);
  }, 90_000);

  it('ufm with tiny or huge regularisation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(1e-300, 1e-12, 1e-3, 1, 1e6, 1e300), fc.constantFrom(1e-300, 1e-6, 0.1, 1e300), fc.integer({ min: 2, max: 4 }), async (lw, lh, K) => {
        const r = await runInProcess(['ufm', '--model', 'mse', '--K', String(K), '--n', '2', '--d', String(K + 1), '--lambda-w', String(lw), '--lambda-h', String(lh), '--quiet', '--json', '-']);
        assertContract(r, 'ufm', () => []);
      }),
      { numRuns: 10 },
    );
    expect(outcomes[0]).toBeGreaterThan(0);
  }, 60_000);
});
