/**
 * tuneAllocator (src/runtime/allocator.ts): glibc's mmap and trim thresholds, set once per process,
 * so that arrays of 128 KiB to 32 MiB reuse freed memory instead of faulting in fresh pages. Each case
 * runs in a child process: the setting is process-wide and the first answer is kept.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKoffi } from '../src/linalg/native/ffi.js';

const glibc = process.platform === 'linux' && Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime);
const koffi = Boolean(loadKoffi().koffi);

/**
 * A child that (optionally) tunes, then reports where glibc puts a 16 MiB block (below the heap's
 * break: from the heap; above: its own mmap), and the minor page faults of ten batches of 40 arrays
 * of 0.5, 1.6 and 4.9 MB, each written and dropped (V8 frees them at its own collections, as in a
 * long computation).
 */
function child(env: Record<string, string | undefined>, tune: boolean): { tuned: boolean | null; fromHeap: boolean; faults: number[] } {
  const dir = join(__dirname, '..', 'src').replace(/\\/g, '/');
  const script = `Promise.all([import('${dir}/runtime/allocator.ts'), import('${dir}/linalg/native/ffi.ts')]).then(([m, f]) => {
    const tuned = ${tune} ? m.tuneAllocator() : null;
    const k = f.loadKoffi().koffi;
    const libc = k.load('libc.so.6');
    const malloc = libc.func('void *malloc(size_t)');
    const free = libc.func('void free(void *)');
    const sbrk = libc.func('void *sbrk(intptr_t)');
    const block = malloc(16 << 20);
    const fromHeap = k.address(block) < k.address(sbrk(0));
    free(block);
    const faults = [];
    let keep = 0;
    for (let r = 0; r < 10; r++) {
      const before = process.resourceUsage().minorPageFault;
      for (let i = 0; i < 40; i++) { const a = new Float64Array([65536, 200000, 614656][i % 3]); a.fill(1); keep += a[7]; }
      faults.push(process.resourceUsage().minorPageFault - before);
    }
    console.log(JSON.stringify({ tuned, fromHeap, faults, keep }));
  });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describe.skipIf(!glibc || !koffi)('tuneAllocator (Linux, glibc, koffi)', () => {
  it('sets both thresholds: a 16 MiB block then comes from the heap (its own mmap without), and arrays of 0.5–4.9 MB reuse freed memory', () => {
    const tuned = child({ NCLAB_MALLOC_TUNING: undefined, GLIBC_TUNABLES: undefined }, true);
    expect(tuned.tuned).toBe(true);
    expect(tuned.fromHeap).toBe(true);
    expect(child({ NCLAB_MALLOC_TUNING: undefined, GLIBC_TUNABLES: undefined }, false).fromHeap).toBe(false);
    // the last 200 arrays write 450 MB: 110,000 faults on fresh pages (760–16,000 measured untuned,
    // 0–600 tuned)
    const later = tuned.faults.slice(5).reduce((a, b) => a + b, 0);
    expect(later).toBeLessThan(5_000);
  });

  it('changes nothing with NCLAB_MALLOC_TUNING=0 or when GLIBC_TUNABLES sets a threshold itself', () => {
    expect(child({ NCLAB_MALLOC_TUNING: '0' }, true).tuned).toBe(false);
    expect(child({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1048576' }, true).tuned).toBe(false);
  });
});
