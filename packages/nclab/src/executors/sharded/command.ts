/**
 * The `--shard` branch of `nclab metrics`: {@link withShards} adds `--shard` and the executor flags
 * to the metrics job's command; with `--shard`, flags → {@link runShardedMetrics}, then the same
 * table and JSON output as the one-shot command.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NcMetricsResult } from '@nclab/nc-metrics';
import type { CliCommand } from '../../cli/command.js';
import type { CommandContext } from '../../cli/context.js';
import type { OptionSpec } from '../../cli/spec.js';
import { emitJson } from '../../cli/context.js';
import { EXIT_OK, UsageError } from '../../cli/errors.js';
import { cliCommand } from '../cli-entry.js';
import { EXECUTOR_OPTIONS, executorSettings } from '../options.js';
import { runShardedMetrics } from './run.js';
import { parseShard } from './shards.js';

/**
 * Runs `nclab metrics --shard … --out DIR`.
 * @param ctx - the metrics command's context.
 * @returns the exit code.
 */
export async function runShardedCommand(ctx: CommandContext): Promise<number> {
  const v = ctx.args.values;
  if (v.features || v.labels) throw new UsageError('metrics', '`--shard` replaces `--features`/`--labels`: give one or the other');
  if (typeof v.out !== 'string') throw new UsageError('metrics', '`--shard` needs `--out DIR` (partial states, logs and the report go there)');
  if (v.bias && !v.classifier) throw new UsageError('metrics', '`--bias` needs `--classifier`');
  const dir = resolve(v.out);
  const path = await runShardedMetrics({
    dir,
    shards: (v.shard as string[]).map(parseShard).map((s) => ({ features: resolve(s.features), labels: resolve(s.labels) })),
    numClasses: v.numClasses as number | undefined,
    options: {
      classifier: typeof v.classifier === 'string' ? resolve(v.classifier) : null,
      bias: typeof v.bias === 'string' ? resolve(v.bias) : null,
      preset: (v.preset as string | undefined) ?? null,
      dropEmptyClasses: v.dropEmptyClasses === true,
      linearProbe: v.linearProbe === true,
    },
    commandLine: ctx.commandLine,
    settings: executorSettings('metrics', v),
    cli: cliCommand(),
    log: (l) => ctx.info(l),
    wait: v.noWait !== true,
  });
  if (path === null) {
    ctx.info(`not waiting: the result will be ${resolve(dir, 'result.json')}`);
    return EXIT_OK;
  }
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  ctx.info(`wrote ${path}`);
  if ((await emitJson(ctx, doc)) === 'stdout') return EXIT_OK;
  const { formatMetricsTable } = await import('@nclab/nc-metrics');
  ctx.io.stdout.write(`${formatMetricsTable(doc as unknown as NcMetricsResult)}\n`);
  return EXIT_OK;
}

/** The `--shard` flag. */
const SHARD_OPTION: OptionSpec = {
  name: 'shard',
  kind: 'string',
  valueName: 'F.npy:L.npy',
  multiple: true,
  keepCommas: true,
  description: 'a row block of one dataset, features and labels (repeat, in order; needs --out; runs with --executor)',
};

/**
 * The metrics command with sharded input: `--shard` (replacing `--features`/`--labels`, which
 * become required only without it) and the executor flags; without `--shard` it is the metrics
 * job's command unchanged.
 * @param metrics - the metrics job's command.
 * @returns the command.
 */
export function withShards(metrics: CliCommand): CliCommand {
  const options = metrics.spec.options.map((o) => (o.name === 'features' || o.name === 'labels' ? { ...o, required: false, description: `${o.description} (required unless --shard)` } : o));
  return {
    spec: {
      ...metrics.spec,
      usage: `${metrics.spec.usage}\n       nclab metrics --shard F1.npy:L1.npy --shard F2.npy:L2.npy ... --out DIR [--executor local|slurm ...]`,
      options: [...options, SHARD_OPTION, ...EXECUTOR_OPTIONS.filter((o) => o.name !== 'points-per-task')],
    },
    async run(ctx) {
      const v = ctx.args.values;
      if (v.shard) return runShardedCommand(ctx);
      if (!v.features) throw new UsageError('metrics', 'missing required flag `--features`');
      if (!v.labels) throw new UsageError('metrics', 'missing required flag `--labels`');
      if (v.executor === 'slurm' || (v.workers as number) > 1) throw new UsageError('metrics', '`--executor` and `--workers` apply to sharded input (`--shard`)');
      return metrics.run(ctx);
    },
  };
}
