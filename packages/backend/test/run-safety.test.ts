import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InsufficientMemoryError,
  InvalidArgumentError,
  LOCK_FILE,
  OutputLockedError,
  acquireOutputLock,
  assertMemoryFor,
  assertNoSymlinkBelow,
  assertOutputFile,
  canonicalJson,
  ensureDir,
  fileIdentity,
  lockIsStale,
  loadCheckpoint,
  removeLeftoverTemps,
  saveCheckpoint,
  specHash,
  tempOwner,
  tempPathFor,
  trackedTemps,
  validateLabels,
  writeFileAtomic,
} from '../src/index.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'nclab-safety-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A pid that is certainly not alive: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('output-directory lock', () => {
  it('lets one run hold a directory: a second acquire fails naming the holder, release frees it', async () => {
    const dir = join(fresh(), 'out');
    const lock = await acquireOutputLock(dir, 'nclab deep-rfm');
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname(), command: 'nclab deep-rfm' });
    // the same process counts as live: a second run in-process is refused too
    const other = { pid: 1, host: hostname(), started: 'x' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(other));
    const err = await acquireOutputLock(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputLockedError);
    expect((err as OutputLockedError).code).toBe('OUTPUT_LOCKED');
    expect((err as Error).message).toContain('process 1 on');
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a stale lock (dead pid on this host) but never one of another host', async () => {
    const dir = fresh();
    const dead = deadPid();
    expect(lockIsStale({ pid: dead, host: hostname(), started: '' })).toBe(true);
    expect(lockIsStale({ pid: dead, host: 'elsewhere.example', started: '' })).toBe(false);
    expect(lockIsStale(undefined)).toBe(true);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), started: '' }));
    const lock = await acquireOutputLock(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: 'elsewhere.example', started: '' }));
    await expect(acquireOutputLock(dir)).rejects.toBeInstanceOf(OutputLockedError);
  });

  it('removes the folders it created when the run wrote nothing, and leaves no temp file', async () => {
    const root = fresh();
    const lock = await acquireOutputLock(join(root, 'a', 'b'));
    expect(trackedTemps()).toEqual([]);
    await lock.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('is released by a signal: a child holding the lock and killed by SIGTERM leaves no lock and no temp', () => {
    const dir = fresh();
    const src = join(__dirname, '..', 'src', 'index.ts');
    const script = `import('${src.replace(/\\/g, '/')}').then(async (b) => { await b.acquireOutputLock(${JSON.stringify(dir)}); b.trackTemp(${JSON.stringify(join(dir, '.x.1.2.3.tmp'))}); require('fs').writeFileSync(${JSON.stringify(join(dir, '.x.1.2.3.tmp'))}, 'x'); process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000); });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal).toBe('SIGTERM');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('temp files', () => {
  it('recognises its own temp names and removes leftovers of other (killed) processes recursively', async () => {
    const dir = fresh();
    const mine = tempPathFor(join(dir, 'result.json'));
    expect(tempOwner(mine.split('/').at(-1)!)).toBe(process.pid);
    mkdirSync(join(dir, 'checkpoint'));
    const dead = deadPid();
    writeFileSync(join(dir, `.result.json.${dead}.1.0.tmp`), 'partial');
    writeFileSync(join(dir, 'checkpoint', `.state.json.${dead}.1.0.tmp`), 'partial');
    writeFileSync(mine, 'in progress');
    writeFileSync(join(dir, 'keep.json'), '{}');
    const removed = await removeLeftoverTemps(dir);
    expect(removed.length).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([mine.split('/').at(-1)!, 'checkpoint', 'keep.json'].sort());
    expect(readdirSync(join(dir, 'checkpoint'))).toEqual([]);
  });

  it('a failed write (here: the target is a folder) leaves no temp file and nothing tracked', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'r.json'));
    writeFileSync(join(dir, 'r.json', 'x'), '');
    await expect(writeFileAtomic(join(dir, 'r.json'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(trackedTemps()).toEqual([]);
  });
});

describe('path guards', () => {
  it('refuses a symbolic link below the output directory, before and during checkpoint writes', async () => {
    const dir = fresh();
    const outside = fresh();
    symlinkSync(outside, join(dir, 'checkpoint'));
    await expect(assertNoSymlinkBelow(dir, join(dir, 'checkpoint', 'state.json'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(saveCheckpoint(join(dir, 'checkpoint'), { config: {}, completed: 1, meta: {}, arrays: {} })).rejects.toThrow(/symbolic link/);
    await expect(loadCheckpoint(join(dir, 'checkpoint'), {})).rejects.toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
    await expect(assertNoSymlinkBelow(dir, join(dir, 'plain', 'x'))).resolves.toBeUndefined();
  });

  it('checks output paths before work: empty, a directory as a file, a folder under a file, /proc', async () => {
    const dir = fresh();
    await expect(ensureDir('')).rejects.toThrow(/`out` must be a non-empty directory path/);
    await expect(assertOutputFile('', 'json')).rejects.toThrow(/`json` must be a non-empty file path/);
    await expect(assertOutputFile(dir, 'json')).rejects.toThrow(/not a directory|a file path/);
    await expect(assertOutputFile(join(dir, 'missing', 'r.json'), 'json')).rejects.toBeInstanceOf(InvalidArgumentError);
    writeFileSync(join(dir, 'f'), '');
    await expect(ensureDir(join(dir, 'f', 'sub'))).rejects.toThrow(/is not a directory/);
    // Node's recursive mkdir never returns under /proc; ours fails at once
    await expect(ensureDir('/proc/nclab-x/y')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await ensureDir(join(dir, 'n1', 'n2'))).toBe(join(dir, 'n1'));
  });
});

describe('input identity', () => {
  it('canonical JSON and spec hashes ignore key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(specHash({ a: 1, b: 2 })).toBe(specHash({ b: 2, a: 1 }));
    expect(specHash({ a: 1 })).not.toBe(specHash({ a: 2 }));
  });

  it('a file identity changes with the content of the same size, and with the mtime', async () => {
    const dir = fresh();
    const f = join(dir, 'x.bin');
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    writeFileSync(f, bytes);
    utimesSync(f, 1000, 1000);
    const a = await fileIdentity(f);
    expect(a).toMatchObject({ size: 200_000, mtimeMs: 1_000_000 });
    bytes[10] ^= 1; // a header byte
    writeFileSync(f, bytes);
    utimesSync(f, 1000, 1000);
    const b = await fileIdentity(f);
    expect(b.sampleHash).not.toBe(a.sampleHash);
    utimesSync(f, 2000, 2000);
    expect((await fileIdentity(f)).mtimeMs).toBe(2_000_000);
    await expect(fileIdentity(join(dir, 'none'), 'features')).rejects.toThrow(/`features`/);
  });
});

describe('sizes against memory', () => {
  it('names the flag and the bytes needed instead of a RangeError', () => {
    const e = (() => {
      try {
        assertMemoryFor('width', { largestArray: 1e12 * 100, total: 1e12 * 100, bytesPerElement: 8 }, '100 × 1e12 random features');
      } catch (x) {
        return x;
      }
    })() as InsufficientMemoryError;
    expect(e).toBeInstanceOf(InsufficientMemoryError);
    expect(e.code).toBe('INSUFFICIENT_MEMORY');
    expect(e.argument).toBe('width');
    expect(e.bytesNeeded).toBe(8e14);
    expect(e.message).toContain('800000000000000 bytes');
    expect(() => assertMemoryFor('k', { largestArray: 10, total: 1000, bytesPerElement: 8 }, 'x', 4000)).toThrow(InsufficientMemoryError);
    expect(() => assertMemoryFor('k', { largestArray: 10, total: 100, bytesPerElement: 8 }, 'x', 4000)).not.toThrow();
  });
});

describe('label bounds', () => {
  it('an inferred number of classes is bounded by the number of samples (a label 1e9 is an error, not a 1e9-class allocation)', () => {
    expect(() => validateLabels('labels', [0, 1e9, 1], 3)).toThrow(/integers in \[0, 3\).*Value: `1000000000`.*at index 1/);
    expect(validateLabels('labels', [0, 2, 1], 3).numClasses).toBe(3);
    expect(validateLabels('labels', [0, 4], 2, 5).numClasses).toBe(5);
  });
});
