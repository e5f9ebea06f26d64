/**
 * One run per output directory (Node only): an exclusive lock file `DIR/.nclab.lock` holding the
 * owner's pid, host name and start time, created with `O_CREAT | O_EXCL` so that exactly one of two
 * concurrent runs gets it. A lock whose owner ran on this host and is no longer alive is stale and
 * is taken over; a lock of a live process (or of another host, whose liveness cannot be checked)
 * is refused with {@link OutputLockedError}. The lock is released by {@link OutputLock.release},
 * and on exit or SIGINT / SIGTERM ({@link onExitCleanup}).
 */
import { NclabError } from '../errors/errors.js';
import { tempPathFor } from './atomic.js';
import { onExitCleanup, trackTemp, untrackTemp } from './cleanup.js';
import { ensureDir } from './guard.js';
import { fs, fsSync, os, path as nodePath } from './node.js';

/** The lock file's name inside the output directory. */
export const LOCK_FILE = '.nclab.lock';

/** What the lock file holds. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly started: string;
  /** The command that holds it (informational). */
  readonly command?: string;
}

async function removeEmptyDirs(dir: string, top: string, rmdir: (p: string) => Promise<void>): Promise<void> {
  for (let p = dir; ; p = nodePath().dirname(p)) {
    try {
      await rmdir(p);
    } catch {
      return;
    }
    if (p === top) return;
  }
}

/** A held lock. */
export interface OutputLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file (idempotent). */
  release(): Promise<void>;
}

/** Another live run holds the output directory (code `OUTPUT_LOCKED`). */
export class OutputLockedError extends NclabError {
  /** The locked directory. */
  readonly dir: string;
  /** The holder as recorded in the lock file. */
  readonly owner: LockOwner | undefined;
  constructor(dir: string, owner: LockOwner | undefined) {
    const who = owner ? `process ${owner.pid} on ${owner.host}${owner.command ? ` (${owner.command})` : ''}, since ${owner.started}` : 'another process';
    super('OUTPUT_LOCKED', `the output directory ${dir} is in use by ${who}; wait for it to finish or use another --out (remove ${nodePath().join(dir, LOCK_FILE)} only if that run is gone)`);
    this.dir = dir;
    this.owner = owner;
  }
}

/**
 * Whether process `pid` is alive on this host (signal 0 probes without sending anything).
 *
 * @param pid - a process id.
 * @returns false when no such process exists.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const v = JSON.parse(await fs().readFile(file, 'utf8')) as LockOwner;
    return typeof v?.pid === 'number' && typeof v.host === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a recorded owner is gone: same host and its pid not alive. A lock of another host is
 * never considered stale; an unreadable lock file (a run killed while writing it) is.
 *
 * @param owner - the lock file's content, or undefined when unreadable.
 * @returns true when the lock may be taken over.
 */
export function lockIsStale(owner: LockOwner | undefined): boolean {
  if (!owner) return true;
  return owner.host === os().hostname() && owner.pid !== process.pid && !pidAlive(owner.pid);
}

/**
 * Takes the exclusive lock of output directory `dir` (creating `dir` if needed, see
 * {@link ensureDir}); releasing it removes the folders it created when they stayed empty.
 *
 * @param dir - the output directory.
 * @param command - the command line recorded in the lock (informational).
 * @returns the held lock; release it when the run's files are written.
 * @throws {OutputLockedError} when a live run holds `dir`.
 * @throws {InvalidArgumentError} (argument `out`) when `dir` cannot be created.
 * @throws {Error} from `node:fs` when `dir` cannot be written.
 * @example
 * const lock = await acquireOutputLock('runs/a', 'nclab deep-rfm');
 * try { await work(); } finally { await lock.release(); }
 */
export async function acquireOutputLock(dir: string, command?: string): Promise<OutputLock> {
  const { link, rm, rmdir, writeFile } = fs();
  const file = nodePath().join(dir, LOCK_FILE);
  const created = await ensureDir(dir, 'out');
  const owner: LockOwner = { pid: process.pid, host: os().hostname(), started: new Date().toISOString(), ...(command ? { command } : {}) };
  for (let attempt = 0; attempt < 3; attempt++) {
    // the content goes to a private temp file first and is hard-linked to the lock name, which
    // fails with EEXIST when the lock exists: a lock file is never seen half-written
    const tmp = trackTemp(tempPathFor(file));
    try {
      await writeFile(tmp, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      await link(tmp, file);
      let released = false;
      const forget = onExitCleanup(() => {
        if (!released) fsSync().rmSync(file, { force: true });
      });
      return {
        path: file,
        async release() {
          if (released) return;
          released = true;
          forget();
          await rm(file, { force: true });
          // a run that wrote nothing leaves no folder it created
          if (created) await removeEmptyDirs(nodePath().resolve(dir), created, rmdir);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = await readOwner(file);
      if (!lockIsStale(held)) throw new OutputLockedError(dir, held);
      await rm(file, { force: true });
    } finally {
      await rm(tmp, { force: true });
      untrackTemp(tmp);
    }
  }
  throw new OutputLockedError(dir, await readOwner(file));
}
