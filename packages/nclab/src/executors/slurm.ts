/**
 * The Slurm executor's contact with the cluster: `sbatch` to submit, `squeue` to watch (no accounting
 * daemon needed), and the probe `nclab info` uses. Task outcomes are read from the points' own
 * `status.json` files, not from Slurm.
 */
import { spawnSync } from 'node:child_process';
import { NclabError } from '@nclab/backend';

/** Runs a Slurm client command; throws a `SLURM` NclabError with its stderr on failure. */
function slurmCommand(bin: string, args: readonly string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new NclabError('SLURM', `\`${bin}\` could not be run: ${r.error.message} (is Slurm installed and on PATH?)`);
  if (r.status !== 0) throw new NclabError('SLURM', `\`${bin} ${args.join(' ')}\` failed (exit ${String(r.status)}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/**
 * Submits with `sbatch --parsable`.
 * @param args - the argv after `sbatch` (see `sbatchArgs`).
 * @returns the job id.
 * @throws {NclabError} code `SLURM` when sbatch fails (its message included).
 */
export function submit(args: readonly string[]): string {
  const out = slurmCommand('sbatch', args).trim();
  const id = out.split(';')[0];
  if (!/^\d+$/.test(id)) throw new NclabError('SLURM', `sbatch printed \`${out}\`, expected a job id`);
  return id;
}

/** State of one queued array task (`RUNNING`, `PENDING`, `COMPLETING`, …). */
export interface QueuedTask {
  job: string;
  /** Array task id, or null for a plain job. */
  task: number | null;
  state: string;
}

/**
 * The tasks of `jobs` still known to `squeue` (one line per array element).
 * @param jobs - job ids.
 * @returns queued tasks; finished ones are absent.
 */
export function queued(jobs: readonly string[]): QueuedTask[] {
  if (jobs.length === 0) return [];
  const r = spawnSync('squeue', ['-h', '-r', '-o', '%i %T', '-j', jobs.join(',')], { encoding: 'utf8', timeout: 60_000 });
  // squeue exits non-zero for job ids it no longer knows: nothing is queued then
  if (r.error) throw new NclabError('SLURM', `\`squeue\` could not be run: ${r.error.message}`);
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [id, state] = l.split(/\s+/);
      const m = /^(\d+)(?:_(\d+))?$/.exec(id);
      return { job: m ? m[1] : id, task: m?.[2] !== undefined ? Number(m[2]) : null, state: state ?? 'UNKNOWN' };
    });
}

/** Cancels jobs (best effort). */
export function cancel(jobs: readonly string[]): void {
  if (jobs.length) spawnSync('scancel', [...jobs], { timeout: 60_000 });
}

/** What {@link probeSlurm} finds. */
export interface SlurmProbe {
  /** `sbatch` runs and answers `--version`. */
  available: boolean;
  /** `slurm 22.05.8`, or why not available. */
  detail: string;
}

/**
 * Whether `sbatch` is reachable (for `nclab info`): runs `sbatch --version` and, when it works,
 * `sinfo -h -o %P/%a/%T` to show the partitions.
 * @returns availability and a one-line detail.
 */
export function probeSlurm(): SlurmProbe {
  const v = spawnSync('sbatch', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (v.error) return { available: false, detail: (v.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'sbatch not found on PATH' : `sbatch did not run: ${v.error.message}` };
  if (v.status !== 0) return { available: false, detail: `sbatch --version failed (exit ${v.status}): ${(v.stderr || v.stdout || '').trim().split('\n')[0]} (is SLURM_CONF set?)` };
  const s = spawnSync('sinfo', ['-h', '-o', '%P %a %T'], { encoding: 'utf8', timeout: 10_000 });
  const parts = s.status === 0 ? s.stdout.trim().split('\n').filter(Boolean).join(', ') : `sinfo failed: ${(s.stderr || '').trim().split('\n')[0]}`;
  return { available: true, detail: `${v.stdout.trim()}; partitions: ${parts || 'none'}` };
}

/**
 * Whether Slurm tests can run here: `sbatch` reachable and `SLURM_CONF` set (as `.ci/run` does).
 * @returns null when they can, else the reason to print when skipping.
 */
export function slurmSkipReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!env.SLURM_CONF) return 'SLURM_CONF is not set (start a cluster with .ci/slurm-up.sh and export SLURM_CONF)';
  const v = spawnSync('sbatch', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (v.error || v.status !== 0) return 'sbatch is not on PATH';
  return null;
}
