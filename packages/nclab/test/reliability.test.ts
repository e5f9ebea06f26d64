/**
 * Issue 21: no silent NaN, no mixed resumes, no clobbered runs. One CLI-level test per cause
 * (1–17), each asserting the exit code, that the message names the flag / file / quantity, and
 * that no output, lock or temporary file remains.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE } from '@nclab/backend';
import { writeNpy } from '@nclab/datasets';
import { runJob } from '../src/index.js';
import { runInProcess } from './helpers.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'nclab-rely-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every file and folder below `dir`, hidden ones included (relative paths, sorted). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(join(d, e.name), r);
    }
  };
  walk(dir, '');
  return out.sort();
}
const leftovers = (dir: string): string[] => tree(dir).filter((p) => /\.tmp$|\.tmp-|\.nclab\.lock$/.test(p));

/** A pid that is certainly not alive. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

/** Seeded uniform values. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Writes features [n, d] and labels (n / K per class, round robin) as .npy; returns their paths. */
function dataFiles(dir: string, name: string, x: Float64Array, n: number, d: number, K: number, labels?: number[]): { x: string; y: string } {
  const xp = join(dir, `${name}.npy`);
  const yp = join(dir, `${name}-y.npy`);
  writeNpy(xp, { data: x, shape: [n, d] } as never);
  writeNpy(yp, { data: Float64Array.from(labels ?? Array.from({ length: n }, (_, i) => i % K)), shape: [n] } as never);
  return { x: xp, y: yp };
}

