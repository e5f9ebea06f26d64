import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localClosure } from '../src/closure.js';
import { treeBytes } from '../src/tree-bytes.js';

describe('localClosure', () => {
  const pkgs = [
    { name: 'nclab', dependencies: ['@nclab/deep-rfm', '@nclab/nc-metrics', 'vega'] },
    { name: '@nclab/deep-rfm', dependencies: ['@nclab/nc-metrics', '@nclab/backend'] },
    { name: '@nclab/nc-metrics', dependencies: ['@nclab/backend'] },
    { name: '@nclab/backend', dependencies: [] },
  ];
  it('follows local dependencies transitively, each once, and leaves registry packages out', () => {
    expect(localClosure('@nclab/nc-metrics', pkgs)).toEqual(['@nclab/nc-metrics', '@nclab/backend']);
    expect(localClosure('nclab', pkgs)).toEqual(['nclab', '@nclab/deep-rfm', '@nclab/nc-metrics', '@nclab/backend']);
  });
  it('refuses an unknown package', () => {
    expect(() => localClosure('@nclab/nope', pkgs)).toThrow(/not a package/);
  });
});

describe('treeBytes', () => {
  it('sums the lstat sizes of files, folders and links (links not followed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nclab-tree-'));
    try {
      mkdirSync(join(dir, 'a'));
      writeFileSync(join(dir, 'a', 'x'), 'x'.repeat(1000));
      writeFileSync(join(dir, 'y'), 'y'.repeat(24));
      const withoutLink = treeBytes(dir);
      symlinkSync(join(dir, 'a'), join(dir, 'link'));
      const withLink = treeBytes(dir);
      expect(withoutLink).toBeGreaterThanOrEqual(1024);
      expect(withLink - withoutLink).toBeLessThan(1000); // the link's own size, not the 1000-byte file again
      expect(treeBytes(join(dir, 'y'))).toBe(24);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
