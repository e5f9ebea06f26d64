/**
 * `nclab ufm`: solve an unconstrained features model and compare it with its closed form.
 */
// the flag declarations come from @nclab/ufm itself (one source for the CLI and the package)
import { UFM_CLI_OPTIONS, UFM_FLAG_NAMES, solveUfm, ufmConfigFromFlags } from '@nclab/ufm';
import { resultDocument, writeRunReport } from '../../report/write.js';
import { formatTextTable } from '../../report/table.js';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { setupEngine } from '../engine.js';
import type { OptionSpec } from '../spec.js';

export const ufmCommand: CliCommand = {
  spec: {
    name: 'ufm',
    summary: 'solve an unconstrained features model and compare with its closed-form optimum',
    usage: 'ufm --model M --K K --n n --d d --lambda-w λ [options] [--json [OUT]] [--out DIR]',
    description:
      'Models: mse, ce, extended-linear, extended-relu, deep-linear, deep-relu (each with its paper\'s objective\n' +
      'scaling). JSON keys: objective, theory_objective (null without a closed form), nc1_trace_ratio, nc2_etf,\n' +
      'nc2_orthogonal, nc3 (uncentred class means vs classifier, last layer), layers: [{singular_values}]\n' +
      '(squared singular values of each weight matrix, descending).',
    options: [
      ...(UFM_CLI_OPTIONS as readonly OptionSpec[]),
      { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
      { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
    ],
    examples: [
      'nclab ufm --model mse --K 4 --n 5 --d 10 --lambda-w 0.1 --lambda-h 0.1 --solver lbfgs --json -',
      'nclab ufm --model deep-linear --K 3 --n 10 --d 20 --depth 4 --lambda-w 0.01 --out runs/dlufm',
    ],
  },
  async run(ctx) {
    const v = ctx.args.values;
    const { ufmReport } = await import('../../pipelines/ufm.js');
    const config = ufmConfigFromFlags(v as Parameters<typeof ufmConfigFromFlags>[0]);
    const engine = await setupEngine(ctx);
    const progress = ctx.progress('ufm', 1);
    progress.log(`solving ${config.model} (K = ${config.K}) from ${config.restarts ?? 'the default number of'} start(s)`);
    const t0 = performance.now();
    const result = solveUfm(config, UFM_FLAG_NAMES);
    const seconds = (performance.now() - t0) / 1000;
    progress.done(`${result.steps} steps, objective ${result.objective.toPrecision(8)}`);
    const report = ufmReport(result, { command: ctx.commandLine, engine: { ...engine }, seconds });
    if (v.out) {
      const written = await writeRunReport(v.out as string, report, { png: v.png === true });
      ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots and ${written.html}`);
    }
    if ((await emitJson(ctx, resultDocument(report, new Date().toISOString()))) === 'stdout') return;
    for (const t of report.tables.slice(0, 3)) ctx.io.stdout.write(`${formatTextTable(t)}\n`);
  },
};
