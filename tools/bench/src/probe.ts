/** Probes of the BLAS each side runs with: ours (the libraries our process loaded) and PyTorch's. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadedBlasLibraries } from './blas-env.js';
import { PEERS_DIR } from './paths.js';
import { peerEnv, pythonCommand, tail } from './peer.js';

/** One OpenBLAS library as `_probe_blas.py` describes it. */
export interface BlasLibraryInfo {
  filepath: string;
  /** The kernel OpenBLAS chose at run time (`openblas_get_corename`), e.g. `Haswell`, `SkylakeX`. */
  architecture?: string | null;
  /** `openblas_get_config()`: version and build options. */
  config?: string;
  num_threads?: number;
  error?: string;
}

/** Our side's BLAS: the libraries our process loaded, described under our (identical) environment. */
export type OwnBlasProbe = { ok: true; libraries: BlasLibraryInfo[] } | { ok: false; reason: string };

/**
 * Describes the BLAS libraries this process has loaded (call it after the benches ran). Node cannot
 * call `openblas_get_corename` itself, so a Python child loads the same files with ctypes under this
 * process's environment: OpenBLAS picks its kernel from the CPU and that environment alone, so the
 * child reports the kernel our calls ran on. Never throws.
 * @param libraries - paths to describe (default: {@link loadedBlasLibraries}).
 */
export function probeOwnBlas(libraries: string[] = loadedBlasLibraries(), env: NodeJS.ProcessEnv = process.env): OwnBlasProbe {
  if (libraries.length === 0) return { ok: false, reason: 'no BLAS library loaded by the benches (portable path only)' };
  const py = pythonCommand(env);
  const r = spawnSync(py, [join(PEERS_DIR, '_probe_blas.py'), ...libraries], { env: { ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, reason: `cannot run ${py}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${py} exited with ${r.status}: ${tail(r.stderr)}` };
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    return { ok: true, libraries: j.libraries as BlasLibraryInfo[] };
  } catch {
    return { ok: false, reason: `unexpected probe output: ${tail(r.stdout)}` };
  }
}

/** What the PyTorch probe found. */
export type TorchProbe =
  | { ok: true; python: string; command: string; torch: string; defaultThreads: number; threads: number; blasBuild: string | null; blasRuntime: BlasLibraryInfo[]; unsetVariables: string[] }
  | { ok: false; reason: string };

/**
 * The interpreters tried for torch peers: `NCLAB_BENCH_TORCH_PYTHON` alone when set, else
 * `python3` then `/usr/bin/python3` (Debian's `python3-torch` installs for the system Python).
 */
export function torchPythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const forced = env.NCLAB_BENCH_TORCH_PYTHON;
  return forced ? [forced] : [pythonCommand(env), '/usr/bin/python3'];
}

/**
 * Finds a Python that imports torch, under the environment torch peers get ({@link peerEnv}: same
 * BLAS settings as ours, `NCLAB_BENCH_THREADS` threads). Never throws: `{ ok: false, reason }` when none does.
 */
export function probeTorch(env: NodeJS.ProcessEnv = process.env): TorchProbe {
  const { env: penv, unset } = peerEnv(env, 1);
  const reasons: string[] = [];
  for (const py of [...new Set(torchPythonCandidates(env))]) {
    const r = spawnSync(py, [join(PEERS_DIR, '_probe_torch.py')], { env: penv, encoding: 'utf8', timeout: 120_000 });
    if (r.error) { reasons.push(`${py}: ${r.error.message}`); continue; }
    if (r.status !== 0) { reasons.push(`${py} exited with ${r.status}`); continue; }
    try {
      const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
      if (!j.ok) { reasons.push(`${py}: ${j.reason}`); continue; }
      return { ok: true, python: j.python, command: py, torch: j.torch, defaultThreads: j.default_threads, threads: j.threads, blasBuild: j.blas_build ?? null, blasRuntime: j.blas_runtime ?? [], unsetVariables: unset };
    } catch {
      reasons.push(`${py}: unexpected probe output`);
    }
  }
  return { ok: false, reason: reasons.join('; ') || 'no python to try' };
}

/** `Haswell kernel, 2 threads (OpenBLAS 0.3.21 …)` for each described library, deduplicated. */
export function describeBlasLibraries(libs: readonly BlasLibraryInfo[]): string {
  const seen = new Set<string>();
  for (const l of libs) {
    if (l.error) continue;
    const version = l.config ? /OpenBLAS\s+([\d.]+)/.exec(l.config)?.[1] : undefined;
    seen.add(`${l.architecture ?? 'unknown'} kernel, ${l.num_threads ?? '?'} threads${version ? ` (OpenBLAS ${version})` : ''}`);
  }
  return seen.size ? [...seen].join('; ') : 'kernel unknown';
}
