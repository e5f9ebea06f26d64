import { describe, expect, it } from 'vitest';
import { createRng, type Matrix } from '@nclab/backend';
import { deepLinearUfmOptimum, deepLinearUfmTheory } from '@nclab/ufm';
import {
  clusterEigenvalues,
  deepLinearUfmLayerSpectrum,
  deepUfmExtendedGradients,
  deepUfmLayerGradients,
  deepUfmLayerHessian,
  denseEigh,
  detectOutliers,
  eigenvectorCosine,
  gaussNewtonDecomposition,
  orthonormalBasis,
  gradientCovarianceOperator,
  lanczos,
  operatorToDense,
  outerProductSpectrum,
  principalAngleCosines,
  shiftOperator,
  subspaceFraction,
  weightSpectrum,
  type DeepUfmPoint,
} from '../src/index.js';

interface Oracle {
  name: string;
  K: number;
  n: number;
  L: number;
  widths: number | number[];
  lambdaW: number | number[];
  lambdaH: number;
  point?: 'global' | 'stationary';
  /** Outlier value per layer (K² copies each). */
  outliers: number[];
}

// Oracle values from notes-deep-linear-ufm-spectra.md §6 (independent NumPy runs).
const O1: Oracle = { name: 'O1', K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05, outliers: [0.2037454515, 0.1222472709, 0.3259927225] };
const O2: Oracle = { name: 'O2', K: 3, n: 10, L: 4, widths: 20, lambdaW: 0.01, lambdaH: 0.01, outliers: [0.1940734551, 0.1940734551, 0.1940734551, 0.1940734551] };
const O3: Oracle = { name: 'O3', K: 4, n: 5, L: 1, widths: 8, lambdaW: 0.01, lambdaH: 0.01, outliers: [0.1018033989] };
const O4: Oracle = { name: 'O4', K: 2, n: 3, L: 3, widths: 4, lambdaW: 0.1, lambdaH: 0.1, outliers: [0.2135304591, 0.2135304591, 0.2135304591] };
const lam5 = 0.33 / (3 * 2 ** 0.25);
const O5: Oracle = { name: 'O5', K: 3, n: 2, L: 3, widths: 6, lambdaW: lam5, lambdaH: lam5, point: 'stationary', outliers: [0.1169541077, 0.1169541077, 0.1169541077] };
const O7: Oracle = { name: 'O7', K: 10, n: 5, L: 3, widths: 16, lambdaW: 5e-3, lambdaH: 5e-3, outliers: [0.05921787696, 0.05921787696, 0.05921787696] };

