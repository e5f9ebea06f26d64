/**
 * `nclab probe mlp` (train an MLP on MNIST and probe it) and `nclab probe import` (probe
 * activations and weights saved from PyTorch or JAX).
 */
import { resultDocument, writeRunReport } from '../../report/write.js';
import { formatTextTable } from '../../report/table.js';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { setupEngine } from '../engine.js';
import { UsageError } from '../errors.js';

const OUT: CliCommand['spec']['options'] = [
  { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
  { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
];

export const probeMlpCommand: CliCommand = {
  spec: {
    name: 'probe mlp',
    summary: 'train a bias-free MLP on MNIST and probe sub-layer NC1 (S Vᵀ vs ReLU) and the NFA',
    usage: 'probe mlp --dataset mnist --per-class N --depth L --width W --epochs E --lr η --init-scale s --loss mse|ce [--out DIR]',
    description:
      'Bias-free ReLU MLP, Xavier-uniform init with gain --init-scale, SGD batch 128, raw pixels in [0, 1], ±1 one-hot\n' +
      'targets for MSE. result.json: checkpoints: [{epoch, layer, train_loss, nc1_input, nc1_right, nc1_output,\n' +
      'nfa_corr, nfa_corr_sqrt, nfa_corr_sqrt_delta}], history, summary.',
    options: [
      { name: 'dataset', kind: 'string', choices: ['mnist'], default: 'mnist', description: 'training data' },
      { name: 'per-class', kind: 'integer', min: 1, required: true, valueName: 'N', description: 'training images per class' },
      { name: 'test-per-class', kind: 'integer', min: 0, default: 0, valueName: 'N', description: 'test images per class evaluated each epoch' },
      { name: 'depth', kind: 'integer', min: 1, required: true, valueName: 'L', description: 'hidden layers' },
      { name: 'width', kind: 'integer', min: 1, required: true, valueName: 'W', description: 'hidden width' },
      { name: 'epochs', kind: 'integer', min: 0, required: true, valueName: 'E', description: 'training epochs' },
      { name: 'lr', kind: 'number', greaterThan: 0, required: true, valueName: 'η', description: 'learning rate' },
      { name: 'init-scale', kind: 'number', greaterThan: 0, default: 1, valueName: 's', description: 'Xavier-uniform gain' },
      { name: 'loss', kind: 'string', choices: ['mse', 'ce'], default: 'mse', description: 'loss' },
      { name: 'optimizer', kind: 'string', choices: ['sgd', 'adamw'], default: 'sgd', description: 'optimiser' },
      { name: 'momentum', kind: 'number', min: 0, valueName: 'm', description: 'SGD momentum (default 0)' },
      { name: 'weight-decay', kind: 'number', min: 0, valueName: 'λ', description: 'weight decay (default 0)' },
      { name: 'batch-size', kind: 'integer', min: 1, default: 128, valueName: 'B', description: 'mini-batch size' },
      { name: 'probe-every', kind: 'integer', min: 1, default: 10, valueName: 'k', description: 'probe every k epochs (and at 0 and the end)' },
      { name: 'no-nfa', kind: 'boolean', description: 'skip the AGOP / NFA correlations (faster)' },
      { name: 'seed', kind: 'integer', min: 0, default: 0, description: 'seed' },
      { name: 'resume', kind: 'boolean', description: 'resume from the newest checkpoint in DIR/checkpoints' },
      ...OUT,
    ],
    examples: ['nclab probe mlp --dataset mnist --per-class 200 --depth 5 --width 256 --epochs 300 --lr 0.05 --init-scale 0.5 --loss mse --seed 0 --out runs/probe'],
  },
  async run(ctx) {
    const [{ probeMlp }, { probeReport }] = await Promise.all([import('@nclab/nn-probes'), import('../../pipelines/probe.js')]);
    const v = ctx.args.values;
    if (v.resume && !v.out) throw new UsageError('probe mlp', '`--resume` needs `--out DIR` (checkpoints live in DIR/checkpoints)');
    const engine = await setupEngine(ctx);
    const epochs = v.epochs as number;
    const progress = ctx.progress('probe mlp', Math.max(1, epochs));
    const result = await probeMlp({
      dataset: 'mnist',
      perClass: v.perClass as number,
      testPerClass: v.testPerClass as number,
      depth: v.depth as number,
      width: v.width as number,
      epochs,
      lr: v.lr as number,
      initScale: v.initScale as number,
      loss: v.loss as 'mse' | 'ce',
      optimizer: v.optimizer as 'sgd' | 'adamw',
      momentum: v.momentum as number | undefined,
      weightDecay: v.weightDecay as number | undefined,
      batchSize: v.batchSize as number,
      probeEvery: v.probeEvery as number,
      nfa: v.noNfa !== true,
      seed: v.seed as number,
      outDir: v.out as string | undefined,
      resume: v.resume === true,
      engine: engine.engine as 'wasm',
      onProgress: (p) => {
        if (p.phase === 'train' && p.epoch > 0) progress.update(p.epoch, `loss ${p.train_loss.toPrecision(4)}, acc ${p.train_acc.toFixed(3)}`);
      },
    });
    progress.done();
    const report = probeReport(result, { command: ctx.commandLine, engine: { ...engine } });
    if (v.out) {
      const written = await writeRunReport(v.out as string, report, { png: v.png === true });
      ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots and ${written.html}`);
    }
    if ((await emitJson(ctx, resultDocument(report, new Date().toISOString()))) === 'stdout') return;
    ctx.io.stdout.write(formatTextTable(report.tables[0]));
  },
};

export const probeImportCommand: CliCommand = {
  spec: {
    name: 'probe import',
    summary: 'sub-layer NC1, spectra and NFA of activations/weights saved from PyTorch or JAX (.npy)',
    usage: 'probe import --layer-features F1 --layer-features F2 ... --labels L [--weights W1 --weights W2 ...] [--nfa]',
    description: 'F_i: features [N, d_i] at each capture point (e.g. the input of each linear layer); W_i: the weight [out, in]\napplied to F_i (PyTorch layout); L: labels [N]. All .npy.',
    options: [
      { name: 'layer-features', kind: 'string', multiple: true, required: true, valueName: 'FILE', description: 'features of one capture point (repeat, in network order)' },
      { name: 'labels', kind: 'string', required: true, valueName: 'FILE', description: 'labels [N]' },
      { name: 'weights', kind: 'string', multiple: true, valueName: 'FILE', description: 'weight applied to each capture point (repeat, same order)' },
      { name: 'activation', kind: 'string', choices: ['relu', 'tanh', 'identity'], default: 'relu', description: 'non-linearity after each weight' },
      { name: 'nfa', kind: 'boolean', description: 'NFA correlations (the weights must be the bias-free MLP the features came from)' },
      ...OUT,
    ],
    examples: ['nclab probe import --layer-features h0.npy --layer-features h1.npy --labels y.npy --weights w0.npy --weights w1.npy --json -'],
  },
  async run(ctx) {
    const [{ probeImported }, { importedProbeReport }] = await Promise.all([import('@nclab/nn-probes'), import('../../pipelines/probe.js')]);
    const v = ctx.args.values;
    const engine = await setupEngine(ctx);
    const t0 = performance.now();
    const result = await probeImported({
      layers: v.layerFeatures as string[],
      labels: v.labels as string,
      weights: v.weights as string[] | undefined,
      activation: v.activation as 'relu',
      nfa: v.nfa === true,
    });
    const report = importedProbeReport(result, {
      command: ctx.commandLine,
      engine: { ...engine },
      seconds: (performance.now() - t0) / 1000,
      config: { layer_features: v.layerFeatures, labels: v.labels, weights: v.weights ?? null, activation: v.activation, nfa: v.nfa === true },
    });
    if (v.out) {
      const written = await writeRunReport(v.out as string, report, { png: v.png === true });
      ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots and ${written.html}`);
    }
    if ((await emitJson(ctx, resultDocument(report, new Date().toISOString()))) === 'stdout') return;
    ctx.io.stdout.write(formatTextTable(report.tables[0]));
  },
};
