/**
 * Cleanup on every exit path (Node only): temporary files being written and output-directory
 * locks held by this process are registered here and removed when the process exits normally,
 * or on SIGINT / SIGTERM / SIGHUP (after which the signal's default action runs: the process ends
 * with 128 + the signal number). `kill -9` cannot be caught; what it leaves is removed by
 * {@link removeLeftoverTemps} at the next run's start.
 */
import { fs, fsSync, path as nodePath } from './node.js';

const temps = new Set<string>();
const actions = new Map<number, () => void>();
let nextAction = 0;
let installed = false;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs every registered cleanup synchronously (temps first, then the other actions); never throws. */
export function runCleanupNow(): void {
  const { rmSync } = fsSync();
  for (const t of temps) {
    try {
      rmSync(t, { force: true, recursive: true });
    } catch {
      // best effort: the next run removes leftovers
    }
  }
  temps.clear();
  for (const [id, act] of [...actions]) {
    actions.delete(id);
    try {
      act();
    } catch {
      // best effort
    }
  }
}

function onSignal(signal: (typeof SIGNALS)[number]): void {
  runCleanupNow();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // re-raise with the default action, so the exit status says which signal ended the run
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanupNow);
  for (const s of SIGNALS) process.on(s, onSignal);
}

/**
 * Registers a temporary file (or folder) this process is writing, so that it is removed on exit or
 * on a signal if it is still there.
 *
 * @param path - the temporary path.
 * @returns `path`.
 * @example
 * const tmp = trackTemp(tempPathFor(target)); try { … } finally { untrackTemp(tmp); }
 */
export function trackTemp(path: string): string {
  install();
  temps.add(path);
  return path;
}

/**
 * Forgets a temporary path (after it was renamed into place or removed).
 *
 * @param path - a path given to {@link trackTemp}.
 */
export function untrackTemp(path: string): void {
  temps.delete(path);
}

/** Paths currently registered by {@link trackTemp} (for tests and diagnostics). @returns a copy. */
export function trackedTemps(): string[] {
  return [...temps];
}

/**
 * Registers a synchronous action run once on exit or on a signal (e.g. removing a lock file).
 *
 * @param action - what to do; errors are ignored.
 * @returns a function that unregisters the action (call it after doing the work yourself).
 * @example
 * const forget = onExitCleanup(() => rmSync(lockPath, { force: true }));
 */
export function onExitCleanup(action: () => void): () => void {
  install();
  const id = nextAction++;
  actions.set(id, action);
  return () => {
    actions.delete(id);
  };
}

/** Names written by {@link tempPathFor}: `.{name}.{pid}.{time}.{counter}.tmp`, and `{name}.tmp-*` folders. */
const TEMP_NAME = /^\..+\.(\d+)\.\d+\.\d+\.tmp$/;

/**
 * Whether `name` is a temporary file name of nclab's writers ({@link tempPathFor}).
 *
 * @param name - a base name.
 * @returns the writer's pid, or `undefined` when the name is not a temporary one.
 */
export function tempOwner(name: string): number | undefined {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Removes temporary files left by killed runs in `dir` and its sub-folders down to `depth` levels
 * (not following symbolic links): every `.{name}.{pid}.….tmp` not written by this process. Call
 * it while holding `dir`'s lock, so no other live run writes there.
 *
 * @param dir - the output directory.
 * @param depth - levels searched: 1 = `dir` only; default 2 (`dir` and its checkpoint folders).
 * @returns the removed paths.
 * @example
 * await removeLeftoverTemps('runs/a'); // ['runs/a/.result.json.4711.1733240000000.0.tmp']
 */
export async function removeLeftoverTemps(dir: string, depth = 2): Promise<string[]> {
  const { readdir, rm } = fs();
  const { join } = nodePath();
  const removed: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    const owner = tempOwner(e.name);
    if (owner !== undefined && owner !== process.pid && !e.isSymbolicLink()) {
      await rm(p, { force: true, recursive: true });
      removed.push(p);
    } else if (e.isDirectory() && depth > 1) {
      removed.push(...(await removeLeftoverTemps(p, depth - 1)));
    }
  }
  return removed;
}
