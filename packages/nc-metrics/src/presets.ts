/**
 * Paper presets: which global mean, Σ_W divisor and formulas each published NC convention uses.
 * The values themselves are computed in `metrics.ts`; this file is the single description.
 */
import { InvalidArgumentError } from '@nclab/backend/host';
import type { GlobalMeanMode } from './nc1.js';

/** Names of the built-in presets. */
/**
 * The paper conventions of {@link PRESETS}: Papyan, Han & Donoho 2020; Zhu et al. 2021; Rangamani et
 * al. 2023; Beaglehole et al. 2024; Tirer, Huang & Niles-Weed 2023.
 */
export const PRESET_NAMES = ['papyan2020', 'zhu2021', 'rangamani2023', 'beaglehole2024', 'tirer2023'] as const;

/** One of {@link PRESET_NAMES}. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** One published convention. */
export interface PresetSpec {
  /** Preset name. */
  readonly name: PresetName;
  /** Paper (and code) the convention comes from. */
  readonly source: string;
  /** Global mean used to centre the class means. */
  readonly globalMean: GlobalMeanMode;
  /** Σ_W divisor: N (pooled) or K·N (Beaglehole et al.'s code). Σ_B is divided by K everywhere. */
  readonly withinDivisor: 'N' | 'KN';
  /** Metric name → formula, in the order they are reported. */
  readonly metrics: Readonly<Record<string, string>>;
  /** Differences from other readings of the same paper (code vs text). */
  readonly notes: string;
}

/** The built-in presets, documented side by side in the README. */
export const PRESETS: Readonly<Record<PresetName, PresetSpec>> = Object.freeze({
  papyan2020: {
    name: 'papyan2020',
    source: 'Papyan, Han & Donoho 2020, PNAS (and its Colab)',
    globalMean: 'classMeanAverage',
    withinDivisor: 'N',
    metrics: {
      nc1: 'tr(Σ_W Σ_B^†)/K, Σ_B^† from the top K−1 eigenpairs',
      nc2Equinorm: 'std/mean of ‖μ_k − μ_G‖ (unbiased std)',
      nc2Equiangular: 'mean over k≠k′ of |cos(μ̃_k, μ̃_k′) + 1/(K−1)|',
      nc2WEquinorm: 'std/mean of ‖w_k‖ (classifier rows)',
      nc2WEquiangular: 'mean over k≠k′ of |cos(w_k, w_k′) + 1/(K−1)|',
      nc3: '‖W/‖W‖_F − M̃/‖M̃‖_F‖_F² (squared, centred means)',
      nc4: 'fraction of samples where argmax(Wx+b) ≠ nearest class mean',
    },
    notes: 'the Colab code omits the 1/K of NC1 (multiply nc1 by K to compare with it).',
  },
  zhu2021: {
    name: 'zhu2021',
    source: 'Zhu et al. 2021, NeurIPS ("A geometric analysis of neural collapse with unconstrained features"), validate_NC.py',
    globalMean: 'sampleWeighted',
    withinDivisor: 'N',
    metrics: {
      nc1: 'tr(Σ_W pinv(Σ_B))/K with the FULL d×d pseudo-inverse (rtol = d·eps)',
      nc2H: '‖G/‖G‖_F − (I − 11ᵀ/K)/√(K−1)‖_F, G = M̃M̃ᵀ',
      nc2W: 'the same on the classifier rows (G = WWᵀ)',
      nc3: '‖WM̃ᵀ/‖WM̃ᵀ‖_F − (I − 11ᵀ/K)/√(K−1)‖_F',
    },
    notes: 'the full pseudo-inverse can turn negative or explode when Σ_B is formed in low precision (tding1/Neural-Collapse#3); it costs a d×d eigendecomposition.',
  },
  rangamani2023: {
    name: 'rangamani2023',
    source: 'Rangamani, Lindegaard et al. 2023, ICML ("Feature learning in deep classifiers through intermediate neural collapse"), Measurer.py',
    globalMean: 'sampleWeighted',
    withinDivisor: 'N',
    metrics: {
      nc1: 'tr(Σ_W Σ_B^†)/K, top K−1 (their mean of n_c/N-weighted class covariances is Σ_W/K)',
      cdnv: 'mean over class pairs of (V_i + V_j) / max(2‖μ_i − μ_j‖², 1e-15)',
      nc2Equinorm: 'std/mean of ‖μ_k − μ_G‖',
      nc2Equiangular: 'mean over k≠k′ of |cos(μ̃_k, μ̃_k′) + 1/(K−1)|',
      nccAccuracy: 'accuracy of the nearest-class-mean rule',
    },
    notes: 'their ETF measurer stores raw per-pair cosines and norms; the two summaries above are ours.',
  },
  beaglehole2024: {
    name: 'beaglehole2024',
    source: 'Beaglehole, Súkeník, Mondelli & Belkin 2024, NeurIPS (AGOP and deep NC), neural_collapse_rfm',
    globalMean: 'classMeanAverage',
    withinDivisor: 'KN',
    metrics: {
      nc1: 'tr Σ_W / tr Σ_B with Σ_W = Σ_i (x−μ_y)(x−μ_y)ᵀ/(K·N) (their code)',
      nc2: 'mean over the K² entries of (ĤĤᵀ − Σ_ETF)², ĥ_k = μ̃_k/‖μ̃_k‖',
    },
    notes: 'the paper text divides Σ_W by N, i.e. nc1TraceRatio; the code (and its figures) by K·N.',
  },
  tirer2023: {
    name: 'tirer2023',
    source: 'Tirer, Huang & Niles-Weed 2023, ICML ("Perturbation analysis of neural collapse"); NC2/NC3 forms of Tirer & Bruna 2022',
    globalMean: 'sampleWeighted',
    withinDivisor: 'N',
    metrics: {
      nc1: 'tr Σ_W / tr Σ_B',
      nc2Etf: '‖G/‖G‖_F − (I − 11ᵀ/K)/√(K−1)‖_F, G = M̃M̃ᵀ',
      nc2Of: '‖G/‖G‖_F − I/√K‖_F, G = H̄ᵀH̄ (uncentred means)',
      nc3: '‖W/‖W‖_F − H̄ᵀ/‖H̄‖_F‖_F (uncentred means)',
      nc3Centered: '‖W/‖W‖_F − M̃/‖M̃‖_F‖_F',
    },
    notes: 'uncentred NC3 is the one that reaches 0 in bias-free MSE settings (Tirer & Bruna 2022, Thm 3.1).',
  },
});

