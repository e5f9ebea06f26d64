/**
 * Environment reading: the one place backend looks at `process.env` (absent in browsers, where
 * every variable reads as unset).
 */

/**
 * The value of environment variable `name`, or `undefined` when it is unset, empty, or there is no
 * `process.env` (browsers).
 * @param name - e.g. `'NCLAB_LINALG'`.
 * @example
 * readEnv('NCLAB_WORKERS'); // '2' or undefined
 */
export function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[name];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * A boolean environment switch: true for `1` or `true`.
 * @param name - e.g. `'NCLAB_QUIET'`.
 */
export function envFlag(name: string): boolean {
  const v = readEnv(name);
  return v === '1' || v === 'true';
}
