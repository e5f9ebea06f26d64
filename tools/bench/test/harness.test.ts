import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineBench, encodeNpy, median, parsePeerOutput, ratio, rel, writeNpyInput } from '../src/index.js';
import { parseCliArgs } from '../src/args.js';
import { peerEnv } from '../src/peer.js';
import { runBench } from '../src/runner.js';
import { formatTable } from '../src/table.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const fakeNumpy = { ok: true as const, python: '3', numpy: 'x', blasBuild: null, blasRuntime: null, unsetVariables: [] };

describe('statistics', () => {
  it('median of odd and even counts, order-independent', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([9, 1, 8, 2, 7])).toBe(median([1, 2, 7, 8, 9]));
  });

  it('median rejects empty and non-finite input', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, NaN])).toThrow(/finite/);
  });

  it('ratio is ours / peer, null when a side is missing or the peer time is 0', () => {
    expect(ratio(0.3, 0.1)).toBeCloseTo(3, 15);
    expect(ratio(null, 0.1)).toBeNull();
    expect(ratio(0.1, null)).toBeNull();
    expect(ratio(0.1, 0)).toBeNull();
  });
});

describe('relative difference', () => {
  it('is |a − b| / |b| against the reference b, finite for a zero reference', () => {
    expect(rel(1.5, 1)).toBeCloseTo(0.5, 15);
    expect(rel(-3, -2)).toBeCloseTo(0.5, 15);
    expect(rel(1, 1.5)).toBeCloseTo(1 / 3, 15);
    expect(rel(0, 0)).toBe(0);
    expect(Number.isFinite(rel(1e-10, 0))).toBe(true);
  });
});

describe('peer output parsing', () => {
  it('takes the last JSON line, ignoring logs', () => {
    const out = parsePeerOutput('warming up\n{"not": "this"}\n{"times_s": [0.1, 0.2], "result": {"sum": 3}}\n\n');
    expect(out).toEqual({ times_s: [0.1, 0.2], result: { sum: 3 } });
  });

  it('reads optional CPU times and validates them', () => {
    expect(parsePeerOutput('{"times_s": [1], "cpu_times_s": [0.5, 0.7]}').cpu_times_s).toEqual([0.5, 0.7]);
    expect(parsePeerOutput('{"times_s": [1]}').cpu_times_s).toBeUndefined();
    expect(() => parsePeerOutput('{"times_s": [1], "cpu_times_s": [-1]}')).toThrow(/cpu_times_s/);
    expect(() => parsePeerOutput('{"times_s": [1], "cpu_times_s": 3}')).toThrow(/cpu_times_s/);
  });

  it('defaults a missing result to null', () => {
    expect(parsePeerOutput('{"times_s": [1]}').result).toBeNull();
  });

  it('rejects output without JSON, unparsable JSON, and bad times', () => {
    expect(() => parsePeerOutput('Traceback ...')).toThrow(/no JSON line/);
    expect(() => parsePeerOutput('{"times_s": [0.1,')).toThrow(/does not parse/);
    expect(() => parsePeerOutput('{"times_s": []}')).toThrow(/non-empty "times_s"/);
    expect(() => parsePeerOutput('{"times_s": [0.1, -1]}')).toThrow(/non-negative finite/);
    expect(() => parsePeerOutput('{"times_s": ["0.1"]}')).toThrow(/non-negative finite/);
  });
});

