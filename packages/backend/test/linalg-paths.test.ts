import { afterEach, describe, expect, it, vi } from 'vitest';
import { getLinalgImpl, InvalidArgumentError } from '../src/index.js';
import { linalgPaths } from './linalg-paths.js';

describe('linalgPaths (the paths the contract tests run over)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('lists portable and every other path that loads here', () => {
    const paths = linalgPaths();
    expect(paths[0]).toBe('portable');
    expect(paths.includes('native')).toBe(getLinalgImpl('native') !== null);
    expect(paths.includes('cuda')).toBe(getLinalgImpl('cuda') !== null);
  });

  it('NCLAB_TEST_LINALG restricts the list and refuses an unavailable or unknown path', () => {
    vi.stubEnv('NCLAB_TEST_LINALG', 'portable');
    expect(linalgPaths()).toEqual(['portable']);
    vi.stubEnv('NCLAB_TEST_LINALG', 'gpu');
    expect(() => linalgPaths()).toThrow(InvalidArgumentError);
    if (getLinalgImpl('cuda') === null) {
      vi.stubEnv('NCLAB_TEST_LINALG', 'cuda');
      expect(() => linalgPaths()).toThrow(/available on this machine/);
    }
  });
});
