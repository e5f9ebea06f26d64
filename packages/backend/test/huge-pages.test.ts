import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocFloat32, allocFloat64, HUGE_PAGE_MIN_BYTES, hugePageAdvice } from '../src/index.js';

const thp = (() => {
  try {
    return /\[(always|madvise)\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
})();

/** AnonHugePages (kB) of this process, summed over its mappings. */
function anonHugeKb(): number {
  let kb = 0;
  for (const m of readFileSync('/proc/self/smaps', 'utf8').matchAll(/^AnonHugePages:\s+(\d+) kB/gm)) kb += Number(m[1]);
  return kb;
}

describe('allocFloat64 / allocFloat32 (large arrays on transparent huge pages)', () => {
  it('give zero-filled arrays of the asked length and type, small and large', () => {
    for (const n of [0, 7, HUGE_PAGE_MIN_BYTES / 8 + 3]) {
      const a = allocFloat64(n);
      expect(a).toBeInstanceOf(Float64Array);
      expect(a.length).toBe(n);
      expect(a.every((v) => v === 0)).toBe(true);
      const b = allocFloat32(n);
      expect(b).toBeInstanceOf(Float32Array);
      expect(b.length).toBe(n);
    }
  });

  it.skipIf(process.platform !== 'linux' || !thp || !hugePageAdvice())('back a large array with huge pages once it is written (Linux, THP in madvise or always mode)', () => {
    const before = anonHugeKb();
    const a = allocFloat64(16 << 17); // 16 MiB
    a.fill(1);
    const after = anonHugeKb();
    // at least 3 of the 8 huge pages a 16 MiB block spans land in this process (alignment and the
    // kernel's supply of free huge pages allowing)
    expect(after - before).toBeGreaterThanOrEqual(3 * 2048);
    expect(a[a.length - 1]).toBe(1);
  });
});
