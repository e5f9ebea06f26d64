/**
 * `nclab spectra ufm` and `nclab spectra density`: Hessian spectra of the deep UFM.
 */
import type { DeepUfmSpectraConfig } from '@nclab/spectra';
import { resultDocument, writeRunReport } from '../../report/write.js';
import { formatTextTable } from '../../report/table.js';
import type { CliCommand } from '../command.js';
import { emitJson, type CommandContext } from '../context.js';
import { setupEngine } from '../engine.js';
import type { OptionSpec } from '../spec.js';

const MODEL_OPTIONS: OptionSpec[] = [
  { name: 'model', kind: 'string', choices: ['deep-linear', 'deep-relu'], default: 'deep-linear', description: 'deep UFM variant' },
  { name: 'K', kind: 'integer', min: 2, required: true, valueName: 'K', description: 'number of classes' },
  { name: 'n', kind: 'integer', min: 1, required: true, valueName: 'n', description: 'samples per class' },
  { name: 'd', kind: 'integer', min: 1, required: true, multiple: true, valueName: 'd', description: 'width, or a comma list d_1,…,d_L (each ≥ K)' },
  { name: 'depth', kind: 'integer', min: 1, required: true, valueName: 'L', description: 'number of weight layers' },
  { name: 'lambda-w', kind: 'number', greaterThan: 0, required: true, multiple: true, valueName: 'λ', description: 'weight decay λ_W, or a comma list per layer' },
  { name: 'lambda-h', kind: 'number', greaterThan: 0, required: true, valueName: 'λ', description: 'feature decay λ_H' },
  { name: 'layer', kind: 'integer', min: 1, multiple: true, valueName: 'l', description: 'layers to analyse (repeat or comma list; default all)' },
  { name: 'at-optimum', kind: 'boolean', description: 'use the closed-form global optimum instead of gradient descent (deep-linear)' },
  { name: 'steps', kind: 'integer', min: 1, valueName: 'S', description: 'gradient-descent steps when solving' },
  { name: 'lr', kind: 'number', greaterThan: 0, valueName: 'η', description: 'gradient-descent step size' },
  { name: 'init-scale', kind: 'number', greaterThan: 0, valueName: 's', description: 'initialisation scale' },
  { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed of the initialisation, Lanczos and SLQ' },
  { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
  { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
];

function one(v: unknown): number | number[] {
  const arr = v as number[];
  return arr.length === 1 ? arr[0] : arr;
}

function baseConfig(ctx: CommandContext): DeepUfmSpectraConfig {
  const v = ctx.args.values;
  const solver = { steps: v.steps as number | undefined, lr: v.lr as number | undefined, initScale: v.initScale as number | undefined };
  return {
    model: v.model as 'deep-linear' | 'deep-relu',
    K: v.K as number,
    n: v.n as number,
    d: one(v.d),
    depth: v.depth as number,
    lambdaW: one(v.lambdaW),
    lambdaH: v.lambdaH as number,
    layers: v.layer as number[] | undefined,
    atOptimum: v.atOptimum === true,
    solver: Object.values(solver).some((x) => x !== undefined) ? solver : undefined,
    seed: v.seed as number,
  };
}

async function runSpectra(ctx: CommandContext, config: DeepUfmSpectraConfig, densityOnly: boolean): Promise<void> {
  const [{ deepUfmSpectra }, { spectraReport }] = await Promise.all([import('@nclab/spectra'), import('../../pipelines/spectra.js')]);
  const v = ctx.args.values;
  const engine = await setupEngine(ctx);
  const progress = ctx.progress(densityOnly ? 'spectra density' : 'spectra', 1);
  progress.log(`${config.atOptimum ? 'building the closed-form optimum' : 'solving the model'} and analysing ${config.layers?.length ?? config.depth} layer(s)`);
  const t0 = performance.now();
  const result = await deepUfmSpectra(config);
  progress.done();
  const report = spectraReport(result, { command: ctx.commandLine, engine: { ...engine }, seconds: (performance.now() - t0) / 1000, densityOnly });
  if (v.out) {
    const written = await writeRunReport(v.out as string, report, { png: v.png === true });
    ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots and ${written.html}`);
  }
  if ((await emitJson(ctx, resultDocument(report, new Date().toISOString()))) === 'stdout') return;
  ctx.io.stdout.write(formatTextTable(report.tables[0]));
}

export const spectraUfmCommand: CliCommand = {
  spec: {
    name: 'spectra ufm',
    summary: 'layer-wise Hessian spectra of a deep UFM: outliers vs the closed form, Papyan decomposition',
    usage: 'spectra ufm --model deep-linear --K K --n n --d d --depth L --lambda-w λ --lambda-h λ [--layer l] [--top k] [--at-optimum]',
    description:
      'Solves the model (or builds its closed-form optimum with --at-optimum) and analyses the Hessian of the\n' +
      'MSE term with respect to each W_l. JSON: layers: [{layer, outliers (descending), bulk_size, rank, …}].',
    options: [...MODEL_OPTIONS, { name: 'top', kind: 'integer', min: 1, valueName: 'k', description: 'Lanczos top-k per layer (default min(size, K² + K))' }],
    examples: ['nclab spectra ufm --model deep-linear --K 3 --n 2 --d 6,5,7 --depth 3 --lambda-w 0.05,0.03,0.08 --lambda-h 0.05 --at-optimum --json -'],
  },
  async run(ctx) {
    await runSpectra(ctx, { ...baseConfig(ctx), top: ctx.args.values.top as number | undefined, density: false }, false);
  },
};

export const spectraDensityCommand: CliCommand = {
  spec: {
    name: 'spectra density',
    summary: 'SLQ spectral density of the deep-UFM layer Hessians (JSON and SVG plot)',
    usage: 'spectra density --K K --n n --d d --depth L --lambda-w λ --lambda-h λ [--runs R] [--lanczos-steps S] [--out DIR]',
    description: 'Stochastic Lanczos quadrature (several seeded runs, Gaussian smoothing; the density integrates to 1).\nJSON: layers: [{layer, grid, density, sigma}]; with --out also density.svg.',
    options: [
      ...MODEL_OPTIONS,
      { name: 'runs', kind: 'integer', min: 1, default: 4, valueName: 'R', description: 'SLQ runs (random probe vectors)' },
      { name: 'lanczos-steps', kind: 'integer', min: 1, default: 40, valueName: 'S', description: 'Lanczos steps per run' },
      { name: 'grid-points', kind: 'integer', min: 2, default: 400, valueName: 'G', description: 'points of the density grid' },
    ],
    examples: ['nclab spectra density --K 3 --n 4 --d 8 --depth 3 --lambda-w 0.01 --lambda-h 0.01 --at-optimum --out runs/density'],
  },
  async run(ctx) {
    const v = ctx.args.values;
    await runSpectra(ctx, { ...baseConfig(ctx), density: { runs: v.runs as number, steps: v.lanczosSteps as number, gridPoints: v.gridPoints as number } }, true);
  },
};
