import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, loadCheckpoint, saveCheckpoint, tempPathFor, toJson, writeJsonAtomic } from '../src/index.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'nclab-files-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('atomic writes', () => {
  it('writes JSON with typed arrays as arrays and NaN as null, leaving no temporary file', async () => {
    const dir = fresh();
    await writeJsonAtomic(join(dir, 'sub', 'r.json'), { a: new Float64Array([1, NaN]), b: { c: 'x' } });
    expect(JSON.parse(readFileSync(join(dir, 'sub', 'r.json'), 'utf8'))).toEqual({ a: [1, null], b: { c: 'x' } });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['r.json']);
    expect(toJson([[1, 2], [3, 4]])).toBe('[\n  [1,2],\n  [3,4]\n]\n');
  });

  it('gives every call its own temporary name, carrying the process id', () => {
    const a = tempPathFor('/x/result.json');
    const b = tempPathFor('/x/result.json');
    expect(a).not.toBe(b);
    expect(a).toContain(`.${process.pid}.`);
  });
});

describe('checkpoint container', () => {
  const config = { seed: 0, depth: 3 };
  const arrays = { train: { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, w: { data: new Float32Array([0.5, -1]), shape: [2] } };

  it('round-trips config, steps, meta and arrays bit for bit, and keeps only the newest array files', async () => {
    const dir = fresh();
    expect(await loadCheckpoint(dir, config)).toBeUndefined();
    await saveCheckpoint(dir, { config, completed: 1, meta: { rows: [1] }, arrays });
    await saveCheckpoint(dir, { config, completed: 2, meta: { rows: [1, 2] }, arrays });
    const back = await loadCheckpoint<{ rows: number[] }>(dir, { depth: 3, seed: 0 });
    expect(back?.completed).toBe(2);
    expect(back?.meta.rows).toEqual([1, 2]);
    expect(Array.from(back!.arrays.train.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back!.arrays.w.data).toBeInstanceOf(Float32Array);
    expect(back!.arrays.train.shape).toEqual([2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'train.2.bin', 'w.2.bin']);
  });

  it('refuses another configuration, naming the differing field', async () => {
    const dir = fresh();
    await saveCheckpoint(dir, { config, completed: 1, meta: null, arrays });
    const err = await loadCheckpoint(dir, { ...config, seed: 1 }, 'checkpointDir').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe('checkpointDir');
    expect((err as Error).message).toMatch(/other seed/);
  });

  it('refuses a truncated array file', async () => {
    const dir = fresh();
    await saveCheckpoint(dir, { config, completed: 1, meta: null, arrays });
    writeFileSync(join(dir, 'train.1.bin'), new Uint8Array(8));
    await expect(loadCheckpoint(dir, config)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
