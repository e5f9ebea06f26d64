/**
 * `nclab deep-rfm`: Deep RFM on MNIST (or your own .npy/.csv data) with the per-layer collapse
 * table, plots and report.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDeepRfmOptions } from '@nclab/deep-rfm';
import type { KernelName } from '@nclab/agop';
import type { FeatureMapKind, NormalizeMode } from '@nclab/deep-rfm';
import { resultDocument, writeRunReport } from '../../report/write.js';
import { formatTextTable } from '../../report/table.js';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { setupEngine } from '../engine.js';
import { UsageError } from '../errors.js';

export const deepRfmCommand: CliCommand = {
  spec: {
    name: 'deep-rfm',
    summary: 'Deep Recursive Feature Machine with per-layer neural collapse (Beaglehole et al. 2024)',
    usage: 'deep-rfm --dataset mnist --per-class N --depth L [options] [--out DIR]',
    description:
      'Runs Algorithm 1 (normalise, kernel ridge regression, AGOP M_l, X_{l+1} = Φ(M_l^½ X_l)) and records NC1\n' +
      '(tr Σ_W / tr Σ_B) and NC2 (ETF error) per layer at the input, after the AGOP step and after the feature\n' +
      'map. With --out it writes DIR/result.json, nc1.svg, nc2.svg, accuracy.svg, gram.svg and report.html.\n' +
      'MNIST pixels are scaled to [0, 1]; the first N images per class are used (train and test splits).',
    options: [
      { name: 'dataset', kind: 'string', choices: ['mnist', 'files'], default: 'mnist', description: 'data source: MNIST, or .npy/.csv files given by --features/--labels' },
      { name: 'per-class', kind: 'integer', min: 1, max: 5421, valueName: 'N', description: 'MNIST training images per class (required for mnist)' },
      { name: 'test-per-class', kind: 'integer', min: 0, max: 892, valueName: 'N', description: 'MNIST test images per class (default: min(per-class, 892); 0 = none)' },
      { name: 'features', kind: 'string', valueName: 'FILE', description: 'training features [N, d] (.npy or .csv), --dataset files' },
      { name: 'labels', kind: 'string', valueName: 'FILE', description: 'training labels [N] (.npy or .csv), --dataset files' },
      { name: 'test-features', kind: 'string', valueName: 'FILE', description: 'test features (optional), --dataset files' },
      { name: 'test-labels', kind: 'string', valueName: 'FILE', description: 'test labels (optional), --dataset files' },
      { name: 'depth', kind: 'integer', min: 1, valueName: 'L', required: true, description: 'number of layers' },
      { name: 'kernel', kind: 'string', choices: ['laplace', 'gaussian', 'exponential', 'linear'], default: 'laplace', description: 'predictor kernel' },
      { name: 'bandwidth', kind: 'number', greaterThan: 0, default: 2, valueName: 'L', description: 'kernel bandwidth' },
      { name: 'ridge', kind: 'number', min: 0, default: 0, valueName: 'MU', description: 'ridge μ of the kernel regression (0 = ridgeless)' },
      { name: 'width', kind: 'integer', min: 1, default: 1024, valueName: 'D', description: 'number of random features' },
      { name: 'feature-map', kind: 'string', choices: ['relu', 'rff', 'linear'], default: 'relu', description: 'feature map Φ: random ReLU, random Fourier (cosine) or linear' },
      { name: 'feature-bias', kind: 'boolean', description: 'ReLU features with a uniform bias on [−1, 1)' },
      { name: 'normalize', kind: 'string', choices: ['unit', 'none', 'gram'], default: 'unit', description: 'per-layer sample normalisation' },
      { name: 'sqrt', kind: 'string', choices: ['eigh', 'cholesky'], default: 'eigh', description: 'how M^½X is formed (cholesky: a factor equal in distribution, faster)' },
      { name: 'agop-samples', kind: 'integer', min: 1, valueName: 'N', description: 'AGOP on a seeded subsample of N training points (default: all)' },
      { name: 'agop-precision', kind: 'string', choices: ['auto', 'float64', 'mixed'], default: 'auto', description: "arithmetic of the AGOP's N³ product GᵀG (auto: float32 on the portable path, float64 with native BLAS)" },
      { name: 'gram-samples', kind: 'integer', min: 0, default: 200, valueName: 'N', description: 'class-balanced samples in each Gram heat map' },
      { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed of the random feature maps' },
      { name: 'out', kind: 'string', valueName: 'DIR', description: 'output directory for result.json, plots and report.html' },
      { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
      { name: 'resume', kind: 'boolean', description: 'continue from DIR/checkpoint (written after every finished layer) instead of starting over' },
    ],
    examples: [
      'nclab deep-rfm --dataset mnist --per-class 100 --depth 8 --kernel laplace --bandwidth 2 --ridge 1e-3 --width 1024 --feature-map relu --seed 0 --out runs/deep-rfm-mnist',
      'nclab deep-rfm --dataset files --features x.npy --labels y.npy --depth 4 --json -',
    ],
  },
  async run(ctx) {
    // packages load on use, so `--help` and other commands start fast
    const [{ runDeepRfm }, { deepRfmReport }, { loadLabelsFile, loadMatrixFile }] = await Promise.all([
      import('@nclab/deep-rfm'),
      import('../../pipelines/deep-rfm.js'),
      import('../../io/load.js'),
    ]);
    const v = ctx.args.values;
    const out = v.out as string | undefined;
    let dataset: RunDeepRfmOptions['dataset'];
    if (v.dataset === 'mnist') {
      if (v.perClass === undefined) throw new UsageError('deep-rfm', '`--per-class` is required with `--dataset mnist`');
      dataset = 'mnist';
    } else {
      if (!v.features || !v.labels) throw new UsageError('deep-rfm', '`--dataset files` needs `--features FILE` and `--labels FILE`');
      if (Boolean(v.testFeatures) !== Boolean(v.testLabels)) throw new UsageError('deep-rfm', '`--test-features` and `--test-labels` go together');
      const train = { x: loadMatrixFile('--features', v.features as string), labels: loadLabelsFile('--labels', v.labels as string) };
      const test = v.testFeatures ? { x: loadMatrixFile('--test-features', v.testFeatures as string), labels: loadLabelsFile('--test-labels', v.testLabels as string) } : undefined;
      dataset = { train, test };
    }
    const engine = await setupEngine(ctx);
    let checkpointDir: string | undefined;
    if (out) {
      checkpointDir = join(out, 'checkpoint');
      if (!v.resume && existsSync(checkpointDir)) rmSync(checkpointDir, { recursive: true, force: true });
    } else if (v.resume) {
      throw new UsageError('deep-rfm', '`--resume` needs `--out DIR` (the checkpoint lives in DIR/checkpoint)');
    }
    const depth = v.depth as number;
    const progress = ctx.progress('deep-rfm', depth);
    if (dataset === 'mnist') progress.log(`loading MNIST (${v.perClass as number} per class)`);
    const result = await runDeepRfm({
      dataset,
      perClass: v.perClass as number | undefined,
      testPerClass: v.testPerClass as number | undefined,
      depth,
      kernel: v.kernel as KernelName,
      bandwidth: v.bandwidth as number,
      ridge: v.ridge as number,
      width: v.width as number,
      featureMap: v.featureMap as FeatureMapKind,
      featureBias: v.featureBias === true,
      normalize: v.normalize as NormalizeMode,
      sqrt: v.sqrt as 'eigh' | 'cholesky',
      agopSamples: v.agopSamples as number | undefined,
      agopPrecision: v.agopPrecision as 'auto' | 'float64' | 'mixed',
      gramSamples: v.gramSamples as number,
      seed: v.seed as number,
      checkpointDir,
      onProgress: (e) => {
        if (e.type === 'resume') progress.log(`resumed after layer ${e.layer} from ${checkpointDir}`);
        else progress.update(e.layer, e.row ? `layer ${e.layer}: NC1 ${e.row.nc1_in.toPrecision(3)} → ${e.row.nc1_out.toPrecision(3)}` : `layer ${e.layer}`);
      },
    });
    progress.done();
    const report = deepRfmReport(result, { command: ctx.commandLine, engine: { ...engine } });
    if (out) {
      progress.log('rendering plots and report');
      const written = await writeRunReport(out, report, { png: v.png === true });
      if (checkpointDir) rmSync(checkpointDir, { recursive: true, force: true });
      ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots${written.pngs.length ? `, ${written.pngs.length} PNG` : ''} and ${written.html}`);
    }
    const json = resultDocument(report, new Date().toISOString());
    if ((await emitJson(ctx, json)) === 'stdout') return;
    ctx.io.stdout.write(formatTextTable({ ...report.tables[0], caption: undefined }));
    ctx.io.stdout.write(`final: train_acc ${result.final.train_acc.toFixed(4)}, test_acc ${result.final.test_acc === null ? '–' : result.final.test_acc.toFixed(4)}\n`);
  },
};
