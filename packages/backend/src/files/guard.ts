/**
 * Path guards of the output directory (Node only): writes under `--out` never follow a symbolic
 * link planted below it (a `checkpoint` folder or a file linked elsewhere would otherwise let a
 * resume overwrite a file outside `--out`), and output paths are checked before any computation.
 */
import { InvalidArgumentError } from '../errors/errors.js';
import { fs, path as nodePath } from './node.js';

async function lstatOrUndefined(p: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fs().lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Throws when any existing component of `target` strictly below `root` is a symbolic link
 * (`lstat`, never `stat`). `root` itself may be a link: the user named it. Components that do not
 * exist yet are fine (they will be created as real folders).
 *
 * @param root - the output directory (`--out`).
 * @param target - a path inside `root` about to be written or read back.
 * @param argument - the argument named in the error (default `'out'`).
 * @returns when no component is a link.
 * @throws {InvalidArgumentError} naming the link, when one is found or `target` is outside `root`.
 * @example
 * await assertNoSymlinkBelow('runs/a', 'runs/a/checkpoint/state.json');
 */
export async function assertNoSymlinkBelow(root: string, target: string, argument = 'out'): Promise<void> {
  const { join, relative, resolve, sep } = nodePath();
  const rel = relative(resolve(root), resolve(target));
  if (rel.startsWith('..') || nodePath().isAbsolute(rel)) throw new InvalidArgumentError(argument, `a path inside ${root}`, target);
  let here = root;
  for (const part of rel.split(sep).filter((p) => p !== '')) {
    here = join(here, part);
    const st = await lstatOrUndefined(here);
    if (!st) return;
    if (st.isSymbolicLink()) {
      throw new InvalidArgumentError(argument, 'a directory whose files and folders are not symbolic links (nclab does not write through links)', here, 'remove the link or use another directory');
    }
  }
}

/**
 * Creates directory `dir` and its missing parents one level at a time (no `recursive: true`: Node's
 * recursive `mkdir` loops forever under `/proc`), so a path that cannot be a directory fails at once
 * with an error naming the flag.
 *
 * @param dir - the directory (e.g. the `--out` value).
 * @param flag - the flag named in errors (default `'out'`).
 * @returns the topmost directory created (remove it when the run leaves nothing), or `undefined`
 *   when `dir` existed.
 * @throws {InvalidArgumentError} for an empty path, a path through a file, or a directory that
 *   cannot be created.
 * @example
 * const created = await ensureDir('runs/a'); // 'runs' when neither existed
 */
export async function ensureDir(dir: string, flag = 'out'): Promise<string | undefined> {
  if (typeof dir !== 'string' || dir.trim() === '') throw new InvalidArgumentError(flag, 'a non-empty directory path', dir);
  const { dirname, resolve } = nodePath();
  const { mkdir, stat } = fs();
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    let st: import('node:fs').Stats | undefined;
    try {
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new InvalidArgumentError(flag, 'a writable directory', dir, (e as Error).message);
    }
    if (st) {
      if (!st.isDirectory()) throw new InvalidArgumentError(flag, 'a directory (or a path that can be created as one)', dir, `${p} is not a directory`);
      break;
    }
    const up = dirname(p);
    if (up === p) break;
    missing.push(p);
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      await mkdir(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new InvalidArgumentError(flag, 'a directory that can be created', dir, `${(e as NodeJS.ErrnoException).code ?? (e as Error).message} creating ${m}`);
    }
  }
  return missing[0];
}

/**
 * Checks an output file path before any computation: non-empty, not a directory, and its folder
 * is an existing directory.
 *
 * @param file - the `--json` (or other output file) value.
 * @param flag - the flag named in errors.
 * @returns when `file` can be written.
 * @throws {InvalidArgumentError} for an empty path, a directory, or an unwritable folder.
 * @example
 * await assertOutputFile('runs/a.json', 'json');
 */
export async function assertOutputFile(file: string, flag: string): Promise<void> {
  if (typeof file !== 'string' || file.trim() === '') throw new InvalidArgumentError(flag, 'a non-empty file path', file);
  const st = await lstatOrUndefined(file);
  if (st?.isDirectory()) throw new InvalidArgumentError(flag, 'a file path (not a directory)', file);
  const parent = nodePath().dirname(nodePath().resolve(file));
  let dir: import('node:fs').Stats | undefined;
  try {
    dir = await fs().stat(parent);
  } catch {
    dir = undefined;
  }
  if (!dir?.isDirectory()) throw new InvalidArgumentError(flag, 'a file path in an existing directory', file, `${parent} is not a directory`);
}