/**
 * Looks a preset up by name.
 * @param name - one of {@link PresetName}.
 * @returns its spec.
 * @throws {InvalidArgumentError} for an unknown name (the message lists the known ones).
 * @example
 * getPreset('papyan2020').globalMean; // returns 'classMeanAverage'
 */
export function getPreset(name: string): PresetSpec {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(PRESETS, name)) {
    throw new InvalidArgumentError('preset', `one of ${Object.keys(PRESETS).join(', ')}`, name);
  }
  return PRESETS[name as PresetName];
}

/** The convention of the fixed (preset-independent) keys of `computeMetrics`. */
export const CANONICAL_CONVENTION = [
  'global mean μ_G = average of the K class means (classMeanAverage); Σ_W = Σ_i (x_i − μ_{y_i})(x_i − μ_{y_i})ᵀ / N; Σ_B = Σ_k (μ_k − μ_G)(μ_k − μ_G)ᵀ / K; Σ_T = Σ_i (x_i − μ_G)(x_i − μ_G)ᵀ / N; all in float64.',
  'nc1TraceRatio = tr Σ_W / tr Σ_B; nc1Pinv = tr(Σ_W Σ_B^†)/K with Σ_B^† from the top K−1 eigenpairs; nc1WithinTotal = tr Σ_W / tr Σ_T; nc1BetweenTotal = tr Σ_B / tr Σ_T; nc1Cdnv = mean over pairs i<j of (V_i + V_j)/(2‖μ_i − μ_j‖²), V_c = mean ‖x − μ_c‖² over class c.',
  'nc2Etf = ‖ĤĤᵀ − Σ_ETF‖_F with ĥ_k = (μ_k − μ_G)/‖μ_k − μ_G‖ and Σ_ETF = K/(K−1)(I − 11ᵀ/K); nc2EtfGram = ‖G/‖G‖_F − (I − 11ᵀ/K)/√(K−1)‖_F (G = M̃M̃ᵀ); nc2OrthogonalFrame on uncentred means; nc2Equinorm = std/mean of ‖μ_k − μ_G‖ (unbiased std); nc2Equiangular = mean over k≠k′ of |cos + 1/(K−1)|; nc2MaxAngleDeg = max |angle − arccos(−1/(K−1))| in degrees.',
  'with a classifier W [K, d]: nc3 = ‖W/‖W‖_F − M̃/‖M̃‖_F‖_F (centred means, not squared); nc3Uncentered uses the raw means; nc4 = fraction of samples where argmax(Wx + b) differs from the nearest-class-mean prediction (0 at collapse); nc2W* are the NC2 forms on the raw rows of W.',
].join('\n');
