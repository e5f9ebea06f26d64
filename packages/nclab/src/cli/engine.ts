/**
 * Engine selection for CLI commands: `--engine` wins over `NCLAB_ENGINE`, which wins over `auto`;
 * the float64 linear-algebra path: `--linalg` wins over `NCLAB_LINALG`, which wins over `auto`.
 */
import { getLinalgInfo, initEngine, setLinalgPath, setLinalgQuiet, type EngineName, type LinalgRequest } from '@nclab/backend';
import type { CommandContext } from './context.js';

/** What a run records about where it computed. */
export interface EngineSummary {
  engine: string;
  tfjs_backend: string;
  tfjs_version: string;
  engine_reason: string;
  /** The float64 linear-algebra path used (`native` or `portable`). */
  linalg: string;
  linalg_path: string;
  linalg_library: string;
  linalg_reason: string;
}

/** The engine record of a run that started none (a float64-only job without `--engine`). */
const NO_ENGINE = {
  name: 'none',
  tfjsBackend: 'none',
  version: 'none',
  reason: 'not started: this job computes with the float64 linear algebra only (--engine starts one anyway)',
} as const;

/**
 * Applies the global flags `--linalg` and `--quiet` before a command runs: `--linalg` selects the
 * float64 linear-algebra path for the process (it wins over `NCLAB_LINALG`, which the backend reads
 * when no path is selected; `auto` when unset); `--quiet` silences the backend's stderr notices
 * through `setLinalgQuiet`, without writing `process.env`.
 *
 * @param requested - the `--linalg` value, if given.
 * @param quiet - the `--quiet` switch.
 * @throws {InvalidArgumentError} (exit 2) when `native` is requested but cannot be loaded.
 */
export function applyLinalg(requested: LinalgRequest | undefined, quiet: boolean): void {
  setLinalgQuiet(quiet ? true : undefined); // not quiet: back to the NCLAB_QUIET default (main may run repeatedly in one process)
  if (requested !== undefined) setLinalgPath(requested);
}

/**
 * Initialises the tfjs engine chosen by `--engine` / `NCLAB_ENGINE` and reports it with the
 * float64 linear-algebra path. A command that computes only through the float64 host contract
 * (`usesTfjs` false: deep-rfm, metrics, ufm, kernel-model) starts no engine unless `--engine` asks for one: starting
 * tfjs costs about 0.17 s a process on the project's machine, for nothing such a job uses. The
 * summary then says `none`.
 *
 * @param ctx - the command context (reads `--engine`).
 * @param usesTfjs - whether the command computes on the tfjs engine (default true).
 * @returns the engine summary stored in every result.
 * @throws EngineUnavailableError when the requested engine cannot start (exit code 1).
 */
export async function setupEngine(ctx: CommandContext, usesTfjs = true): Promise<EngineSummary> {
  const requested = ctx.args.values.engine as EngineName | undefined;
  const info = usesTfjs || requested ? await initEngine(requested ? { engine: requested } : {}) : NO_ENGINE;
  const linalg = getLinalgInfo();
  return {
    engine: info.name,
    tfjs_backend: info.tfjsBackend,
    tfjs_version: info.version,
    engine_reason: info.reason,
    linalg: linalg.path,
    linalg_path: linalg.path,
    linalg_library: linalg.library,
    linalg_reason: linalg.reason,
  };
}
