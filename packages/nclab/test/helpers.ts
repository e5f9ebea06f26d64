import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { main } from '../src/cli/main.js';

/** A writable stream collecting text. */
export class Buffered extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Runs the CLI in-process (fast) and returns its exit code and outputs. */
export async function runInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Buffered();
  const stderr = new Buffered();
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const here = dirname(fileURLToPath(import.meta.url));
/** The CLI source entry. */
export const CLI = join(here, '..', 'src', 'cli.ts');

/** Spawns the real executable from source through tsx (as a user's shell would run it). */
export function spawnCli(argv: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@nclab/source', '--import', 'tsx', CLI, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every key path of a JSON document (`$.a.b`, `$.rows[].c`): what the result.json key-set fixtures pin. */
export function jsonKeyPaths(doc: unknown): Set<string> {
  const paths = new Set<string>();
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object' && !Array.isArray(x)) walk(x, `${p}[]`);
      return;
    }
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { paths.add(`${p}.${k}`); walk(x, `${p}.${k}`); }
  };
  walk(doc, '$');
  return paths;
}

/**
 * Fresh temporary output folders for one test file, all removed after its tests (registers `afterAll`;
 * call it once at module level).
 * @returns a function that makes the next folder.
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/** The parsed `DIR/result.json` of a run. */
export function readResult(dir: string): any {
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
}

/**
 * Asserts that a result document has exactly the key paths of a fixture under `test/jobs/fixtures`
 * (plus `extra`, the paths a flag adds): none new, none missing.
 */
export function expectKeySet(doc: unknown, fixture: string, extra: readonly string[] = []): void {
  const paths = jsonKeyPaths(doc);
  const expected = [...(JSON.parse(readFileSync(join(here, 'jobs', 'fixtures', fixture), 'utf8')) as string[]), ...extra];
  expect([...paths].filter((p) => !expected.includes(p))).toEqual([]);
  expect(expected.filter((p) => !paths.has(p))).toEqual([]);
}

/**
 * Runs `args` for 2 epochs into one folder, and for 1 epoch then `--resume` to 2 into another: what the
 * resume-equality tests of the probe jobs compare. Both runs must succeed.
 * @returns both result documents.
 */
export async function straightAndResumed(args: readonly string[], fresh: () => string): Promise<{ straight: any; resumed: any }> {
  const straight = fresh();
  const split = fresh();
  expect((await runInProcess([...args, '--epochs', '2', '--out', straight])).code).toBe(0);
  expect((await runInProcess([...args, '--epochs', '1', '--out', split])).code).toBe(0);
  const r = await runInProcess([...args, '--epochs', '2', '--out', split, '--resume']);
  expect(r.code, r.stderr).toBe(0);
  return { straight: readResult(straight), resumed: readResult(split) };
}
