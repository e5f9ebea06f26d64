import { describe, expect, it } from 'vitest';
import { rightShare } from '../src/index.js';

describe('rightShare', () => {
  it('is 1 when the whole NC1 reduction happens at S Vᵀ and 0 when none does', () => {
    expect(rightShare(1, 0.1, 0.1)).toBeCloseTo(1, 12);
    expect(rightShare(1, 1, 0.1)).toBeCloseTo(0, 12);
    expect(rightShare(1, 0.1, 0.01)).toBeCloseTo(0.5, 12);
    expect(rightShare(1, 0.5, 1)).toBeNull();
  });
});
