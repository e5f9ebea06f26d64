/**
 * TensorFlow.js is an optional peer of @nclab/backend: when its packages are missing, the first engine call
 * raises EngineUnavailableError naming them and the install command. The missing packages are simulated
 * through the engine's importer (nothing is uninstalled).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resetEngineForTests, setEngineImporter } from '../src/engine/engine.js';
import { EngineUnavailableError, NclabError, getTf, initEngine } from '../src/index.js';

const realImport = (spec: string): Promise<unknown> => import(/* @vite-ignore */ spec);

/** An importer where `absent` (and tfjs-node, never installed here) fail as a missing package does in Node. */
function without(...absent: string[]): (spec: string) => Promise<unknown> {
  return async (spec) => {
    if (absent.includes(spec) || spec.startsWith('@tensorflow/tfjs-node')) {
      throw Object.assign(new Error(`Cannot find package '${spec}' imported from engine.js`), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return realImport(spec);
  };
}

async function failure(p: Promise<unknown>): Promise<EngineUnavailableError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(EngineUnavailableError);
  return err as EngineUnavailableError;
}

afterEach(() => {
  setEngineImporter(undefined);
  resetEngineForTests({ unloadCore: true });
});

describe('engine without TensorFlow.js installed', () => {
  it('tfjs-core missing: a typed error naming tfjs-core and the engine backend, with the install command', async () => {
    setEngineImporter(without('@tensorflow/tfjs-core'));
    resetEngineForTests({ unloadCore: true });
    const err = await failure(initEngine({ engine: 'cpu' }));
    expect(err).toBeInstanceOf(NclabError);
    expect(err.code).toBe('ENGINE_UNAVAILABLE');
    expect(err.engine).toBe('cpu');
    expect(err.packages).toEqual(['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-core']);
    expect(err.message).toContain('`npm install @tensorflow/tfjs-backend-cpu @tensorflow/tfjs-core`');
    expect((err.cause as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
    expect(() => getTf()).toThrow(EngineUnavailableError);
  });

  it('tfjs-core missing under auto (Node): names the wasm backend, the default engine', async () => {
    setEngineImporter(without('@tensorflow/tfjs-core'));
    resetEngineForTests({ unloadCore: true });
    const err = await failure(initEngine());
    expect(err.engine).toBe('auto');
    expect(err.packages).toEqual(['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core']);
  });

  it('a named backend missing: the typed error names that package', async () => {
    setEngineImporter(without('@tensorflow/tfjs-backend-wasm'));
    const err = await failure(initEngine({ engine: 'wasm' }));
    expect(err.packages).toEqual(['@tensorflow/tfjs-backend-wasm']);
    expect(err.message).toContain('`npm install @tensorflow/tfjs-backend-wasm`');
  });

  it('auto with both the wasm and cpu backends missing: one typed error with the install command', async () => {
    setEngineImporter(without('@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'));
    const err = await failure(initEngine({ engine: 'auto' }));
    expect(err.engine).toBe('auto');
    expect(err.message).toMatch(/wasm unavailable; cpu unavailable/);
    expect(err.message).toContain('`npm install @tensorflow/tfjs-backend-wasm`');
    expect(err.packages).toEqual(['@tensorflow/tfjs-backend-wasm']);
  });

  it('once the packages load, the same process initialises the engine (nothing is cached from the failure)', async () => {
    setEngineImporter(without('@tensorflow/tfjs-core'));
    await failure(initEngine({ engine: 'cpu' }));
    setEngineImporter(without());
    const info = await initEngine({ engine: 'cpu' });
    expect(info.tfjsBackend).toBe('cpu');
    expect(getTf().getBackend()).toBe('cpu');
  });
});
