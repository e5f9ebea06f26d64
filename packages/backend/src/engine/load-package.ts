/**
 * Loading the tensor engine's packages. TensorFlow.js (`@tensorflow/tfjs-core` and its backends) is an
 * optional peer dependency of `@nclab/backend`: the float64 packages never load it, so it is installed
 * only by users who ask for a tensor engine. Every import of it goes through {@link loadEnginePackage},
 * so a missing package is an {@link EngineUnavailableError} naming it and the install command, raised by
 * the first engine call (`initEngine`), never a raw `ERR_MODULE_NOT_FOUND` at `import '@nclab/backend'`.
 */
import { EngineUnavailableError } from '../errors/errors.js';

/** The tfjs core package every engine needs. */
export const TFJS_CORE = '@tensorflow/tfjs-core';

/** First line of an error's message (module-resolution errors list every path tried). */
function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] ?? '';
}

/**
 * Runs `load` (an `import()` of `packages[packages.length - 1]`); when it fails, throws an
 * {@link EngineUnavailableError} for `engine` whose `packages` are `packages` and whose message gives
 * `npm install <packages>`.
 * @param engine - the engine being initialised (`auto`, `wasm`, `cpu`, ...).
 * @param load - the import (a literal `import('…')` so bundlers see it, or the injected importer).
 * @param packages - the npm packages to install, the one being loaded last.
 * @returns the loaded module.
 * @throws {EngineUnavailableError} when the import fails.
 */
export async function loadEnginePackage<T>(engine: string, load: () => Promise<T>, packages: readonly string[]): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const loading = packages[packages.length - 1];
    throw new EngineUnavailableError(
      engine,
      `the \`${engine}\` engine needs ${loading}, which could not be loaded (TensorFlow.js is an optional peer ` +
        `dependency of @nclab/backend, installed only for a tensor engine): \`npm install ${packages.join(' ')}\` (${firstLine(err)})`,
      { cause: err, packages },
    );
  }
}
