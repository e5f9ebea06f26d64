import { describe, expect, it } from 'vitest';
import { runWithoutTfjs } from '../../../tools/without-tfjs.mjs';

/** Imports `specifier` in a child Node with `@tensorflow/*` missing; its export count or its error. */
function importWithoutTfjs(specifier: string): { status: number | null; out: string } {
  // One string per console.log: console colours numbers under FORCE_COLOR.
  return runWithoutTfjs(`const m = await import(${JSON.stringify(specifier)}); console.log('exports ' + Object.keys(m).length);`);
}

describe('@nclab/backend/host entry', () => {
  it('loads no @tensorflow module', () => {
    const r = importWithoutTfjs('@nclab/backend/host');
    expect(r.out).not.toContain('tfjs-blocked');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/exports \d+/);
  });

  it('the full entry imports without tfjs too (tfjs is an optional peer, loaded by initEngine)', () => {
    const r = importWithoutTfjs('@nclab/backend');
    expect(r.out).not.toContain('tfjs-blocked');
    expect(r.status).toBe(0);
  });

  it('without tfjs, initEngine raises EngineUnavailableError naming the packages and the install command (the hook really blocks)', () => {
    const r = runWithoutTfjs(
      'const { initEngine, EngineUnavailableError } = await import("@nclab/backend");' +
        'try { await initEngine({ engine: "cpu" }); console.log("initialised"); } catch (e) {' +
        ' console.log(["typed=" + (e instanceof EngineUnavailableError), "code=" + e.code, "packages=" + e.packages.join(" "), "message=" + e.message].join("\\n")); }',
    );
    expect(r.status).toBe(0);
    expect(r.out).toContain('tfjs-blocked'); // the hook was reached: the engine really tried to load tfjs-core
    expect(r.out).toContain('typed=true');
    expect(r.out).toContain('code=ENGINE_UNAVAILABLE');
    expect(r.out).toContain('packages=@tensorflow/tfjs-backend-cpu @tensorflow/tfjs-core');
    expect(r.out).toContain('`npm install @tensorflow/tfjs-backend-cpu @tensorflow/tfjs-core`');
    expect(r.out).not.toContain('initialised');
  });

  it('re-exports the same bindings as the full entry (one set of classes and state)', async () => {
    const host = await import('@nclab/backend/host');
    const full = await import('@nclab/backend');
    for (const [k, v] of Object.entries(host)) expect((full as Record<string, unknown>)[k], k).toBe(v);
    expect(full.initEngine).toBeTypeOf('function');
    expect('initEngine' in host).toBe(false);
  });
});
