import { describe, expect, it } from 'vitest';
import { fromRows } from '@nclab/backend';
import { oneHot } from '@nclab/agop';
import { lossTargets, nfaCorrelations, rightShare, type LayerParams } from '../src/index.js';

describe('rightShare', () => {
  it('is 1 when the whole NC1 reduction happens at S Vᵀ and 0 when none does', () => {
    expect(rightShare(1, 0.1, 0.1)).toBeCloseTo(1, 12);
    expect(rightShare(1, 1, 0.1)).toBeCloseTo(0, 12);
    expect(rightShare(1, 0.1, 0.01)).toBeCloseTo(0.5, 12);
    expect(rightShare(1, 0.5, 1)).toBeNull();
  });
});

describe('nfaCorrelations', () => {
  const layer = (w: number[]): LayerParams => ({ outDim: 2, inDim: 2, weight: Float32Array.from(w), bias: null });
  const agop = fromRows([[2, 1], [1, 3]]);

  it('is null (not an error) for a dead layer: WᵀW = 0 is a constant matrix', () => {
    const r = nfaCorrelations(layer([0, 0, 0, 0]), null, agop, agop);
    expect(r.nfaCorr).toBeNull();
    expect(r.nfaCorrSqrt).toBeNull();
    expect(r.nfaCorrSqrtCentered).toBeNull();
    expect(r.nfaCorrSqrtDelta).toBeNull();
  });

  it('is 1 when WᵀW equals the AGOP (α = 1)', () => {
    // W = AGOP^{1/2} in the eigenbasis: take W with WᵀW = [[2, 1], [1, 3]] from its Cholesky factor.
    const l11 = Math.sqrt(2);
    const l21 = 1 / l11;
    const l22 = Math.sqrt(3 - l21 * l21);
    const w = layer([l11, l21, 0, l22]); // rows of Lᵀ: WᵀW = L Lᵀ
    expect(nfaCorrelations(w, null, agop, null).nfaCorr).toBeCloseTo(1, 6);
  });
});

describe('lossTargets', () => {
  it('is agop oneHot in float32: ±1 for mse, 0/1 for ce', () => {
    const labels = Int32Array.of(2, 0);
    expect(Array.from(lossTargets('mse', labels, 3))).toEqual(Array.from(oneHot(labels, 3, -1).data));
    expect(Array.from(lossTargets('ce', labels, 3))).toEqual([0, 0, 1, 1, 0, 0]);
  });
});
