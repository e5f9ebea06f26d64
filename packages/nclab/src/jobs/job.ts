/**
 * What a job is: one home for a piece of research work ("data → algorithm → result → report").
 * A job declares its flags (for the CLI, `nclab run` and `nclab sweep`), turns parsed flags into
 * typed options, and runs: it loads the data, calls the research libraries, keeps its checkpoints
 * and builds its report. The CLI command, the library entry (`runJob`) and the examples all call
 * {@link Job.run}: one front door per job.
 */
import type { Progress } from '../cli/progress.js';
import type { CommandSpec, FlagValues, GlobalValues, OptionSpec } from '../cli/spec.js';
import type { RunReport, WriteReportOptions, WrittenReport } from '../report/write.js';

/** Where a job reports progress; the CLI passes its stderr reporter, the library a silent one. */
export interface JobEnv {
  /** A progress reporter over `total` steps. */
  progress(label: string, total: number): Progress;
  /** The command line shown in the report (CLI runs only). */
  readonly command?: string;
  /** Engine summary recorded in `result.json` (`engine`, tfjs backend, linear-algebra path). */
  readonly engine?: Record<string, unknown>;
}

/** What a job run returns: the library's typed result, the report and a human-readable summary. */
export interface JobRun<T> {
  /** The typed (camelCase) result of the research library. */
  result: T;
  /** Tables, plots and metadata; `report.result` is what `result.json` holds (snake_case keys). */
  report: RunReport;
  /** The text the CLI prints on stdout when no JSON goes there. */
  text: string;
  /** Writes `result.json`, the SVG plots (PNG on request) and `report.html` to `dir`, then finishes the run's files (e.g. removes its checkpoint). */
  writeReport(dir: string, options?: WriteReportOptions): Promise<WrittenReport>;
}

/**
 * A job: its flag declaration, the flags → options mapping, and the run.
 *
 * @typeParam Opts - the flag declarations (kept literal, so parsed values are typed).
 * @typeParam O - the job's options.
 * @typeParam T - the library result.
 */
export interface Job<Opts extends readonly OptionSpec[], O, T> {
  /** The CLI declaration: name, summary, usage, flags, examples. */
  readonly spec: Omit<CommandSpec, 'options'> & { readonly options: Opts };
  /** Typed options from parsed flags (throws `UsageError` for combinations the flags cannot express). */
  fromFlags(values: FlagValues<Opts> & GlobalValues): O | Promise<O>;
  /** Runs the job. */
  run(options: O, env?: JobEnv): Promise<JobRun<T>>;
  /**
   * Whether the job computes on the tfjs engine. False for a job that uses only the float64 host
   * contract (`@nclab/backend/host`): its CLI command starts no engine unless `--engine` asks for one,
   * and `result.json` records engine `none`. Default true.
   */
  readonly usesTfjs?: boolean;
}

/** Any job (for registries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJob = Job<readonly OptionSpec[], any, unknown>;

/**
 * Declares a job; the `const` type parameter keeps the flag declarations literal so that
 * `fromFlags` receives typed values (no casts).
 *
 * @param job - spec, fromFlags and run.
 * @returns the same object, typed.
 */
export function defineJob<const Opts extends readonly OptionSpec[], O, T>(job: Job<Opts, O, T>): Job<Opts, O, T> {
  return job;
}

const silentProgress: Progress = { update: () => {}, log: () => {}, done: () => {} };

/** The environment of a library call: no progress output, no command line. */
export const SILENT_ENV: JobEnv = { progress: () => silentProgress };

/** Seconds since `t0` (a `performance.now()` reading). */
export const secondsSince = (t0: number): number => (performance.now() - t0) / 1000;
