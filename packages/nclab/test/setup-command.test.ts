/**
 * `nclab setup native`: builds @nclab/backend's addon into the folder the loader reads
 * (NCLAB_NATIVE_DIR here, a temporary folder), reports a missing compiler as exit 1 with the reason,
 * and rejects an unknown target as a usage error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess, spawnCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nclab-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const haveCc = spawnSync('cc', ['--version']).status === 0;
if (!haveCc) console.warn('[nclab] SKIPPED the setup native build test: no C compiler (cc)');

describe('nclab setup', () => {
  it('rejects an unknown target with exit 2', async () => {
    const r = await runInProcess(['setup', 'nativ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`native`');
  });

  it('reports a missing C compiler with exit 1 and the reason in the JSON', () => {
    const r = spawnCli(['setup', 'native', '--force', '--json', '-'], { NCLAB_NATIVE_DIR: join(dir, 'none'), CC: 'nclab-no-such-cc' });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { built: boolean; error: string };
    expect(j.built).toBe(false);
    expect(j.error).toContain('nclab-no-such-cc');
    expect(existsSync(join(dir, 'none', 'nclab_blas.node'))).toBe(false);
  });

  it.skipIf(!haveCc)('builds the addon into the native folder and loads it', () => {
    const r = spawnCli(['setup', 'native', '--json', '-'], { NCLAB_NATIVE_DIR: join(dir, 'built') });
    const j = JSON.parse(r.stdout) as { built: boolean; addon: string; linalg: { path: string } | null };
    expect(j.built).toBe(true);
    expect(j.addon).toBe(join(dir, 'built', 'nclab_blas.node'));
    expect(existsSync(j.addon)).toBe(true);
    // native when a BLAS/LAPACK library is installed (exit 0), else portable with the reason (exit 1)
    expect(r.code).toBe(j.linalg?.path === 'native' ? 0 : 1);
  });
});