function optimum(o: Oracle, seed = 0): DeepUfmPoint & { lambdaW: number[] } {
  const opt = deepLinearUfmOptimum({ K: o.K, n: o.n, L: o.L, widths: o.widths, lambdaW: o.lambdaW, lambdaH: o.lambdaH, frame: 'random', seed, point: o.point ?? 'global' });
  const lambdaW = typeof o.lambdaW === 'number' ? new Array(o.L).fill(o.lambdaW) : o.lambdaW;
  return { weights: opt.weights, h: opt.h, labels: opt.labels, activation: 'linear', lambdaW };
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('deep linear UFM layer Hessian: exact K² outliers at the optimum (Thm 4.1)', () => {
  for (const o of [O1, O2, O3, O4, O5, O7]) {
    it(`${o.name}: every layer has exactly K² = ${o.K * o.K} non-zero eigenvalues, all equal to the oracle value`, () => {
      const p = optimum(o);
      for (let l = 1; l <= o.L; l++) {
        const { values } = deepLinearUfmLayerSpectrum(p, l);
        const size = p.weights[l - 1].rows * p.weights[l - 1].cols;
        expect(values.length).toBe(size);
        const top = values.slice(0, o.K * o.K);
        for (const v of top) expect(rel(v, o.outliers[l - 1])).toBeLessThan(1e-8);
        for (const v of values.slice(o.K * o.K)) expect(Math.abs(v)).toBeLessThan(1e-10 * o.outliers[l - 1]);
        const det = detectOutliers(values);
        expect(det.count).toBe(o.K * o.K);
        expect(det.bulk.length).toBe(size - o.K * o.K);
      }
    });
  }

  it('O1: the closed form λ_{W_l} x*/(1 − x*) with x* from @nclab/ufm gives the same values', () => {
    const t = deepLinearUfmTheory({ K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 });
    const x = t.xStar[0];
    [0.05, 0.03, 0.08].forEach((lw, i) => expect(rel((lw * x) / (1 - x), O1.outliers[i])).toBeLessThan(1e-9));
  });

  it('O1: Lanczos on the layer-Hessian operator agrees with the Kronecker spectrum and with dense eigh', async () => {
    const p = optimum(O1, 3);
    for (let l = 1; l <= 3; l++) {
      const op = deepUfmLayerHessian(p, l);
      const lz = await lanczos(op, { k: 10, seed: l });
      expect(lz.converged).toBe(true);
      for (let i = 0; i < 9; i++) expect(rel(lz.values[i], O1.outliers[l - 1])).toBeLessThan(1e-9);
      expect(Math.abs(lz.values[9])).toBeLessThan(1e-9);
      const dense = await denseEigh(op);
      const kron = deepLinearUfmLayerSpectrum(p, l).values;
      dense.values.forEach((v, i) => expect(Math.abs(v - kron[i])).toBeLessThan(1e-12));
    }
  });

  it('O1: the predicted eigenvectors μ^{l+1}_c ⊗ μ^l_{c\'} satisfy H v = λ_out v, so ρ(v) = 1 for all 9', async () => {
    const p = optimum(O1, 5);
    for (let l = 1; l <= 3; l++) {
      const op = deepUfmLayerHessian(p, l);
      // at the optimum δ_{i,c'} = a_{c'} ⊗ h_i = α_{l+1} μ^{l+1}_{c'} ⊗ μ^l_{y_i}: one sample per class gives all 9
      const ext = deepUfmExtendedGradients(p, l);
      const perClass = [0, 2, 4].map((i) => ext[i]);
      let count = 0;
      for (const row of perClass) {
        for (const v of row) {
          expect(await eigenvectorCosine(op, v)).toBeCloseTo(1, 12);
          const hv = await op.matvec(v);
          const vmax = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
          hv.forEach((x, j) => expect(Math.abs(x - O1.outliers[l - 1] * v[j])).toBeLessThan(1e-9 * vmax)); // the oracle has 10 significant digits
          count++;
        }
      }
      expect(count).toBe(9);
      expect(orthonormalBasis(perClass.flat()).length).toBe(9);
    }
  });

  it('O1 regularised: K² eigenvalues λ_{W_l}/(1 − x*) above a bulk at exactly λ_{W_l} (layer 1: 0.2537454515 and 0.05)', async () => {
    const p = optimum(O1);
    const op = shiftOperator(deepUfmLayerHessian(p, 1), { shift: 0.05 });
    const { values } = await denseEigh(op, { returnVectors: false });
    const det = detectOutliers(values);
    expect(det.count).toBe(9);
    for (const v of det.outliers) expect(rel(v, 0.2537454515)).toBeLessThan(1e-9);
    for (const v of det.bulk) expect(rel(v, 0.05)).toBeLessThan(1e-9);
  });
});

describe('Kronecker identity at any parameter point (oracle 1)', () => {
  it('the operator equals a central finite-difference Hessian of the MSE term, and its spectrum is the set of factor products', async () => {
    const rng = createRng(11);
    const dims = [4, 3, 5];
    const K = 3;
    const N = 6;
    const weights: Matrix[] = [];
    for (let l = 0; l < dims.length; l++) {
      const rows = l + 1 < dims.length ? dims[l + 1] : K;
      weights.push({ rows, cols: dims[l], data: Float64Array.from(rng.normalArray(rows * dims[l])) });
    }
    const h: Matrix = { rows: dims[0], cols: N, data: Float64Array.from(rng.normalArray(dims[0] * N)) };
    const labels = [0, 0, 1, 1, 2, 2];
    const point: DeepUfmPoint = { weights, h, labels };
    const layer = 2;
    const W = weights[layer - 1];
    const P = W.rows * W.cols;
    const mse = (w: Float64Array): number => {
      const ws = weights.map((m, i) => (i === layer - 1 ? { ...m, data: w } : m));
      let z = h;
      for (const m of ws) {
        const out = new Float64Array(m.rows * N);
        for (let i = 0; i < m.rows; i++) for (let t = 0; t < m.cols; t++) for (let j = 0; j < N; j++) out[i * N + j] += m.data[i * m.cols + t] * z.data[t * N + j];
        z = { rows: m.rows, cols: N, data: out };
      }
      let s = 0;
      for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) s += (z.data[k * N + j] - (labels[j] === k ? 1 : 0)) ** 2;
      return s / (2 * N);
    };
    const { matrix: H } = await operatorToDense(deepUfmLayerHessian(point, layer));
    const eps = 1e-4;
    let maxErr = 0;
    let maxAbs = 0;
    for (let a = 0; a < P; a++) {
      for (let b = 0; b < P; b++) {
        const w = Float64Array.from(W.data);
        const f = (da: number, db: number): number => {
          w.set(W.data);
          w[a] += da;
          w[b] += db;
          return mse(w);
        };
        const fd = (f(eps, eps) - f(eps, -eps) - f(-eps, eps) + f(-eps, -eps)) / (4 * eps * eps);
        maxErr = Math.max(maxErr, Math.abs(fd - H.data[a * P + b]));
        maxAbs = Math.max(maxAbs, Math.abs(H.data[a * P + b]));
      }
    }
    expect(maxErr / maxAbs).toBeLessThan(1e-6);
    const kron = deepLinearUfmLayerSpectrum(point, layer);
    const dense = await denseEigh(deepUfmLayerHessian(point, layer), { returnVectors: false });
    dense.values.forEach((v, i) => expect(Math.abs(v - kron.values[i])).toBeLessThan(1e-10 * kron.values[0]));
    expect(kron.left.length * kron.right.length).toBe(P);
  });
});

