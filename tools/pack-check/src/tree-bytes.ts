import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Apparent size of a folder tree in bytes, as `du -sb` reports it on Linux: the `lstat` size of every
 * entry (files, folders and links themselves; links are not followed). Hard links count once per name.
 *
 * @param path - the folder (or file).
 * @returns the total size in bytes.
 * @example
 * treeBytes('node_modules'); // e.g. 1_234_567
 */
export function treeBytes(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  let total = st.size;
  for (const e of readdirSync(path)) total += treeBytes(join(path, e));
  return total;
}
