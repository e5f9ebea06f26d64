import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defineBench } from '../src/index.js';
import { loadedBlasLibraries, threadSettings, unpinnedEnv, unpinOwnProcess } from '../src/blas-env.js';
import { peerEnv } from '../src/peer.js';
import { describeBlasLibraries, probeOwnBlas, torchPythonCandidates, type TorchProbe } from '../src/probe.js';
import { runBench } from '../src/runner.js';
import { formatTable, loadCell } from '../src/table.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const fakeNumpy = { ok: true as const, python: '3', numpy: 'x', blasBuild: null, blasRuntime: null, unsetVariables: [] };
const fakeTorch: TorchProbe = { ok: true, python: '3', command: 'python3', torch: 'x', defaultThreads: 1, threads: 2, blasBuild: null, blasRuntime: [], unsetVariables: [] };

describe('one BLAS environment for both sides', () => {
  it('unpinnedEnv drops only the pinning variables that are set, without touching the input', () => {
    const env = { PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_NUM_THREADS: '2' };
    const r = unpinnedEnv(env);
    expect(r.unset).toEqual(['OPENBLAS_CORETYPE']);
    expect(r.env).toEqual({ PATH: '/bin', OPENBLAS_NUM_THREADS: '2' });
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');
  });

  it('unpinOwnProcess removes them from the given environment and reports what it removed', () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', HOME: '/root' };
    const r = unpinOwnProcess(env);
    expect(r.unset).toEqual(['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']);
    expect(env).toEqual({ HOME: '/root' });
    expect(Array.isArray(r.loadedBefore)).toBe(true);
    expect(unpinOwnProcess(env).unset).toEqual([]);
  });

  it('peers get the same removal, the repeats and a thread count (kept when the caller set one)', () => {
    const a = peerEnv({ OPENBLAS_L2_SIZE: '1' }, 3);
    expect(a.unset).toEqual(['OPENBLAS_L2_SIZE']);
    expect(Number(a.env.NCLAB_BENCH_THREADS)).toBeGreaterThanOrEqual(1);
    expect(peerEnv({ NCLAB_BENCH_THREADS: '7' }, 1).env.NCLAB_BENCH_THREADS).toBe('7');
  });

  it('lists thread variables and GLIBC_TUNABLES as set, in a fixed order', () => {
    expect(threadSettings({ OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '1', X: '3' })).toEqual(['OPENBLAS_NUM_THREADS=1', 'OMP_NUM_THREADS=2']);
    expect(threadSettings({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })).toEqual(['GLIBC_TUNABLES=glibc.malloc.hugetlb=1']);
    expect(threadSettings({})).toEqual([]);
  });

  it('finds BLAS libraries in a /proc/self/maps text', () => {
    const maps = [
      '7f00-7f01 r-xp 00000000 08:01 123  /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
      '7f01-7f02 r--p 00001000 08:01 123  /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
      '7f02-7f03 r-xp 00000000 08:01 124  /usr/lib/x86_64-linux-gnu/blas/libblas.so.3',
      '7f03-7f04 r-xp 00000000 08:01 125  /usr/lib/x86_64-linux-gnu/libc.so.6',
      '7f04-7f05 rw-p 00000000 00:00 0',
    ].join('\n');
    expect(loadedBlasLibraries(maps)).toEqual([
      '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3',
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
    ]);
  });

  it('describes kernels once per distinct kernel/threads/version', () => {
    const cfg = 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64';
    expect(describeBlasLibraries([
      { filepath: 'a', architecture: 'Cooperlake', config: cfg, num_threads: 2 },
      { filepath: 'b', architecture: 'Cooperlake', config: cfg, num_threads: 2 },
    ])).toBe('Cooperlake kernel, 2 threads (OpenBLAS 0.3.21)');
    expect(describeBlasLibraries([{ filepath: 'c', error: 'cannot open' }])).toBe('kernel unknown');
  });

  it('our BLAS probe says so when no library is loaded', () => {
    expect(probeOwnBlas([])).toEqual({ ok: false, reason: expect.stringMatching(/no BLAS library loaded/) });
  });

  it('torch peers run under NCLAB_BENCH_TORCH_PYTHON alone when set, else python3 then the system Python', () => {
    expect(torchPythonCandidates({ NCLAB_BENCH_TORCH_PYTHON: '/opt/py' })).toEqual(['/opt/py']);
    expect(torchPythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
  });
});