/** Well-separated classes: mean 3·e_c plus uniform noise. */
function blobs(n: number, d: number, K: number, seed = 1): Float64Array {
  const r = lcg(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (j === i % K ? 3 : 0) + r();
  return x;
}

const SMALL_RFM = ['--dataset', 'mnist', '--per-class', '5', '--test-per-class', '2', '--width', '16', '--quiet'];

describe('issue 21: exits 0 with non-finite results never happens', () => {
  it('cause 1: deep-rfm with a collapsing bandwidth exits 1 naming the quantity, the layer and --bandwidth; --allow-nonfinite writes nulls with warnings', async () => {
    const dir = fresh();
    const json = join(dir, 'r.json');
    const r = await runInProcess(['deep-rfm', ...SMALL_RFM, '--depth', '1', '--bandwidth', '1e-12', '--json', json]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/numerical failure in deep-rfm: nc1_\w+ at layer 1 is (Infinity|NaN)/);
    expect(r.stderr).toMatch(/--bandwidth/);
    expect(r.stderr).toMatch(/--allow-nonfinite/);
    expect(tree(dir)).toEqual([]);
    const ok = await runInProcess(['deep-rfm', ...SMALL_RFM, '--depth', '1', '--bandwidth', '1e-12', '--json', json, '--allow-nonfinite']);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc.warnings.some((w: string) => /at layer 1 is (Infinity|NaN).*written as null/.test(w))).toBe(true);
    expect(ok.stderr).toMatch(/warning: nc1_/);
  }, 60_000);

  it('cause 2: probe mlp with AdamW stops like SGD when the loss overflows: exit 1 naming the epoch and the learning rate', async () => {
    const dir = fresh();
    const r = await runInProcess(['probe', 'mlp', '--dataset', 'mnist', '--per-class', '10', '--depth', '2', '--width', '16', '--epochs', '3', '--lr', '1e3', '--optimizer', 'adamw', '--no-nfa', '--quiet', '--json', join(dir, 'r.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/numerical failure/);
    expect(r.stderr).toMatch(/epoch \d/);
    expect(r.stderr).toMatch(/learning rate|--lr/);
    expect(tree(dir)).toEqual([]);
  }, 60_000);

  it('cause 3: metrics with an undefined metric (two classes with one mean: CDNV = ∞) exits 1 naming it; --allow-nonfinite reports it in warnings', async () => {
    const dir = fresh();
    const n = 40;
    const x = blobs(n, 6, 4);
    // classes 0 and 1 get the same rows, so the same mean; the other classes stay apart
    for (let i = 0; i < n; i++) if (i % 4 === 1) for (let j = 0; j < 6; j++) x[i * 6 + j] = x[(i - 1) * 6 + j];
    const f = dataFiles(dir, 'pair', x, n, 6, 4);
    const r = await runInProcess(['metrics', '--features', f.x, '--labels', f.y, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nc1_cdnv is Infinity/);
    expect(r.stderr).toMatch(/--allow-nonfinite/);
    const ok = await runInProcess(['metrics', '--features', f.x, '--labels', f.y, '--quiet', '--allow-nonfinite', '--json', '-']);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout);
    expect(doc.nc1_cdnv).toBeNull();
    expect(doc.warnings.some((w: string) => /nc1_cdnv is Infinity/.test(w))).toBe(true);
  });

  it('cause 4: class means equal up to round-off give a warning with the condition number', async () => {
    const dir = fresh();
    const n = 40;
    const x = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) for (let j = 0; j < 4; j++) x[i * 4 + j] = 1 + (Math.floor(i / 4) % 10) + (j === 0 ? (i % 4) * 1e-15 : 0);
    const f = dataFiles(dir, 'near', x, n, 4, 4);
    const r = await runInProcess(['metrics', '--features', f.x, '--labels', f.y, '--quiet', '--json', '-']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const w = doc.warnings.find((s: string) => /class means coincide up to round-off/.test(s));
    expect(w).toMatch(/condition number tr Σ_T \/ tr Σ_B = \d\.\de\+\d+/);
    expect(r.stderr).toMatch(/warning: class means coincide/);
  });
});

describe('issue 21: wrong results without an error', () => {
  it('cause 5a: deep-rfm --resume with other feature files of the same shape is refused, naming the file and fields', async () => {
    const dir = fresh();
    const a = dataFiles(dir, 'a', blobs(30, 5, 3, 1), 30, 5, 3);
    const b = dataFiles(dir, 'b', blobs(30, 5, 3, 2), 30, 5, 3);
    const out = join(dir, 'out');
    // a run that stopped after its checkpoint (the library keeps it until the report is written)
    await runJob('deep-rfm', { dataset: 'files', files: { features: a.x, labels: a.y }, depth: 1, kernel: 'laplace', width: 8, seed: 0, checkpointDir: join(out, 'checkpoint'), agopPrecision: 'float64' } as never);
    expect(existsSync(join(out, 'checkpoint', 'state.json'))).toBe(true);
    const r = await runInProcess(['deep-rfm', '--dataset', 'files', '--features', b.x, '--labels', a.y, '--depth', '1', '--width', '8', '--resume', '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/`--resume` must be a checkpoint of the same input data\. Value: `features \([^)]*sampleHash/);
    expect(leftovers(out)).toEqual([]);
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  }, 60_000);

  it('cause 5b: probe mlp --resume with another --lr is refused, naming lr', async () => {
    const dir = fresh();
    const common = ['--dataset', 'mnist', '--per-class', '3', '--depth', '2', '--width', '8', '--no-nfa', '--probe-every', '1', '--quiet'];
    expect((await runInProcess(['probe', 'mlp', ...common, '--epochs', '1', '--lr', '0.05', '--out', dir])).code).toBe(0);
    const r = await runInProcess(['probe', 'mlp', ...common, '--epochs', '2', '--lr', '0.1', '--resume', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other lr/);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it('cause 6: --features without --dataset files is a usage error before MNIST is read', async () => {
    const r = await runInProcess(['deep-rfm', '--features', 'X.npy', '--labels', 'y.npy', '--depth', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--features, --labels need `--dataset files` \(the dataset is `mnist`\)/);
  });

  it('cause 7: one run per --out: a held lock refuses a second run; a stale one is taken over; no lock or temp remains', async () => {
    const dir = fresh();
    const ufm = ['ufm', '--model', 'mse', '--K', '3', '--n', '2', '--d', '4', '--lambda-w', '0.1', '--lambda-h', '0.1', '--quiet', '--out', dir];
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now', command: 'nclab deep-rfm' }));
    const busy = await runInProcess(ufm);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/output directory .* is in use by process \d+ on .*\(nclab deep-rfm\)/);
    expect(tree(dir)).toEqual([LOCK_FILE]);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), started: 'then' }));
    const ok = await runInProcess(ufm);
    expect(ok.code).toBe(0);
    expect(leftovers(dir)).toEqual([]);
    // two concurrent runs on one directory: exactly one proceeds
    const both = await Promise.all([runInProcess(ufm), runInProcess(ufm)]);
    expect(both.map((b) => b.code).sort()).toEqual([0, 1]);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it('cause 8: portable equals native for rff + Gaussian deep-rfm (the AGOP defaults to float64 on both paths)', async () => {
    const opts = { dataset: 'mnist', perClass: 10, testPerClass: 10, depth: 3, featureMap: 'rff', kernel: 'gaussian', width: 256, seed: 5 } as const;
    const native = await runJob('deep-rfm', { ...opts, linalg: 'native' } as never);
    const portable = await runJob('deep-rfm', { ...opts, linalg: 'portable' } as never);
    expect(portable.result.config.agopPrecision).toBe('float64');
    for (let l = 0; l < 3; l++) {
      const a = native.result.layers[l];
      const b = portable.result.layers[l];
      for (const k of ['nc1In', 'nc1Agop', 'nc1Out'] as const) expect(Math.abs(b[k] / a[k] - 1)).toBeLessThan(1e-2);
    }
    expect(Math.abs(portable.result.final.testAcc! - native.result.final.testAcc!)).toBeLessThanOrEqual(0.02);
  }, 120_000);
});

describe('issue 21: misleading or raw errors, hangs, leftovers', () => {
  it('cause 9: a diverged network (probe mlp --lr 1e6) is a numerical failure naming --lr, not invalid input', async () => {
    const r = await runInProcess(['probe', 'mlp', '--dataset', 'mnist', '--per-class', '5', '--depth', '2', '--width', '8', '--epochs', '2', '--lr', '1e6', '--no-nfa', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/numerical failure/);
    expect(r.stderr).toMatch(/--lr|learning rate/);
    expect(r.stderr).not.toMatch(/invalid argument/);
  }, 60_000);

  it('cause 10: a label of 1e9 or 1e8 is refused at once, naming --labels and the bound', async () => {
    const dir = fresh();
    for (const big of [1e9, 1e8]) {
      const f = dataFiles(dir, `big${big}`, blobs(20, 3, 2), 20, 3, 2, Array.from({ length: 20 }, (_, i) => (i === 3 ? big : i % 2)));
      const t0 = performance.now();
      const m = await runInProcess(['metrics', '--features', f.x, '--labels', f.y, '--quiet']);
      expect(m.code).toBe(2);
      expect(m.stderr).toMatch(new RegExp(`\`--labels\` must be integers in \\[0, 20\\).*Value: \`${big}\``));
      const d = await runInProcess(['deep-rfm', '--dataset', 'files', '--features', f.x, '--labels', f.y, '--depth', '1', '--width', '8', '--quiet']);
      expect(d.code).toBe(2);
      expect(d.stderr).toMatch(/labels.* must be integers in \[0, 20\)/);
      expect(performance.now() - t0).toBeLessThan(10_000);
    }
  });

  it('cause 11: messages name the flag and the file, never internals (a.shape)', async () => {
    const dir = fresh();
    const p = join(dir, 'X_3d.npy');
    writeNpy(p, { data: new Float64Array(24), shape: [2, 3, 4] } as never);
    const f = dataFiles(dir, 'ok', blobs(2, 3, 2), 2, 3, 2);
    const r = await runInProcess(['metrics', '--features', p, '--labels', f.y, '--quiet']);
    expect(r.code).toBe(2);
    // a rank-3 array is read as one flattened row per sample ([2, 3, 4] → [2, 12]); its 2 rows against
    // 6 labels must be reported in terms of the flags, not of the converter's or metric's parameters
    expect(r.stderr).toMatch(/`--(features|labels)`/);
    expect(r.stderr).not.toMatch(/a\.shape|a\.data|numClasses|`b`/);
  });

  it('cause 12: absurd sizes give a clear error with the bytes needed, at once; --out /proc/x does not hang', async () => {
    const t0 = performance.now();
    const w = await runInProcess(['deep-rfm', ...SMALL_RFM, '--depth', '1', '--width', '1000000000000']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/`--width` is too large: .* needs .*\(\d+(e\+\d+)? bytes\)/);
    const k = await runInProcess(['ufm', '--model', 'mse', '--K', '100000', '--n', '5', '--d', '100000', '--lambda-w', '0.1', '--lambda-h', '0.1', '--quiet']);
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/`--K` is too large: .* bytes/);
    const g = await runInProcess(['spectra', 'density', '--K', '3', '--n', '2', '--d', '4', '--depth', '2', '--lambda-w', '0.01', '--lambda-h', '0.01', '--at-optimum', '--grid-points', '100000000', '--quiet']);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/`--grid-points` is too large: .* bytes/);
    const proc = await runInProcess(['ufm', '--model', 'mse', '--K', '3', '--n', '2', '--d', '4', '--lambda-w', '0.1', '--lambda-h', '0.1', '--quiet', '--out', '/proc/nclab-x']);
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/`--out` must be a directory that can be created/);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 30_000);

  it('cause 13: --out \'\', --json \'\', --json DIR and NCLAB_LINALG=bogus are usage errors before any computation', async () => {
    const dir = fresh();
    // per-class 5000 would take minutes: each check must fail before it
    const heavy = ['deep-rfm', '--dataset', 'mnist', '--per-class', '5000', '--depth', '8', '--quiet'];
    const cases: [string[], RegExp][] = [
      [[...heavy, '--out', ''], /`--out` must be a non-empty directory path/],
      [[...heavy, '--json', ''], /`--json` must be a non-empty file path/],
      [[...heavy, '--json', dir], /`--json` must be a file path \(not a directory\)/],
      [[...heavy, '--json', join(dir, 'missing', 'r.json')], /`--json` must be a file path in an existing directory/],
    ];
    for (const [argv, msg] of cases) {
      const r = await runInProcess(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    vi.stubEnv('NCLAB_LINALG', 'bogus');
    try {
      const r = await runInProcess(heavy);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/environment variable `NCLAB_LINALG` must be one of auto, native, portable, cuda, got `bogus`/);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(tree(dir)).toEqual([]);
  });

  describe('cause 14: leftovers', () => {
    afterEach(() => vi.restoreAllMocks());

    it('temp files of a killed run are removed by the next run on the same --out', async () => {
      const dir = fresh();
      const dead = deadPid();
      mkdirSync(join(dir, 'checkpoint'));
      writeFileSync(join(dir, `.result.json.${dead}.1.0.tmp`), '{"trunc');
      writeFileSync(join(dir, 'checkpoint', `.state.json.${dead}.1.0.tmp`), '{');
      const r = await runInProcess(['ufm', '--model', 'mse', '--K', '3', '--n', '2', '--d', '4', '--lambda-w', '0.1', '--lambda-h', '0.1', '--quiet', '--out', dir]);
      expect(r.code).toBe(0);
      expect(leftovers(dir)).toEqual([]);
    });

    it('a full disk (ENOSPC) during a checkpoint write fails with exit 1 and leaves no temp file and no lock', async () => {
      const dir = fresh();
      const fsp = process.getBuiltinModule('fs/promises') as typeof import('node:fs/promises');
      const real = fsp.writeFile;
      vi.spyOn(fsp, 'writeFile').mockImplementation(async (file, data, options) => {
        if (String(file).includes('checkpoint')) {
          await real(file, 'partial', options as never);
          throw Object.assign(new Error(`ENOSPC: no space left on device, write '${String(file)}'`), { code: 'ENOSPC' });
        }
        return real(file, data, options as never);
      });
      const r = await runInProcess(['deep-rfm', ...SMALL_RFM, '--depth', '1', '--out', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ENOSPC/);
      expect(leftovers(dir)).toEqual([]);
      expect(tree(dir).filter((p) => p.endsWith('.bin') || p.endsWith('state.json'))).toEqual([]);
    }, 60_000);
  });

  it('cause 15: a symbolic link planted as DIR/checkpoint is refused; the file outside --out is untouched', async () => {
    const dir = fresh();
    const outside = fresh();
    writeFileSync(join(outside, 'state.json'), 'precious');
    symlinkSync(outside, join(dir, 'checkpoint'));
    const r = await runInProcess(['deep-rfm', ...SMALL_RFM, '--depth', '1', '--resume', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/symbolic link/);
    expect(r.stderr).toContain(join(dir, 'checkpoint'));
    expect(readFileSync(join(outside, 'state.json'), 'utf8')).toBe('precious');
    expect(tree(outside)).toEqual(['state.json']);
    expect(leftovers(dir)).toEqual([]);
  });

  it('cause 16: sweep: a non-numeric grid value exits 2 before any run; a mistyped --summary path is an error', async () => {
    const dir = fresh();
    const base = ['sweep', 'ufm', '--set', 'model=mse', '--set', 'n=2', '--set', 'd=4', '--set', 'lambda-w=0.1', '--set', 'lambda-h=0.1', '--quiet'];
    const bad = await runInProcess([...base, '--grid', 'K=3,abc', '--out', join(dir, 's1')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/`nclab ufm .*--K abc .*` failed: .*`--K` must be an integer/);
    expect(existsSync(join(dir, 's1'))).toBe(false);
    const typo = await runInProcess([...base, '--grid', 'K=3', '--summary', 'nc1.valeu', '--out', join(dir, 's2')]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/`--summary nc1\.valeu` names nothing in the result of `ufm`/);
  }, 30_000);

  it('cause 17: nclab run escapes control characters of experiment names; the CSV reader takes decimals only and reports overflow', async () => {
    const dir = fresh();
    const cfg = join(dir, 'exp.json');
    writeFileSync(cfg, JSON.stringify([{ name: 'evil\u001b]0;pwned\u0007\u001b[2J', command: 'ufm', options: { model: 'mse', K: 3, n: 2, d: 4, 'lambda-w': 0.1, 'lambda-h': 0.1 } }]));
    const r = await runInProcess(['run', cfg, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J');
    const hex = join(dir, 'hex.csv');
    writeFileSync(hex, '1,2\n3,0x10\n');
    const h = await runInProcess(['metrics', '--features', hex, '--labels', hex, '--quiet']);
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/hex\.csv: line 2, column 2 \(c1\): "0x10" is not a finite number/);
    const big = join(dir, 'big.csv');
    writeFileSync(big, '1,1e400\n');
    const b = await runInProcess(['metrics', '--features', big, '--labels', big, '--quiet']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/big\.csv: line 1, column 2 \(c1\): "1e400" is not a finite number: it overflows/);
  });
});
