import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { allocFloat32, hugePageAdvice } from '@nclab/backend/host';
import { DataFormatError, loadIdxDataset } from '../src/index.js';
import { readIdxPixels } from '../src/io/idx-pixels.js';
import { tempDir } from './helpers.js';

/**
 * A uint8 IDX image file built by hand: magic 00 00 08 03, then N, h, w big-endian, then the pixels.
 * 100 images of 29×29 = 84 100 pixels: more than one 65 536-pixel chunk, and not a multiple of 16.
 */
const N = 100;
const H = 29;
const W = 29;
const pixels = Uint8Array.from({ length: N * H * W }, (_, i) => (i * 37 + (i >> 9)) % 256);
const labelsOf = Uint8Array.from({ length: N }, (_, i) => i % 10);

function idx(code: number, dims: number[], body: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head[2] = code;
  head[3] = dims.length;
  dims.forEach((d, i) => {
    head[4 + 4 * i] = (d >>> 24) & 255;
    head[5 + 4 * i] = (d >>> 16) & 255;
    head[6 + 4 * i] = (d >>> 8) & 255;
    head[7 + 4 * i] = d & 255;
  });
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const dir = tempDir();
const images = join(dir, 'images-idx3-ubyte');
const imagesGz = join(dir, 'images-idx3-ubyte.gz');
const labels = join(dir, 'labels-idx1-ubyte');
const truncated = join(dir, 'truncated-idx3-ubyte');
writeFileSync(images, idx(0x08, [N, H, W], pixels));
writeFileSync(imagesGz, gzipSync(idx(0x08, [N, H, W], pixels)));
writeFileSync(labels, idx(0x08, [N], labelsOf));
writeFileSync(truncated, idx(0x08, [N, H, W], pixels.subarray(0, pixels.length - 5)));

const maps = { unit: [1, 0, 255], symmetric: [2, -255, 255], raw: [1, 0, 1] } as const;

describe('one-pass IDX pixel decoding', () => {
  for (const scale of ['unit', 'symmetric', 'raw'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${scale} ${dtype}: every pixel is (p·mul + add)/div rounded once, and equals the whole-file (gzip) route bit for bit`, () => {
        const ds = loadIdxDataset({ images, labels }, { scale, dtype });
        expect([ds.x.rows, ds.x.cols]).toEqual([N, H * W]);
        expect(ds.x.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        const [mul, add, div] = maps[scale];
        const round = dtype === 'float32' ? Math.fround : (v: number) => v;
        let bad = 0;
        for (let i = 0; i < pixels.length; i++) if (ds.x.data[i] !== round((pixels[i] * mul + add) / div)) bad++;
        expect(bad).toBe(0);
        expect(Array.from(ds.labels)).toEqual(Array.from(labelsOf));
        expect(ds.numClasses).toBe(10);
        const gz = loadIdxDataset({ images: imagesGz, labels }, { scale, dtype });
        expect(Buffer.from(gz.x.data.buffer).equals(Buffer.from(ds.x.data.buffer))).toBe(true);
      });
    }
  }

  it('leaves gzip files to the whole-file decoder (returns null) and rejects truncated or non-image files', () => {
    expect(readIdxPixels(imagesGz, { mul: 1, add: 0, div: 255 }, 'float32')).toBeNull();
    expect(() => readIdxPixels(truncated, { mul: 1, add: 0, div: 255 }, 'float32')).toThrow(DataFormatError);
    expect(() => loadIdxDataset({ images: truncated, labels })).toThrow(/truncated/);
    expect(() => readIdxPixels(labels, { mul: 1, add: 0, div: 255 }, 'float32')).toThrow(/images must be uint8 of shape \[N, …\]/);
  });
});

const thp = (() => {
  try {
    return /\[(always|madvise)\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
})();

describe.skipIf(process.platform !== 'linux' || !thp || !hugePageAdvice())('a large decoded image file (Linux, THP in madvise or always mode)', () => {
  it('is not faulted in 4 KiB at a time: its output comes on huge pages (the backend\'s allocFloat32) or reused memory', (ctx) => {
    // 256 images of 128×128: a 16 MiB float32 output, 4,096 pages of 4 KiB (each a fault of ~12 µs on
    // the project's VMs when fresh); far fewer on transparent huge pages, or from memory the allocator
    // already holds (glibc's thresholds, once the backend has set them)
    const faults = (): number => process.resourceUsage().minorPageFault;
    // whether the kernel hands out huge pages right now: with fragmented memory it falls back to 4 KiB
    // pages even for advised ranges (THP defrag), and then no loader can do better
    const t0 = faults();
    allocFloat32(16 << 18).fill(1);
    if (faults() - t0 >= 2048) ctx.skip();
    const big = join(dir, 'big-idx3-ubyte');
    writeFileSync(big, idx(0x08, [256, 128, 128], Uint8Array.from({ length: 256 * 128 * 128 }, (_, i) => i % 251)));
    const before = faults();
    const out = readIdxPixels(big, { mul: 1, add: 0, div: 255 }, 'float32')!;
    // fresh 4 KiB pages: 4,100 measured; here 600–650 (the reads and the kernel's chunks included)
    expect(faults() - before).toBeLessThan(2048);
    expect(out.data[1000]).toBe(Math.fround((1000 % 251) / 255));
  });
});
