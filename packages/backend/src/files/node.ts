/**
 * `node:fs/promises` and `node:path`, reached through `process.getBuiltinModule` when first used,
 * so importing `@nclab/backend` stays possible where Node's modules are absent (a browser bundle);
 * the file utilities themselves need Node.
 */
import { NclabError } from '../errors/errors.js';

type Proc = { getBuiltinModule?: (name: string) => unknown };

function builtin<T>(name: string): T {
  const mod = (globalThis as { process?: Proc }).process?.getBuiltinModule?.(name) as T | undefined;
  if (!mod) throw new NclabError('NODE_ONLY', `the nclab file utilities need Node.js ≥ 20.16 (\`${name}\` is unavailable)`);
  return mod;
}

/** Node's promise file-system API. @returns `node:fs/promises`. @throws {NclabError} code `NODE_ONLY` outside Node. */
export const fs = (): typeof import('node:fs/promises') => builtin('fs/promises');
/** Node's synchronous file-system API (for callers that must stay sync). @returns `node:fs`. @throws {NclabError} code `NODE_ONLY` outside Node. */
export const fsSync = (): typeof import('node:fs') => builtin('fs');
/** Node's path API. @returns `node:path`. @throws {NclabError} code `NODE_ONLY` outside Node. */
export const path = (): typeof import('node:path') => builtin('path');
/** Node's operating-system API. @returns `node:os`. @throws {NclabError} code `NODE_ONLY` outside Node. */
export const os = (): typeof import('node:os') => builtin('os');
/** Node's hashing API. @returns `node:crypto`. @throws {NclabError} code `NODE_ONLY` outside Node. */
export const crypto = (): typeof import('node:crypto') => builtin('crypto');
