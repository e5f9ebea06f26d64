import { describe, expect, it } from 'vitest';
import { jsonKey, toJsonKeys } from '../../src/jobs/json-keys.js';

describe('toJsonKeys: the camelCase API → result.json mapping', () => {
  it('puts `_` before each capital that follows a lower-case letter or digit, then lower-cases', () => {
    expect(['nc1PinvIn', 'trainAcc', 'gramEtfDevOut', 'numClasses', 'resumedFromLayer', 'nc2Agop'].map(jsonKey)).toEqual([
      'nc1_pinv_in', 'train_acc', 'gram_etf_dev_out', 'num_classes', 'resumed_from_layer', 'nc2_agop',
    ]);
  });
  it('leaves snake_case and single capitals alone, and applies the legacy table', () => {
    expect(['n_train', 'K', 'nc1', 'layer'].map(jsonKey)).toEqual(['n_train', 'K', 'nc1', 'layer']);
    expect(jsonKey('nfaCorrSqrtCentered')).toBe('nfa_corr_sqrt_centred');
    expect(jsonKey('etfDeviation')).toBe('etfDeviation');
  });
  it('walks objects and arrays, keeping typed arrays and values', () => {
    const data = new Float64Array([1, 2]);
    const out = toJsonKeys({ layers: [{ nc1In: 1, ridgeFallback: { ridgeAdded: 2 } }], curve: data, testAcc: null }) as Record<string, unknown>;
    expect(out).toEqual({ layers: [{ nc1_in: 1, ridge_fallback: { ridge_added: 2 } }], curve: data, test_acc: null });
    expect(out.curve).toBe(data);
  });
});
