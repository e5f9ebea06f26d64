import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend';
import { balancedSubsample } from '../src/index.js';

describe('balancedSubsample', () => {
  const labels = Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 3);
  it('takes ⌊n/K⌋ (+1 for the first n mod K classes) distinct indices per class, seeded', () => {
    const idx = balancedSubsample(labels, 11, 3, 4);
    const counts = [0, 0, 0];
    idx.forEach((i) => counts[labels[i]]++);
    expect(counts).toEqual([4, 4, 3]);
    expect(new Set(idx).size).toBe(11);
    expect(Array.from(balancedSubsample(labels, 11, 3, 4))).toEqual(Array.from(idx));
    expect(Array.from(balancedSubsample(labels, 11, 3, 5))).not.toEqual(Array.from(idx));
  });
  it('a class smaller than its share gives all it has; n < K is a typed error', () => {
    const few = Int32Array.from([0, 0, 0, 0, 1]);
    expect(balancedSubsample(few, 4, 2, 0).length).toBe(3);
    expect(() => balancedSubsample(few, 1, 2, 0)).toThrow(InvalidArgumentError);
  });
});
