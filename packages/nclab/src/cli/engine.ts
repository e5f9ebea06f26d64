/**
 * Engine selection for CLI commands: `--engine` wins over `NCLAB_ENGINE`, which wins over `auto`;
 * the float64 linear-algebra path: `--linalg` wins over `NCLAB_LINALG`, which wins over `auto`.
 */
import { getLinalgInfo, initEngine, type EngineName } from '@nclab/backend';
import type { CommandContext } from './context.js';
import { LINALG_FLAG_CHOICES } from './spec.js';

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

/**
 * Selects the float64 linear-algebra path before a command runs: the `--linalg` value, else
 * `NCLAB_LINALG` (`auto` when unset or not a path name). Selecting it explicitly also skips the
 * backend's one-line announcement, which is how `--quiet` silences it without touching
 * `process.env`.
 * TODO(merge): with the backend's `setLinalgQuiet`, call it here for `--quiet` instead of relying
 * on the explicit selection being silent.
 *
 * @param requested - the `--linalg` value, if given.
 * @returns when the path is selected.
 * @throws {InvalidArgumentError} (exit 2) when `native` is requested but cannot be loaded.
 */
export async function applyLinalg(requested: (typeof LINALG_FLAG_CHOICES)[number] | undefined): Promise<void> {
  const { setLinalgPath } = await import('@nclab/backend');
  const env = process.env.NCLAB_LINALG;
  const fromEnv = (LINALG_FLAG_CHOICES as readonly string[]).includes(env ?? '') ? (env as (typeof LINALG_FLAG_CHOICES)[number]) : 'auto';
  if (requested === undefined && fromEnv === 'native') {
    // as the backend does for NCLAB_LINALG: fall back to auto when native cannot load
    try {
      setLinalgPath('native');
    } catch {
      setLinalgPath('auto');
    }
    return;
  }
  setLinalgPath(requested ?? fromEnv);
}

/**
 * Initialises the tfjs engine chosen by `--engine` / `NCLAB_ENGINE` and reports it with the
 * float64 linear-algebra path.
 *
 * @param ctx - the command context (reads `--engine`).
 * @returns the engine summary stored in every result.
 * @throws EngineUnavailableError when the requested engine cannot start (exit code 1).
 */
export async function setupEngine(ctx: CommandContext): Promise<EngineSummary> {
  const requested = ctx.args.values.engine as EngineName | undefined;
  const info = await initEngine(requested ? { engine: requested } : {});
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
