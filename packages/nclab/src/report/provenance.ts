/**
 * Where a run's code came from: the nclab version, and the git commit when nclab runs from a clone
 * of its repository (recorded in `result.json` as `nclab_version` / `git_commit` and in report.html).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __NCLAB_VERSION__: string | undefined; // defined from package.json by tools/build-config.mjs

/** The nclab version and, from a clone, the commit (with `-dirty` when tracked files changed). */
export interface Provenance {
  readonly version: string;
  /** `null` when nclab is not running from a git clone of its repository (e.g. installed from npm). */
  readonly commit: string | null;
}

let cached: Provenance | undefined;

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The provenance of this nclab, computed once per process. The commit is read only when the git
 * work tree around this module is nclab's own (it holds `packages/nclab/package.json`), so a user's
 * project that installs nclab from npm does not record its own commit.
 * @example
 * provenance(); // { version: '0.1.0', commit: '190b16f…' } in a clone, { version: '0.1.0', commit: null } from npm
 */
export function provenance(): Provenance {
  if (cached) return cached;
  const version = typeof __NCLAB_VERSION__ === 'string' ? __NCLAB_VERSION__ : '0.0.0-source';
  let commit: string | null = null;
  const here = dirname(fileURLToPath(import.meta.url));
  const top = git(here, ['rev-parse', '--show-toplevel']);
  if (top && existsSync(join(top, 'packages', 'nclab', 'package.json'))) {
    const head = git(top, ['rev-parse', 'HEAD']);
    if (head) commit = git(top, ['status', '--porcelain', '--untracked-files=no'])?.length ? `${head}-dirty` : head;
  }
  cached = { version, commit };
  return cached;
}
