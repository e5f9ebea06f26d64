import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** A module hook that refuses to resolve any `@tensorflow/*` specifier, so loading one fails the import. */
const BLOCK_TFJS =
  'export async function resolve(s, c, next) { if (s.startsWith("@tensorflow/")) throw new Error("tfjs-blocked " + s); return next(s, c); }';
const REGISTER = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(BLOCK_TFJS)}`)});`;

/** Imports `specifier` (from sources) in a child Node with `@tensorflow/*` blocked; its export count or its error. */
function importWithoutTfjs(specifier: string): { status: number | null; out: string } {
  const code = `const m = await import(${JSON.stringify(specifier)}); console.log('exports ' + Object.keys(m).length); // one string: console colours numbers under FORCE_COLOR`;
  const r = spawnSync(
    process.execPath,
    ['--conditions=@nclab/source', '--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', code],
    { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, NCLAB_QUIET: '1' } },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('@nclab/backend/host entry', () => {
  it('loads no @tensorflow module', () => {
    const r = importWithoutTfjs('@nclab/backend/host');
    expect(r.out).not.toContain('tfjs-blocked');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/exports \d+/);
  });

  it('control: the full entry does load tfjs-core (the hook really blocks)', () => {
    const r = importWithoutTfjs('@nclab/backend');
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('tfjs-blocked @tensorflow/tfjs-core');
  });

  it('re-exports the same bindings as the full entry (one set of classes and state)', async () => {
    const host = await import('@nclab/backend/host');
    const full = await import('@nclab/backend');
    for (const [k, v] of Object.entries(host)) expect((full as Record<string, unknown>)[k], k).toBe(v);
    expect(full.initEngine).toBeTypeOf('function');
    expect('initEngine' in host).toBe(false);
  });
});
