/**
 * Node-only facilities reached through `process.getBuiltinModule`, so that bundling backend for a
 * browser pulls in no Node module: there each of these reports "unavailable" (undefined).
 */

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
  stderr?: { write(s: string): unknown };
}

/** `require` as created by `module.createRequire`. */
export type NodeRequire = ((id: string) => unknown) & { resolve(id: string): string };

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
}

/** The Node version (e.g. `'20.19.0'`), or undefined outside Node. */
export function nodeVersion(): string | undefined {
  return nodeProcess()?.versions?.node;
}

/**
 * A Node built-in module by id (`'os'`, `'fs'`, `'worker_threads'`, …), or undefined outside Node
 * or on a Node without `process.getBuiltinModule` (< 20.16).
 * @example
 * const os = builtinModule<typeof import('node:os')>('os');
 */
export function builtinModule<T>(id: string): T | undefined {
  return nodeProcess()?.getBuiltinModule?.(id) as T | undefined;
}

/** `require` relative to this module (resolves backend's own dependencies), or undefined outside Node. */
export function nodeRequire(): NodeRequire | undefined {
  const mod = builtinModule<{ createRequire?: (url: string) => NodeRequire }>('module');
  if (!mod?.createRequire) return undefined;
  return mod.createRequire(import.meta.url);
}

/**
 * Writes `text` to the process's standard error.
 * @returns false (and writes nothing) outside Node.
 */
export function writeStderr(text: string): boolean {
  const err = nodeProcess()?.stderr;
  if (!err) return false;
  err.write(text);
  return true;
}
