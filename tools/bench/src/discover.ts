/** Finding bench files and loading their specs. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBench, type Bench } from './define.js';

/**
 * Expands targets (files or folders, relative to `cwd`) into `*.bench.ts` / `*.bench.mts` files, sorted.
 * @throws {Error} when a target does not exist or a file is not a bench file.
 */
export function findBenchFiles(targets: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const t of targets) {
    const p = resolve(cwd, t);
    if (!existsSync(p)) throw new Error(`no such bench file or folder: ${p}`);
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (/\.bench\.m?ts$/.test(f)) out.push(join(p, f));
    } else if (/\.bench\.m?ts$/.test(p)) {
      out.push(p);
    } else {
      throw new Error(`not a bench file (expected NAME.bench.ts): ${p}`);
    }
  }
  return [...new Set(out)];
}

/**
 * Imports a bench file; its default export must be one `defineBench(...)` or an array of them.
 * @throws {Error} when the default export is not a bench.
 */
export async function loadBenches(file: string): Promise<Bench<unknown>[]> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const d = mod.default;
  const list = Array.isArray(d) ? d : [d];
  if (list.length === 0 || !list.every(isBench)) {
    throw new Error(`${file} must default-export defineBench({...}) (or an array of them) from '@nclab/bench'`);
  }
  return list as Bench<unknown>[];
}
