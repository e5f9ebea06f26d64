import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, fromRows } from '@nclab/backend/host';
import type { Matrix } from '@nclab/backend/host';
import {
  ClassMeanAccumulator,
  DegenerateClassMeansError,
  computeLayerMetrics,
  computeMetrics,
  equinorm,
  etfError,
  getPreset,
  balancedness,
  nc1Pinv,
  nc1TraceRatio,
} from '../src/index.js';
import { randomLabelledData } from './random-data.js';

const X = fromRows([[0, 0], [1, 0], [5, 5], [6, 5], [0, 9], [1, 9]]);
const Y = [0, 0, 1, 1, 2, 2];

function thrown(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  throw new Error('expected a throw');
}

describe('bad input gets a typed error naming the argument', () => {
  it('NaN or Inf in features names the first offending row and column', () => {
    const x = fromRows([[0, 0], [1, 0], [5, 5], [6, Infinity], [0, NaN], [1, 9]]);
    const e = thrown(() => computeMetrics(x, Y));
    expect(e.argument).toBe('features');
    expect(e.message).toMatch(/first at row 3, column 1/);
    const f32 = { rows: 2, cols: 2, data: new Float32Array([0, NaN, 1, 1]) };
    expect(thrown(() => computeMetrics(f32, [0, 1])).message).toMatch(/row 0, column 1/);
  });

  it('a label count different from N', () => {
    const e = thrown(() => computeMetrics(X, [0, 1, 2]));
    expect(e.argument).toBe('labels');
    expect(e.message).toMatch(/length N = 6/);
  });

  it('labels out of range, negative, NaN or non-integer', () => {
    expect(thrown(() => computeMetrics(X, [0, 0, 1, 1, 2, 3], { numClasses: 3 })).message).toMatch(/\[0, 3\).*Value: `3`.*index 5/);
    expect(thrown(() => computeMetrics(X, [0, 0, 1, -1, 2, 2])).message).toMatch(/Value: `-1`.*index 3/);
    expect(thrown(() => computeMetrics(X, [0, 0, 1, 1.5, 2, 2])).message).toMatch(/integers/);
    expect(thrown(() => computeMetrics(X, [0, 0, 1, NaN, 2, 2])).message).toMatch(/NaN/);
  });

  it('accepts labels stored as integer-valued floats', () => {
    expect(computeMetrics(X, new Float32Array(Y)).K).toBe(3);
  });

  it('a class with no samples is an error unless dropEmptyClasses is set', () => {
    const y = [0, 0, 3, 3, 2, 2];
    const e = thrown(() => computeMetrics(X, y));
    expect(e.message).toMatch(/no sample of class 1/);
    const r = computeMetrics(X, y, { dropEmptyClasses: true });
    expect(r.K).toBe(3);
    expect(r.classIds).toEqual([0, 2, 3]);
    expect(r.warnings.join('\n')).toMatch(/dropped 1 empty class\(es\) \(1\)/);
    // a classifier given for all 4 labels is reduced to the kept rows
    const W = fromRows([[1, 0], [9, 9], [0, 1], [1, 1]]);
    const r2 = computeMetrics(X, y, { dropEmptyClasses: true, classifier: W, bias: [0, 5, 0, 0] });
    expect(r2.nc3).toBeGreaterThan(0);
  });

  it('fewer than two classes', () => {
    expect(thrown(() => computeMetrics(X, [0, 0, 0, 0, 0, 0])).message).toMatch(/K >= 2/);
    expect(thrown(() => computeMetrics(X, [1, 1, 1, 1, 1, 1], { dropEmptyClasses: true })).message).toMatch(/at least 2 non-empty classes/);
    expect(thrown(() => new ClassMeanAccumulator({ numClasses: 1, dim: 2 })).argument).toBe('numClasses');
  });

  it('d < K − 1 is allowed but warns that NC2 cannot reach 0', () => {
    const { features, labels } = randomLabelledData(5, 2, 3);
    const r = computeMetrics(features, labels);
    expect(r.warnings.join('\n')).toMatch(/d = 2 < K − 1 = 4/);
    expect(r.nc2Etf).toBeGreaterThan(0.1);
    expect(r.sigmaBEigenvalues).toHaveLength(2);
  });

  it('a classifier or bias of the wrong shape, or a bias without classifier', () => {
    expect(thrown(() => computeMetrics(X, Y, { classifier: fromRows([[1, 0], [0, 1]]) })).message).toMatch(/\[K, d\] = \[3, 2\].*\[2, 2\]/);
    const W = fromRows([[1, 0], [0, 1], [1, 1]]);
    expect(thrown(() => computeMetrics(X, Y, { classifier: W, bias: [1, 2] })).argument).toBe('bias');
    expect(thrown(() => computeMetrics(X, Y, { bias: [1, 2, 3] })).argument).toBe('bias');
    expect(thrown(() => computeMetrics(X, Y, { classifier: fromRows([[1, 0], [0, NaN], [1, 1]]) })).message).toMatch(/row 1, column 1/);
  });

  it('an unknown preset lists the known ones', () => {
    const e = thrown(() => computeMetrics(X, Y, { preset: 'papyan' }));
    expect(e.message).toMatch(/papyan2020, zhu2021, rangamani2023, beaglehole2024, tirer2023/);
    expect(() => getPreset('toString')).toThrow(InvalidArgumentError);
  });

  it('features that are not a matrix or whose data length is wrong', () => {
    expect(thrown(() => computeMetrics([[1, 2]] as unknown as Matrix, [0])).argument).toBe('features');
    expect(thrown(() => computeMetrics({ rows: 3, cols: 2, data: new Float64Array(5) }, [0, 1, 1])).argument).toBe('features.data');
    expect(thrown(() => computeMetrics({ rows: 0, cols: 2, data: new Float64Array(0) }, [])).argument).toBe('features');
  });

  it('identical class means (tr Σ_B = 0)', () => {
    const x = fromRows([[0, 0], [2, 2], [2, 0], [0, 2]]);
    const e = thrown(() => computeMetrics(x, [0, 0, 1, 1]));
    expect(e).toBeInstanceOf(DegenerateClassMeansError);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.argument).toBe('features');
    expect(thrown(() => nc1TraceRatio(x, [0, 0, 1, 1]))).toBeInstanceOf(DegenerateClassMeansError);
    expect(thrown(() => nc1Pinv(x, [0, 0, 1, 1]))).toBeInstanceOf(DegenerateClassMeansError);
    const layered = thrown(() => computeLayerMetrics([{ name: 'h', features: x }], [0, 0, 1, 1]));
    expect(layered).toBeInstanceOf(DegenerateClassMeansError);
    expect(layered.argument).toBe('layers[0] (h)');
  });

  it('helper functions reject degenerate inputs', () => {
    expect(thrown(() => etfError(fromRows([[1, 2]]))).message).toMatch(/K >= 2/);
    expect(thrown(() => equinorm(fromRows([[0, 0], [0, 0]]))).message).toMatch(/not all zero/);
    expect(thrown(() => balancedness([fromRows([[1, 2]])])).argument).toBe('weights');
    expect(thrown(() => balancedness([fromRows([[1, 2], [3, 4], [5, 6]]), fromRows([[1, 2]])])).argument).toBe('weights[1]');
  });
});
