/** Running NumPy peer scripts (python3) with a clean BLAS environment. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parsePeerOutput, type PeerOutput } from './peer-output.js';
import { PEERS_DIR } from './paths.js';
import { cpus } from 'node:os';
import { unpinnedEnv } from './blas-env.js';
import type { Spawner } from './spawner.js';

export { PINNED_BLAS_VARIABLES } from './blas-env.js';

/**
 * The environment a peer runs in: `env` less the pinning variables ({@link unpinnedEnv}, the same
 * removal our own process gets from `unpinOwnProcess`), plus `NCLAB_BENCH_REPEATS` and, unless set,
 * `NCLAB_BENCH_THREADS` = the number of cores (torch peers pass it to `torch.set_num_threads`; NumPy's
 * OpenBLAS already uses every core).
 * @returns the new environment and the names that were removed (recorded in the results).
 */
export function peerEnv(env: NodeJS.ProcessEnv, repeats: number): { env: NodeJS.ProcessEnv; unset: string[] } {
  const { env: out, unset } = unpinnedEnv(env);
  out.NCLAB_BENCH_REPEATS = String(repeats);
  out.NCLAB_BENCH_THREADS ??= String(cpus().length);
  return { env: out, unset };
}

/** The Python interpreter peers run with: `NCLAB_BENCH_PYTHON`, else `python3`. */
export function pythonCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.NCLAB_BENCH_PYTHON || 'python3';
}

/** What the NumPy probe found: versions and BLAS (build and the kernel OpenBLAS chose at run time). */
export type NumpyProbe =
  | { ok: true; python: string; numpy: string; blasBuild: unknown; blasRuntime: unknown; unsetVariables: string[] }
  | { ok: false; reason: string };

/**
 * Checks that `python3` runs and imports NumPy, under the same environment the peers get.
 * Never throws: a missing interpreter or NumPy is reported as `{ ok: false, reason }`.
 */
export function probeNumpy(env: NodeJS.ProcessEnv = process.env): NumpyProbe {
  const py = pythonCommand(env);
  const { env: penv, unset } = peerEnv(env, 1);
  const r = spawnSync(py, [join(PEERS_DIR, '_probe_numpy.py')], { env: penv, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, reason: `cannot run ${py}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${py} exited with ${r.status}: ${tail(r.stderr)}` };
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    if (!j.ok) return { ok: false, reason: String(j.reason) };
    return { ok: true, python: j.python, numpy: j.numpy, blasBuild: j.blas_build, blasRuntime: j.blas_runtime, unsetVariables: unset };
  } catch {
    return { ok: false, reason: `unexpected probe output: ${tail(r.stdout)}` };
  }
}

/** Options of {@link runPeer} / {@link runPeerVia}. */
export interface RunPeerOptions {
  repeats: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  python?: string;
}

function peerCommand(script: string, args: readonly string[], options: RunPeerOptions): { py: string; argv: string[]; env: NodeJS.ProcessEnv; timeoutMs: number; maxBuffer: number } {
  const path = join(PEERS_DIR, script);
  if (!existsSync(path)) throw new Error(`peer script not found: ${path}`);
  const py = options.python ?? pythonCommand(options.env);
  const { env } = peerEnv(options.env ?? process.env, options.repeats);
  return { py, argv: [path, ...args], env, timeoutMs: options.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 };
}

function peerResult(script: string, r: { error: string | null; status: number | null; signal: string | null; stdout: string; stderr: string }): PeerOutput {
  if (r.error) throw new Error(`peer ${script} could not run: ${r.error}`);
  if (r.status !== 0) throw new Error(`peer ${script} exited with ${r.status ?? r.signal}: ${tail(r.stderr)}`);
  return parsePeerOutput(r.stdout);
}

/**
 * Runs `tools/bench/peers/<script>` with `args` (under `options.python`, default {@link pythonCommand}) and parses its JSON line.
 * @throws {Error} when the script is missing, exits non-zero, times out, or prints no valid JSON line.
 */
export function runPeer(script: string, args: readonly string[], options: RunPeerOptions): PeerOutput {
  const c = peerCommand(script, args, options);
  const r = spawnSync(c.py, c.argv, { env: c.env, encoding: 'utf8', timeout: c.timeoutMs, maxBuffer: c.maxBuffer });
  return peerResult(script, { error: r.error ? r.error.message : null, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' });
}

/**
 * {@link runPeer} through the harness's helper process ({@link startSpawner}), so that this process is
 * not forked between its own timed runs.
 * @throws {Error} as {@link runPeer}, or when the helper has ended.
 */
export async function runPeerVia(spawner: Spawner, script: string, args: readonly string[], options: RunPeerOptions): Promise<PeerOutput> {
  const c = peerCommand(script, args, options);
  return peerResult(script, await spawner.run(c.py, c.argv, { env: c.env, timeoutMs: c.timeoutMs, maxBuffer: c.maxBuffer }));
}

/** The last `n` characters of a process's output, for error messages. */
export function tail(s: string | null | undefined, n = 600): string {
  const t = (s ?? '').trim();
  return t.length > n ? `…${t.slice(-n)}` : t;
}
