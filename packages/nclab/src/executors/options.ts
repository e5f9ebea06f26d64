/**
 * The executor flags shared by `nclab sweep`, `nclab run` and sharded `nclab metrics`.
 */
import type { OptionSpec, ParsedArgs } from '../cli/spec.js';
import { UsageError } from '../cli/errors.js';
import type { ExecutorSettings } from './plan.js';

/** Executor names. */
export const EXECUTORS = ['local', 'slurm'] as const;

/** Flag declarations (appended to each command's options). */
export const EXECUTOR_OPTIONS: OptionSpec[] = [
  { name: 'executor', kind: 'string', choices: EXECUTORS, default: 'local', description: 'where points run: this machine, or one Slurm job array' },
  { name: 'workers', kind: 'integer', min: 1, default: 1, valueName: 'P', description: 'local: P processes (1: in this process)' },
  { name: 'points-per-task', kind: 'integer', min: 1, default: 1, valueName: 'B', description: 'slurm: points per array task (for grids beyond the array limit)' },
  { name: 'max-parallel', kind: 'integer', min: 0, default: 0, valueName: 'P', description: 'slurm: at most P array tasks at once (%P; 0 = no limit)' },
  { name: 'slurm-arg', kind: 'string', multiple: true, keepCommas: true, valueName: 'ARG', description: 'slurm: an sbatch argument, e.g. --slurm-arg=--time=01:00:00 (repeat)' },
  { name: 'signal', kind: 'string', default: 'USR1@120', valueName: 'SIG@S', description: 'slurm: signal sent S seconds before the time limit; the task checkpoints and is requeued ("" = none)' },
  { name: 'no-wait', kind: 'boolean', description: 'slurm: return after submitting (then `nclab collect DIR`)' },
];

/**
 * Reads the executor flags.
 * @param command - for error messages.
 * @param values - parsed values.
 * @returns the settings.
 * @throws {UsageError} for a malformed `--signal` or a flag of the other executor.
 */
export function executorSettings(command: string, values: ParsedArgs['values']): ExecutorSettings {
  const executor = (values.executor as 'local' | 'slurm' | undefined) ?? 'local';
  const signal = (values.signal as string | undefined) ?? 'USR1@120';
  if (signal !== '' && !/^(SIG)?[A-Z0-9]+(@\d+)?$/.test(signal)) throw new UsageError(command, `\`--signal\` must look like USR1@120, got \`${signal}\``);
  const workers = (values.workers as number | undefined) ?? 1;
  if (executor === 'slurm' && workers !== 1) throw new UsageError(command, '`--workers` applies to `--executor local`; use `--max-parallel` with slurm');
  return {
    executor,
    workers,
    pointsPerTask: (values.pointsPerTask as number | undefined) ?? 1,
    maxParallel: (values.maxParallel as number | undefined) ?? 0,
    slurmArgs: ((values.slurmArg as string[] | undefined) ?? []).map(String),
    signal,
  };
}
