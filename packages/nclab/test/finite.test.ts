import { NumericalError } from '@nclab/backend';
import { describe, expect, it } from 'vitest';
import { describePath, enforceFinite, findNonFinite } from '../src/jobs/finite.js';
import { escapeControl } from '../src/cli/terminal-text.js';

describe('finiteness contract', () => {
  const result = { layers: [{ nc1In: 1, curve: new Float64Array([1, Infinity]) }, { nc1In: NaN }], history: [{ loss: 2 }, { loss: -Infinity }], note: null };

  it('finds every non-finite number with its path, in typed arrays too, and ignores nulls', () => {
    expect(findNonFinite(result).map((b) => b.path)).toEqual(['layers[0].curve[1]', 'layers[1].nc1In', 'history[1].loss']);
    expect(findNonFinite({ a: [1, 2], b: { c: 3 } })).toEqual([]);
  });

  it('names the quantity and the layer or epoch (1-based)', () => {
    expect(describePath('layers[1].nc1In')).toBe('nc1In at layer 2');
    expect(describePath('history[4].loss')).toBe('loss at epoch 5');
    expect(describePath('nc1')).toBe('nc1');
  });

  it('throws a NumericalError naming quantity, layer, the hint and --allow-nonfinite; or returns warnings when allowed', () => {
    let err: unknown;
    try {
      enforceFinite(result, { job: 'deep-rfm', hint: 'a larger --bandwidth' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as Error).message).toMatch(/nc1In at layer 2 is NaN/);
    expect((err as Error).message).toMatch(/Try a larger --bandwidth\..*--allow-nonfinite/);
    const warnings = enforceFinite(result, { job: 'deep-rfm', allowNonfinite: true });
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/loss at epoch 2 is -Infinity.*written as null/);
    expect(enforceFinite({ a: 1 }, { job: 'x' })).toEqual([]);
  });
});

describe('terminal text', () => {
  it('escapes C0/C1 controls, DEL and bidi overrides, and keeps other text', () => {
    expect(escapeControl('run\u001b[2J\u0007')).toBe('run\\x1b[2J\\x07');
    expect(escapeControl('a\nb\rc\td\u007f\u009b\u202e')).toBe('a\\nb\\rc\\td\\x7f\\x9b\\u202e');
    expect(escapeControl('mnist ε=0.5 — ok')).toBe('mnist ε=0.5 — ok');
  });
});