describe('Gauss–Newton decomposition at the optimum (Thm 4.2)', () => {
  it('O1: G_within = 0, rank(G_class) = K, rank(G_cross) = K(K−1), all non-zero eigenvalues = λ_out, G_class·G_cross = 0', async () => {
    const p = optimum(O1, 1);
    for (let l = 1; l <= 3; l++) {
      const dec = gaussNewtonDecomposition(deepUfmExtendedGradients(p, l), p.labels);
      expect(dec.withinTerm.rank).toBe(0);
      expect(dec.withinTerm.eigenvalues[0]).toBeLessThan(1e-12);
      expect(dec.classTerm.rank).toBe(3);
      expect(dec.crossTerm.rank).toBe(6);
      for (const v of dec.classTerm.eigenvalues.slice(0, 3)) expect(rel(v, O1.outliers[l - 1])).toBeLessThan(1e-9);
      for (const v of dec.crossTerm.eigenvalues.slice(0, 6)) expect(rel(v, O1.outliers[l - 1])).toBeLessThan(1e-9);
      // orthogonal images: G_class G_cross v = 0 for random v
      const v = Float64Array.from(createRng(l).normalArray(dec.total.size));
      const gc = await dec.crossTerm.operator.matvec(v);
      const ggc = await dec.classTerm.operator.matvec(gc);
      expect(Math.sqrt(ggc.reduce((a, x) => a + x * x, 0))).toBeLessThan(1e-12);
      // G_class + G_cross + G_within = H_l exactly
      const h = await deepUfmLayerHessian(p, l).matvec(v);
      const sum = (await dec.classTerm.operator.matvec(v)).map((x, i) => x + gc[i]);
      const w = await dec.withinTerm.operator.matvec(v);
      sum.forEach((x, i) => expect(Math.abs(x + w[i] - h[i])).toBeLessThan(1e-12));
    }
  });

  it('O1 knockouts: H − G_within keeps K² outliers, H − G_class keeps K(K−1), H − G_cross keeps K', () => {
    const p = optimum(O1, 2);
    const dec = gaussNewtonDecomposition(deepUfmExtendedGradients(p, 2), p.labels);
    const rank = (terms: typeof dec.classTerm[]): number => {
      const spec = outerProductSpectrum(terms.flatMap((t) => [...t.rows]), terms.flatMap((t) => Array.from(t.weights)));
      return spec.filter((x) => x > 1e-8 * O1.outliers[1]).length;
    };
    expect(rank([dec.classTerm, dec.crossTerm])).toBe(9);
    expect(rank([dec.crossTerm, dec.withinTerm])).toBe(6);
    expect(rank([dec.classTerm, dec.withinTerm])).toBe(3);
  });

  it('is an exact identity away from the optimum too (random point, unbalanced classes)', async () => {
    const rng = createRng(5);
    const weights: Matrix[] = [
      { rows: 4, cols: 3, data: Float64Array.from(rng.normalArray(12)) },
      { rows: 2, cols: 4, data: Float64Array.from(rng.normalArray(8)) },
    ];
    const h: Matrix = { rows: 3, cols: 5, data: Float64Array.from(rng.normalArray(15)) };
    const p: DeepUfmPoint = { weights, h, labels: [0, 0, 0, 1, 1] };
    const dec = gaussNewtonDecomposition(deepUfmExtendedGradients(p, 1), p.labels);
    expect(dec.withinTerm.rank).toBeGreaterThan(0);
    const v = Float64Array.from(rng.normalArray(12));
    const h1 = await deepUfmLayerHessian(p, 1).matvec(v);
    const parts = await Promise.all([dec.classTerm, dec.crossTerm, dec.withinTerm].map((t) => t.operator.matvec(v)));
    h1.forEach((x, i) => expect(parts[0][i] + parts[1][i] + parts[2][i]).toBeCloseTo(x, 12));
  });
});

