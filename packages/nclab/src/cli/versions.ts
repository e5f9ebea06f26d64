/**
 * Versions of the nclab packages, read from their installed `package.json` files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Every package of the toolkit, in dependency order. */
export const NCLAB_PACKAGES = [
  '@nclab/backend',
  '@nclab/datasets',
  '@nclab/nc-metrics',
  '@nclab/agop',
  '@nclab/deep-rfm',
  '@nclab/ufm',
  '@nclab/spectra',
  '@nclab/nn-probes',
  'nclab',
] as const;

/**
 * The installed version of a package (`null` when it cannot be resolved).
 *
 * @param name - package name, e.g. `@nclab/backend`.
 * @returns the `version` field of its package.json, or null.
 */
export function packageVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require(`${name}/package.json`) as { version?: string };
    return pkg.version ?? null;
  } catch {
    // packages whose `exports` hide package.json: look in the node_modules search path
    for (const dir of require.resolve.paths(name) ?? []) {
      const file = join(dir, name, 'package.json');
      if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
    }
    return null;
  }
}

/**
 * Versions of every nclab package plus the runtime and the key third-party libraries.
 *
 * @returns name → version (null if not installed).
 */
export function collectVersions(): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of NCLAB_PACKAGES) out[name] = packageVersion(name);
  for (const name of ['@tensorflow/tfjs-core', 'vega', 'vega-lite']) out[name] = packageVersion(name);
  out.node = process.versions.node;
  return out;
}
