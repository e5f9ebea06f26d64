import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nclab-datasets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** True when python3 with NumPy runs here (cross-checks against NumPy are skipped otherwise). */
export const hasNumpy = (() => {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0;
})();

/** Runs a Python snippet, returns stdout; throws with stderr on failure. */
export function python(code: string, args: string[] = []): string {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}
