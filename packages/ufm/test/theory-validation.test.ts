import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend/host';
import { ceUfmTheory, deepLinearUfmOptimum, deepLinearUfmTheory, dncReferencePoint, extendedLinearUfmTheory, mseUfmTheory, theory } from '../src/index.js';

/** Calls f and returns the thrown error's argument name (fails when nothing or a non-typed error is thrown). */
function argumentOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return (e as InvalidArgumentError).argument;
  }
  throw new Error('expected a throw');
}

describe('theory functions: missing options give typed errors naming the option', () => {
  it('a missing options object', () => {
    for (const f of [deepLinearUfmTheory, deepLinearUfmOptimum, mseUfmTheory, ceUfmTheory, extendedLinearUfmTheory, theory, dncReferencePoint]) {
      expect(argumentOf(() => (f as (c: unknown) => unknown)(undefined))).toBe('config');
    }
  });

  it('missing per-layer options of the deep linear UFM', () => {
    expect(argumentOf(() => deepLinearUfmTheory({ K: 3, n: 2, L: 2 } as never))).toBe('widths');
    expect(argumentOf(() => deepLinearUfmOptimum({ K: 3, n: 2, L: 2, widths: 4 } as never))).toBe('lambdaW');
    expect(argumentOf(() => deepLinearUfmTheory({ K: 3, n: 2, L: 2, widths: 4, lambdaW: 0.1 } as never))).toBe('lambdaH');
  });
});
