/**
 * How a fresh process starts this same CLI (local workers, Slurm tasks): `$NCLAB_CLI` when set (a
 * JSON array, e.g. `["node","--import","tsx","src/cli.ts"]`), else this process's own node, node
 * flags and script (`node /…/nclab/dist/cli.js`).
 */
import { resolve } from 'node:path';
import { NclabError } from '@nclab/backend';

/**
 * The command prefix that runs `nclab` in a new process.
 * @param env - environment (default `process.env`).
 * @returns e.g. `['/usr/bin/node', '/…/dist/cli.js']`.
 * @throws {NclabError} code `PLAN` when `$NCLAB_CLI` is not a JSON array of strings.
 */
export function cliCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.NCLAB_CLI;
  if (raw) {
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      v = null;
    }
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string')) {
      throw new NclabError('PLAN', `NCLAB_CLI must be a JSON array of strings (e.g. ["node","dist/cli.js"]), got ${raw}`);
    }
    return v as string[];
  }
  return [process.execPath, ...process.execArgv, resolve(process.argv[1] ?? 'nclab')];
}
