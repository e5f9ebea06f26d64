import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/registry.js';
import { flagName } from '../src/cli/spec.js';
import { runInProcess, spawnCli } from './helpers.js';

describe('nclab (spawned from source)', () => {
  it('`info --json` reports the engine, the linear-algebra path, every package version and MNIST', () => {
    const r = spawnCli(['info', '--json', '--engine', 'cpu', '--quiet']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.engine.engine).toBe('cpu');
    expect(info.engine.tfjs_backend).toBe('cpu');
    expect(['native', 'portable', 'cuda']).toContain(info.engine.linalg_path);
    expect(typeof info.cuda.available).toBe('boolean');
    expect(info.cuda.libraries.find((l: { library: string }) => l.library === 'cuda')).toBeDefined();
    for (const p of ['@nclab/backend', '@nclab/datasets', '@nclab/nc-metrics', '@nclab/agop', '@nclab/deep-rfm', '@nclab/ufm', '@nclab/spectra', '@nclab/nn-probes', 'nclab']) {
      expect(info.versions[p]).toMatch(/^\d+\.\d+\.\d+/);
    }
    expect(info.datasets.find((d: { name: string }) => d.name === 'mnist').found).toBe(true);
    expect(r.stderr).toBe(''); // --quiet: nothing on stderr
  });

  it('exits with 2 and a clear message on a usage error', () => {
    const r = spawnCli(['deep-rfm', '--per-class', '10', '--depth', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nclab deep-rfm: error: `--depth` must be an integer ≥ 1, got `0`');
    expect(r.stderr).toContain('Run `nclab deep-rfm --help` for usage.');
    expect(r.stdout).toBe('');
  });
});

describe('nclab --help', () => {
  it('lists every command and exits 0', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    // commands named `_…` are internal (Slurm array tasks) and stay out of the top-level help
    for (const c of COMMANDS) if (!c.spec.name.startsWith('_')) expect(r.stdout).toContain(c.spec.name);
  });

  it.each(COMMANDS.map((c) => c.spec.name))('`%s --help` documents the flags and exits 0', async (name) => {
    const r = await runInProcess([...name.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: nclab ${name}`);
    expect(r.stdout).toContain('--json OUT');
    const spec = COMMANDS.find((c) => c.spec.name === name)!.spec;
    for (const o of spec.options) expect(r.stdout).toContain(`--${flagName(o)}`);
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const r = await runInProcess([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: nclab <command>');
  });
});

describe('usage errors exit with 2', () => {
  it.each([
    [['frobnicate'], 'unknown command `frobnicate`'],
    [['deep-rfm', '--depth', '3', '--kernel', 'rbf', '--per-class', '5'], '`--kernel` must be one of laplace, gaussian, exponential, linear, arccos0, arccos1, ntk, got `rbf`'],
    [['deep-rfm', '--per-class', '5'], 'missing required flag `--depth`'],
    [['deep-rfm', '--depth', '2'], '`--per-class` is required with `--dataset mnist`'],
    [['deep-rfm', '--per-class', '5', '--depth', '2', '--bandwidth', '-1'], '`--bandwidth` must be a number > 0, got `-1`'],
    [['metrics', '--labels', 'y.npy'], 'missing required flag `--features`'],
    [['metrics', '--features', '/nonexistent/x.npy', '--labels', '/nonexistent/y.npy'], '`--labels` must be an existing .npy, .npz or .csv file'],
    [['info', '--widht', '3'], "Unknown option '--widht'"],
  ])('%j', async (argv, message) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
