import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEngineForTests, setEngineImporter } from '../src/engine/engine.js';
import { EngineUnavailableError, getEngineInfo, getTf, initEngine, InvalidArgumentError } from '../src/index.js';

const realImport = (spec: string): Promise<unknown> => import(/* @vite-ignore */ spec);

/** An importer where tfjs-node(-gpu) are absent (as when they are not installed). */
const withoutTensorflow = async (spec: string): Promise<unknown> => {
  if (spec.startsWith('@tensorflow/tfjs-node')) throw new Error(`Cannot find package '${spec}'`);
  return realImport(spec);
};

/** A fake `@tensorflow/tfjs-node` that registers a `tensorflow` backend (a CPU backend under that name). */
function fakeTfjsNode(loaded: string[]): (spec: string) => Promise<unknown> {
  return async (spec) => {
    loaded.push(spec);
    if (spec === '@tensorflow/tfjs-node-gpu') throw new Error("Cannot find package '@tensorflow/tfjs-node-gpu'");
    if (spec === '@tensorflow/tfjs-node') {
      if (!tf.findBackendFactory('tensorflow')) tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
      return {};
    }
    return realImport(spec);
  };
}

afterEach(() => {
  setEngineImporter(undefined);
  resetEngineForTests();
  delete process.env.NCLAB_ENGINE;
});

describe('engine selection', () => {
  it('tensorflow: tries tfjs-node-gpu, then tfjs-node, and activates the backend it registers', async () => {
    const loaded: string[] = [];
    setEngineImporter(fakeTfjsNode(loaded));
    const info = await initEngine({ engine: 'tensorflow' });
    expect(loaded.filter((s) => s !== '@tensorflow/tfjs-core')).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']); // tfjs-core too, on the first load
    expect(info.name).toBe('tensorflow');
    expect(getTf().getBackend()).toBe('tensorflow');
  });

  it('auto prefers tensorflow when it can be loaded, and says so', async () => {
    setEngineImporter(fakeTfjsNode([]));
    const info = await initEngine({ engine: 'auto' });
    expect(info.name).toBe('tensorflow');
    expect(info.reason).toMatch(/auto/);
  });

  it('tensorflow absent: EngineUnavailableError says how to install it and that install needs network', async () => {
    setEngineImporter(withoutTensorflow);
    const err = await initEngine({ engine: 'tensorflow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-node/);
    expect((err as Error).message).toMatch(/network access/);
  });

  it('a module that loads but registers no backend is reported, not silently used', async () => {
    setEngineImporter(async (spec) => (spec.startsWith('@tensorflow/tfjs-node') ? {} : realImport(spec)));
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    await expect(initEngine({ engine: 'tensorflow' })).rejects.toThrow(/registered no 'tensorflow' backend/);
  });

  it('auto falls back to wasm when tensorflow is absent and reports what it skipped', async () => {
    setEngineImporter(withoutTensorflow);
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    const info = await initEngine();
    expect(info.name).toBe('wasm');
    expect(info.reason).toMatch(/tensorflow unavailable/);
    expect(getEngineInfo()).toBe(info);
  });

  it('NCLAB_ENGINE selects the engine when no option is given; a bad value is a typed error', async () => {
    process.env.NCLAB_ENGINE = 'cpu';
    expect((await initEngine()).name).toBe('cpu');
    resetEngineForTests();
    process.env.NCLAB_ENGINE = 'tpu';
    await expect(initEngine()).rejects.toThrow(InvalidArgumentError);
    await expect(initEngine()).rejects.toThrow(/NCLAB_ENGINE/);
  });

  it('rejects an unknown engine name and browser-only engines in Node', async () => {
    await expect(initEngine({ engine: 'gpu' as 'cpu' })).rejects.toThrow(/`options.engine` must be one of/);
    await expect(initEngine({ engine: 'webgl' })).rejects.toThrow(EngineUnavailableError);
    await expect(initEngine({ engine: 'webgl' })).rejects.toThrow(/browser/);
  });

  it('webgpu in Node needs the optional `webgpu` package (Dawn): a typed error naming it when absent or without an adapter', async () => {
    const missing = (spec: string): Promise<unknown> => Promise.reject(new Error(`Cannot find package '${spec}'`));
    setEngineImporter(missing);
    try {
      await expect(initEngine({ engine: 'webgpu' })).rejects.toThrow(EngineUnavailableError);
      await expect(initEngine({ engine: 'webgpu' })).rejects.toThrow(/`webgpu` package.*float32 only.*Cannot find package 'webgpu'/);
      const noAdapter = { create: () => ({ requestAdapter: async () => null }), globals: {} };
      setEngineImporter((spec) => (spec === 'webgpu' ? Promise.resolve(noAdapter) : missing(spec)));
      await expect(initEngine({ engine: 'webgpu' })).rejects.toThrow(/no GPU adapter/);
      expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined(); // nothing installed on failure
    } finally {
      setEngineImporter(undefined);
    }
  });

  it('getTf throws a typed error before initEngine', () => {
    expect(() => getTf()).toThrow(EngineUnavailableError);
  });
});
