/**
 * Huge-page advice for fresh native outputs (src/linalg/native/pages.ts): on Linux with koffi the
 * kernel accepts the advice for a view of ≥ 4 MiB, small views are left alone, the advice changes no
 * content, a product into an advised fresh C equals the product into a reused buffer bit for bit, and
 * NCLAB_HUGEPAGES=0 turns it off.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HUGE_ADVICE_MIN_BYTES, hugePageAdviser } from '../src/linalg/native/pages.js';
import { loadNative } from '../src/linalg/native/load.js';
import { randn } from './helpers.js';

const linux = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');
const saved = process.env.NCLAB_HUGEPAGES;
afterEach(() => {
  if (saved === undefined) delete process.env.NCLAB_HUGEPAGES;
  else process.env.NCLAB_HUGEPAGES = saved;
  vi.resetModules();
});

describe.skipIf(!linux || saved === '0')('huge-page advice', () => {
  it('is accepted for a view of at least 4 MiB and skipped for a small one, without changing content', () => {
    const advise = hugePageAdviser();
    expect(advise).not.toBeNull();
    const big = new Float64Array(HUGE_ADVICE_MIN_BYTES / 8 + 1024).fill(1.5);
    expect(advise!(big)).toBe(true);
    expect(big.every((v) => v === 1.5)).toBe(true);
    expect(advise!(new Float64Array(1000))).toBe(false);
    // a view that starts mid-buffer is advised on its own aligned interior only
    const view = new Float32Array(big.buffer, 8, (HUGE_ADVICE_MIN_BYTES + 4096) / 4);
    expect(advise!(view)).toBe(true);
  });

  it.skipIf(!loadNative().impl)('a fresh advised product equals the product into a reused buffer', () => {
    const impl = loadNative().impl!;
    const a = randn(768, 768, 3); // C is 4.5 MiB: advised
    const out = new Float64Array(768 * 768);
    const fresh = impl.gemm(a, a, { transB: true });
    impl.gemm(a, a, { transB: true, out });
    expect(fresh.data.every((v, i) => Object.is(v, out[i]))).toBe(true);
  });

  it('NCLAB_HUGEPAGES=0 turns it off', async () => {
    process.env.NCLAB_HUGEPAGES = '0';
    const fresh = await import('../src/linalg/native/pages.js');
    expect(fresh.hugePageAdviser()).toBeNull();
  });
});
