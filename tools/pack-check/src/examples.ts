/**
 * The example of a package README: its first ```ts fence, which by convention is a complete program
 * (imports included) that a user can paste into a file of an empty project and run.
 *
 * @param readme - the README's Markdown text.
 * @returns the fence's code, or undefined when the README has no ```ts fence.
 */
export function readmeExample(readme: string): string | undefined {
  const m = /^```ts[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/m.exec(readme);
  return m ? m[1] : undefined;
}

/**
 * The tarball file name that `npm pack` writes for a package: `@scope/name` → `scope-name-<version>.tgz`.
 *
 * @param name - the package name, e.g. `@nclab/nc-metrics`.
 * @param version - its version, e.g. `0.1.0`.
 */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * The environment for npm commands run in a scratch project from inside an `npm test`: the outer
 * npm's `npm_*` variables (workspace, prefix, script lifecycle) would point the inner npm at the
 * monorepo, so they are dropped, except the registry, cache and user config the user chose.
 */
export function scratchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())) out[k] = v;
  return out;
}
