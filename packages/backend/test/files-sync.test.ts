import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomicSync } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nclab-files-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomicSync', () => {
  it('writes the bytes, creating the folder, and leaves no temporary file', () => {
    const path = join(dir, 'sub', 'a.bin');
    expect(writeFileAtomicSync(path, Uint8Array.of(1, 2, 3))).toBe(path);
    expect(Array.from(readFileSync(path))).toEqual([1, 2, 3]);
    writeFileAtomicSync(path, 'replaced');
    expect(readFileSync(path, 'utf8')).toBe('replaced');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.bin']);
  });

  it('throws the file-system error when the folder is unusable, leaving no temporary', () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    expect(() => writeFileAtomicSync(join(blocker, 'a.bin'), 'x')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^E/) }));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
