/**
 * The flags of the spectra-density job (`nclab spectra density`).
 */
import { DEEP_UFM_FLAGS } from '../spectra-ufm/flags.js';

/** The `nclab spectra density` declaration. */
export const SPECTRA_DENSITY_SPEC = {
    name: 'spectra density',
    summary: 'SLQ spectral density of the deep-UFM layer Hessians (JSON and SVG plot)',
    usage: 'spectra density --K K --n n --d d --depth L --lambda-w λ --lambda-h λ [--runs R] [--lanczos-steps S] [--out DIR]',
    description: 'Stochastic Lanczos quadrature (several seeded runs, Gaussian smoothing; the density integrates to 1).\nJSON: layers: [{layer, grid, density, sigma}]; with --out also density.svg.',
    options: [
      ...DEEP_UFM_FLAGS,
      { name: 'runs', kind: 'integer', min: 1, default: 4, valueName: 'R', description: 'SLQ runs (random probe vectors)' },
      { name: 'lanczos-steps', kind: 'integer', min: 1, default: 40, valueName: 'S', description: 'Lanczos steps per run' },
      { name: 'grid-points', kind: 'integer', min: 2, default: 400, valueName: 'G', description: 'points of the density grid' },
    ],
    examples: ['nclab spectra density --K 3 --n 4 --d 8 --depth 3 --lambda-w 0.01 --lambda-h 0.01 --at-optimum --out runs/density']
} as const;
