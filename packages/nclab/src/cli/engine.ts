/**
 * Engine selection for CLI commands: `--engine` wins over `NCLAB_ENGINE`, which wins over `auto`.
 */
import { getLinalgInfo, initEngine } from '@nclab/backend';
import type { CommandContext } from './context.js';

/** What a run records about where it computed. */
export interface EngineSummary {
  engine: string;
  tfjs_backend: string;
  tfjs_version: string;
  engine_reason: string;
  linalg_path: string;
  linalg_library: string;
  linalg_reason: string;
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
  const requested = ctx.args.values.engine as string | undefined;
  const info = await initEngine(requested ? { engine: requested as never } : {});
  const linalg = getLinalgInfo();
  return {
    engine: info.name,
    tfjs_backend: info.tfjsBackend,
    tfjs_version: info.version,
    engine_reason: info.reason,
    linalg_path: linalg.path,
    linalg_library: linalg.library,
    linalg_reason: linalg.reason,
  };
}