describe('gradients and weights at the optimum (Thms 4.3, 4.4, E.1)', () => {
  it('O1: the label part v_l, the weights and the MSE gradient lie in the top-K² eigenspace; the MSE gradient equals −λ_{W_l} w_l', async () => {
    const p = optimum(O1, 4);
    for (let l = 1; l <= 3; l++) {
      const top = await lanczos(deepUfmLayerHessian(p, l), { k: 9, seed: 1 });
      const g = deepUfmLayerGradients(p, l);
      expect(subspaceFraction(g.label, top.vectors)).toBeCloseTo(1, 10);
      expect(subspaceFraction(g.weights, top.vectors)).toBeCloseTo(1, 10);
      expect(subspaceFraction(g.mse, top.vectors)).toBeCloseTo(1, 10);
      const lw = O1.lambdaW as number[];
      g.mse.forEach((x, i) => expect(x).toBeCloseTo(-lw[l - 1] * g.weights[i], 12));
      // ‖v_l‖ = β·‖Σ_c μ^{l+1}_c ⊗ μ^l_c‖ = β √K ‖μ^{l+1}‖‖μ^l‖ with β from the notes
    }
  });

  it('O1: β of Thm 4.3 (v_l = β Σ_c μ^{l+1}_c ⊗ μ^l_c) matches 0.4811252243, 0.2736775931, 0.4151347504', () => {
    const p = optimum(O1, 6);
    const t = deepLinearUfmTheory({ K: 3, n: 2, L: 3, widths: [6, 5, 7], lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 });
    const beta = [0.4811252243, 0.2736775931, 0.4151347504];
    for (let l = 1; l <= 3; l++) {
      const v = deepUfmLayerGradients(p, l).label;
      const nv = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
      const mu = t.classMeanSqNorms;
      const expected = beta[l - 1] * Math.sqrt(3 * mu[l][0] * mu[l - 1][0]);
      expect(rel(nv, expected)).toBeLessThan(1e-8);
    }
  });

  it('O1: the gradient covariance has K − 1 equal eigenvalues λ_{W_l} x*(1 − x*) (0.007911000257, 0.004746600154, 0.01265760041)', () => {
    const p = optimum(O1, 7);
    const expected = [0.007911000257, 0.004746600154, 0.01265760041];
    for (let l = 1; l <= 3; l++) {
      const g = deepUfmLayerGradients(p, l).perSample;
      const mean = new Float64Array(g[0].length);
      g.forEach((x) => x.forEach((v, j) => { mean[j] += v / g.length; }));
      const spec = outerProductSpectrum(g.map((x) => x.map((v, j) => v - mean[j])), 1 / g.length);
      expect(spec.filter((x) => x > 1e-10).length).toBe(2);
      expect(rel(spec[0], expected[l - 1])).toBeLessThan(1e-8);
      expect(rel(spec[1], expected[l - 1])).toBeLessThan(1e-8);
      expect(gradientCovarianceOperator(g).size).toBe(g[0].length);
    }
  });

  it('O1 and O7: each W_l has rank K with K equal squared singular values τ/λ_{W_l}', () => {
    const p = optimum(O1);
    const expected = [1.758000057, 0.6592500214];
    // W_1 W_1ᵀ eigenvalues ×3: 1.054800034; W_2: 1.758000057; W_3: 0.6592500214
    [1.054800034, ...expected].forEach((e, i) => {
      const s = weightSpectrum(p.weights[i] as Matrix);
      expect(s.numericalRank).toBe(3);
      expect(s.stableRank).toBeCloseTo(3, 10);
      for (const x of s.squaredSingularValues.slice(0, 3)) expect(rel(x, e)).toBeLessThan(1e-9);
    });
    const p7 = optimum(O7);
    for (const w of p7.weights) {
      const s = weightSpectrum(w as Matrix);
      expect(s.numericalRank).toBe(10);
      for (const x of s.squaredSingularValues.slice(0, 10)) expect(rel(x, 1.435955383)).toBeLessThan(1e-9);
    }
  });

  it('the top eigenspace equals span{μ^{l+1}_c ⊗ μ^l_{c\'}} (principal angles all 0)', async () => {
    const p = optimum(O4, 8);
    const l = 2;
    const top = await lanczos(deepUfmLayerHessian(p, l), { k: 4 });
    // class means of the input and output of layer l from the gradient pieces: use extended gradients
    const ext = deepUfmExtendedGradients(p, l);
    const predicted = ext.flatMap((row) => row); // δ_{i,c'} = a_{c'} ⊗ h_i spans the same space
    const cos = principalAngleCosines(top.vectors, predicted);
    expect(cos.length).toBe(4);
    for (const c of cos) expect(c).toBeCloseTo(1, 10);
    expect(clusterEigenvalues(top.values).length).toBe(1);
  });
});