describe('peer environment', () => {
  it('unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE only when set, and passes the repeats', () => {
    const a = peerEnv({ PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '1' }, 7);
    expect(a.unset).toEqual(['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']);
    expect(a.env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(a.env.PATH).toBe('/bin');
    expect(a.env.NCLAB_BENCH_REPEATS).toBe('7');
    expect(peerEnv({ PATH: '/bin' }, 1).unset).toEqual([]);
  });
});

describe('defineBench', () => {
  it('validates the spec eagerly', () => {
    expect(() => defineBench({ name: '', run: () => 0 })).toThrow(/`name`/);
    expect(() => defineBench({ name: 'x', run: 3 as never })).toThrow(/`run`/);
    expect(() => defineBench({ name: 'x', run: () => 0, repeats: 0 })).toThrow(/`repeats`/);
    expect(() => defineBench({ name: 'x', run: () => 0, peer: { script: '../evil.py' } })).toThrow(/`peer.script`/);
    expect(defineBench({ name: 'x', run: () => 0 }).__nclabBench).toBe(true);
  });
});

describe('command line', () => {
  it('parses targets and options, with defaults', () => {
    expect(parseCliArgs([])).toEqual({ targets: ['bench'], filter: null, repeats: null, rounds: null, noPeer: false, out: null, help: false });
    expect(parseCliArgs(['--rounds', '3'])).toMatchObject({ rounds: 3 });
    expect(() => parseCliArgs(['--rounds', '1.5'])).toThrow(/--rounds must be a positive integer/);
    expect(parseCliArgs(['a.bench.ts', '--filter', 'mnist', '--repeats', '3', '--no-peer'])).toMatchObject({ targets: ['a.bench.ts'], filter: 'mnist', repeats: 3, noPeer: true });
    expect(() => parseCliArgs(['--repeats', '0'])).toThrow(/positive integer/);
    expect(() => parseCliArgs(['--bogus'])).toThrow();
  });
});

describe('runBench', () => {
  it('times setup-free work, runs one warm-up plus `repeats` timed runs', async () => {
    let calls = 0;
    const r = await runBench(defineBench({ name: 't', run: () => ++calls, repeats: 4 }), { file: 'f', numpy: fakeNumpy });
    expect(calls).toBe(5);
    expect(r.ours!.times_s).toHaveLength(4);
    expect(r.ours!.cpu_times_s).toHaveLength(4);
    expect(r.cpuRatio).toBeNull();
    expect(r.peer).toEqual({ status: 'none' });
    expect(r.error).toBeNull();
  });

  it('runs `warmup` untimed runs (0 allowed) before the timed ones', async () => {
    let calls = 0;
    const r = await runBench(defineBench({ name: 'w', run: () => ++calls, repeats: 2, warmup: 3 }), { file: 'f', numpy: fakeNumpy });
    expect(calls).toBe(5);
    expect(r.warmup).toBe(3);
    calls = 0;
    await runBench(defineBench({ name: 'w0', run: () => ++calls, repeats: 2, warmup: 0 }), { file: 'f', numpy: fakeNumpy });
    expect(calls).toBe(2);
    expect(() => defineBench({ name: 'x', run: () => 0, warmup: -1 })).toThrow(/`warmup`/);
  });

  it('records errors instead of throwing, and still tears down', async () => {
    let tornDown = false;
    const r = await runBench(
      defineBench({ name: 'boom', setup: () => ({}), run: () => { throw new Error('nope'); }, teardown: () => { tornDown = true; } }),
      { file: 'f', numpy: fakeNumpy },
    );
    expect(r.error).toBe('Error: nope');
    expect(r.ours).toBeNull();
    expect(tornDown).toBe(true);
  });

  it('reports "peer skipped" with the reason when NumPy is missing', async () => {
    const b = defineBench({ name: 'p', peer: { script: '_selftest_echo.py' }, run: () => 1, repeats: 1 });
    const r = await runBench(b, { file: 'f', numpy: { ok: false, reason: 'numpy not importable: No module named numpy' } });
    expect(r.peer).toEqual({ status: 'skipped', reason: 'numpy not importable: No module named numpy' });
    expect(r.ratio).toBeNull();
    expect(formatTable([r])).toMatch(/peer skipped \(numpy not importable/);
  });

  it.skipIf(!hasPython)('runs the peer with fixed args then ctx.peerArgs, in a clean BLAS environment, and compares', async () => {
    const saved = { c: process.env.OPENBLAS_CORETYPE, l: process.env.OPENBLAS_L2_SIZE };
    process.env.OPENBLAS_CORETYPE = 'Prescott';
    try {
      const b = defineBench({
        name: 'echo',
        peer: { script: '_selftest_echo.py', args: (ctx: { k: number }) => ['--k', String(ctx.k)] },
        setup: () => ({ k: 2, peerArgs: ['--input', '/tmp/x.npy'] }),
        run: (ctx) => ctx.k * 21,
        repeats: 3,
        compare: (ours, peer) => ({ ok: ours === 42 && (peer as { repeats: number }).repeats === 3, detail: 'echo' }),
      });
      const r = await runBench(b, { file: 'f', numpy: fakeNumpy });
      expect(r.peer.status).toBe('ok');
      if (r.peer.status !== 'ok') return;
      expect(r.peer.args).toEqual(['--k', '2', '--input', '/tmp/x.npy']);
      expect(r.peer.result).toEqual({ args: ['--k', '2', '--input', '/tmp/x.npy'], coretype_set: false, l2_set: false, repeats: 3 });
      expect(r.peer.median_s).toBe(0.5);
      expect(r.ratio).toBeCloseTo(r.ours!.median_s / 0.5, 12);
      expect(r.peer.cpu_median_s).toBe(0.25);
      expect(r.cpuRatio).toBeCloseTo(r.ours!.cpu_median_s / 0.25, 12);
      expect(r.check).toEqual({ ok: true, detail: 'echo' });
      expect(formatTable([r]).split('\n')[2]).toMatch(/^echo .*\| 500 ms .*\| ok: echo$/);
    } finally {
      if (saved.c === undefined) delete process.env.OPENBLAS_CORETYPE;
      else process.env.OPENBLAS_CORETYPE = saved.c;
      if (saved.l !== undefined) process.env.OPENBLAS_L2_SIZE = saved.l;
    }
  });

  it.skipIf(!hasPython)('alternates ours and the peer in rounds, ⌈repeats/rounds⌉ runs each per round', async () => {
    const order: string[] = [];
    let calls = 0;
    const b = defineBench({
      name: 'rounds',
      peer: { script: '_selftest_echo.py' },
      run: () => {
        order.push('ours');
        return ++calls;
      },
      repeats: 5,
      compare: (ours, peer) => {
        order.push('compare');
        return { ok: (peer as { repeats: number }).repeats === 2, detail: `after ${String(ours)} runs` };
      },
    });
    const r = await runBench(b, { file: 'f', numpy: fakeNumpy, rounds: 3 });
    // 1 warm-up + 3 rounds of 2 (5 rounded up to a multiple of the rounds), the peer called with 2 each time
    expect(calls).toBe(7);
    expect(r.repeats).toBe(6);
    expect(r.ours!.times_s).toHaveLength(6);
    expect(r.peer.status).toBe('ok');
    if (r.peer.status !== 'ok') return;
    expect(r.peer.times_s).toHaveLength(6);
    expect(r.check).toEqual({ ok: true, detail: 'after 7 runs' });
    expect(order.at(-1)).toBe('compare');
  });

  it.skipIf(!hasPython)('marks a crashing peer as failed with its stderr', async () => {
    const b = defineBench({ name: 'fail', peer: { script: '_selftest_echo.py', args: ['--fail'] }, run: () => 1, repeats: 1 });
    const r = await runBench(b, { file: 'f', numpy: fakeNumpy });
    expect(r.peer).toMatchObject({ status: 'failed', reason: expect.stringMatching(/exited with 3: asked to fail/) });
    expect(formatTable([r])).toMatch(/peer FAILED/);
  });

  it('reports a missing peer script as failed', async () => {
    const b = defineBench({ name: 'missing', peer: { script: 'no_such_peer.py' }, run: () => 1, repeats: 1 });
    const r = await runBench(b, { file: 'f', numpy: fakeNumpy });
    expect(r.peer).toMatchObject({ status: 'failed', reason: expect.stringMatching(/peer script not found/) });
  });
});

describe('writeNpyInput', () => {
  it('writes an .npy (v1.0 header, 64-byte aligned, C order) the peer can load and returns its path', () => {
    const p = writeNpyInput('harness-selftest', { data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
    expect(existsSync(p)).toBe(true);
    const bytes = readFileSync(p);
    expect(bytes[0]).toBe(0x93);
    expect(bytes.subarray(1, 6).toString()).toBe('NUMPY');
    expect([bytes[6], bytes[7]]).toEqual([1, 0]);
    const headerLen = bytes.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = bytes.subarray(10, 10 + headerLen).toString();
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const body = bytes.subarray(10 + headerLen);
    expect(Array.from(new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => writeNpyInput('../x', { data: new Float32Array(1) })).toThrow(/`name`/);
  });

  it('writes 1-D shapes as a one-tuple and rejects a shape that does not match the data', () => {
    const h = Buffer.from(encodeNpy({ data: Int32Array.from([7, 8, 9]) })).subarray(10).toString('latin1');
    expect(h).toMatch(/'descr': '<i4'.*'shape': \(3,\)/);
    expect(() => encodeNpy({ data: new Float64Array(4), shape: [3] })).toThrow(TypeError);
  });
});

describe('bench discovery', () => {
  it('expands folders to sorted *.bench.ts files and rejects other files and missing paths', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { findBenchFiles, loadBenches } = await import('../src/discover.js');
    const dir = mkdtempSync(join(tmpdir(), 'nclab-bench-test-'));
    try {
      const here = new URL('../src/index.ts', import.meta.url).pathname;
      writeFileSync(join(dir, 'b.bench.ts'), `import { defineBench } from '${here}';\nexport default [defineBench({ name: 'b1', run: () => 1 }), defineBench({ name: 'b2', run: () => 2 })];\n`);
      writeFileSync(join(dir, 'a.bench.ts'), `export default { name: 'not a bench' };\n`);
      writeFileSync(join(dir, 'notes.ts'), `export {};\n`);
      const files = findBenchFiles([dir], '/');
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.bench.ts', 'b.bench.ts']);
      expect((await loadBenches(files[1])).map((b) => b.name)).toEqual(['b1', 'b2']);
      await expect(loadBenches(files[0])).rejects.toThrow(/must default-export defineBench/);
      expect(() => findBenchFiles([join(dir, 'notes.ts')], '/')).toThrow(/not a bench file/);
      expect(() => findBenchFiles([join(dir, 'nope')], '/')).toThrow(/no such bench file or folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
