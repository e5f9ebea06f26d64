/** Whole-process benchmarks: run a Node program in a fresh process and read its CPU time and peak memory. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one child process used. */
export interface ProcessUsage {
  /** Wall-clock seconds from spawn to exit, as seen by the parent. */
  wallSeconds: number;
  /** User + system CPU seconds, all threads, summed over the Node processes of the run (`process.cpuUsage()` at each exit). */
  cpuSeconds: number;
  /**
   * Peak resident memory in bytes (`process.resourceUsage().maxRSS`, i.e. getrusage), summed over the Node
   * processes of the run: exact for one process, an upper bound for a launcher and the program it waits for.
   */
  peakRssBytes: number;
  /** How many Node processes reported (1, or 2 behind a launcher that starts the program again). */
  processes: number;
  /** The child's standard output. */
  stdout: string;
}

const PRELOAD = fileURLToPath(new URL('./process-usage.mjs', import.meta.url));

/**
 * Runs `node [...nodeArgs] script ...args` in a fresh process, waits for it, and returns its wall time, CPU
 * time and peak RSS (measured inside each Node process by a preloaded exit hook, since Node gives a parent
 * no rusage of its children; Node processes the child starts with its Node options report too, and are
 * summed). Throws when the child exits non-zero, with its stderr tail.
 * @param script - the program (a built `.js`, or a `.ts` with `nodeArgs: ['--import', 'tsx']`).
 * @param args - its arguments.
 * @param options - `nodeArgs` before the script, `env` merged over `process.env`.
 * @example
 * const u = runNodeProcess('packages/nclab/dist/cli.js', ['info']);
 * console.log(u.wallSeconds, u.cpuSeconds, u.peakRssBytes);
 */
export function runNodeProcess(script: string, args: string[], options: { nodeArgs?: string[]; env?: Record<string, string> } = {}): ProcessUsage {
  const dir = mkdtempSync(join(tmpdir(), 'nclab-bench-usage-'));
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), '--import', PRELOAD, script, ...args], {
      env: { ...process.env, ...options.env, NCLAB_BENCH_USAGE_DIR: dir },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${r.status ?? r.signal}: ${(r.stderr ?? '').slice(-2000)}`);
    const usage = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cpuSeconds: number; peakRssBytes: number });
    if (usage.length === 0) throw new Error(`${script} exited without reporting its usage`);
    const sum = (k: 'cpuSeconds' | 'peakRssBytes') => usage.reduce((a, u) => a + u[k], 0);
    return { wallSeconds, cpuSeconds: sum('cpuSeconds'), peakRssBytes: sum('peakRssBytes'), processes: usage.length, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