describe('PyTorch peer and per-round load', () => {
  it('validates torchPeer.script like peer.script', () => {
    expect(() => defineBench({ name: 'x', run: () => 0, torchPeer: { script: 'a/b.py' } })).toThrow(/`torchPeer.script`/);
  });

  it('records the load average at the start of each round, and shows its 1-minute range', async () => {
    const loads = [[0.5, 1, 1], [2.25, 1, 1], [1, 1, 1]];
    let i = 0;
    const r = await runBench(defineBench({ name: 'l', run: () => 1, repeats: 3 }), { file: 'f', numpy: fakeNumpy, rounds: 3, loadavg: () => loads[i++] });
    expect(r.rounds.map((x) => x.loadavg[0])).toEqual([0.5, 2.25, 1]);
    expect(r.rounds.every((x) => x.ours_s !== null && x.peer_s === null && x.torch_s === null)).toBe(true);
    expect(loadCell(r)).toBe('0.5–2.3');
    expect(formatTable([r]).split('\n')[0]).toMatch(/\| load \(1 min\) *\| check$/);
  });

  it('skips the torch peer with the probe\'s reason, and without a probe', async () => {
    const b = defineBench({ name: 's', torchPeer: { script: '_selftest_echo.py' }, run: () => 1, repeats: 1 });
    const a = await runBench(b, { file: 'f', numpy: fakeNumpy, torch: { ok: false, reason: 'torch not importable' } });
    expect(a.torch).toEqual({ status: 'skipped', reason: 'torch not importable' });
    const c = await runBench(b, { file: 'f', numpy: fakeNumpy });
    expect(c.torch).toEqual({ status: 'skipped', reason: 'PyTorch not probed' });
    expect(formatTable([c]).split('\n')[0]).toMatch(/torch \(median\) *\| ratio ours\/torch/);
  });

  it.skipIf(!hasPython)('runs NumPy and torch peers each round with the same args, and prints both ratios', async () => {
    const b = defineBench({
      name: 'both',
      peer: { script: '_selftest_echo.py' },
      torchPeer: { script: '_selftest_echo.py', args: ['--torch'] },
      setup: () => ({ peerArgs: ['--input', 'x.npy'] }),
      run: () => 42,
      repeats: 4,
      compare: (ours, peer) => ({ ok: ours === 42, detail: `args ${(peer as { args: string[] }).args.join(' ')}` }),
    });
    const r = await runBench(b, { file: 'f', numpy: fakeNumpy, torch: fakeTorch, rounds: 2 });
    expect(r.peer.status).toBe('ok');
    expect(r.torch.status).toBe('ok');
    if (r.torch.status !== 'ok' || r.peer.status !== 'ok') return;
    expect(r.torch.args).toEqual(['--torch', '--input', 'x.npy']);
    expect(r.torch.times_s).toHaveLength(4);
    expect(r.rounds).toHaveLength(2);
    expect(r.rounds.every((x) => x.peer_s === 0.5 && x.torch_s === 0.5)).toBe(true);
    expect(r.torchRatio).toBeCloseTo(r.ours!.median_s / 0.5, 12);
    expect(r.check).toEqual({ ok: true, detail: 'args --input x.npy' });
    expect(r.torchCheck).toEqual({ ok: true, detail: 'args --torch --input x.npy' });
    const row = formatTable([r]).split('\n')[2];
    expect(row).toMatch(/^both .*\| 500 ms .*\| 500 ms .*\| ok: args --input x\.npy; torch ok: args --torch --input x\.npy$/);
  });
});

describe('GFLOP/s columns', () => {
  it('show flops / median for ours and the peer when a bench declares flops', async () => {
    expect(() => defineBench({ name: 'x', run: () => 0, flops: 0 })).toThrow(/`flops`/);
    const r = await runBench(defineBench({ name: 'f', run: () => 1, repeats: 1, flops: 2e9 }), { file: 'f', numpy: fakeNumpy });
    expect(r.flops).toBe(2e9);
    const lines = formatTable([{ ...r, ours: { ...r.ours!, median_s: 0.5 }, peer: { status: 'ok', script: 's', args: [], times_s: [0.25], median_s: 0.25, cpu_times_s: null, cpu_median_s: null, result: null } }]).split('\n');
    expect(lines[0]).toMatch(/GFLOP\/s ours \| GFLOP\/s numpy/);
    expect(lines[2]).toMatch(/\| 4\.00 +\| 8\.00 +\|/);
  });
});
