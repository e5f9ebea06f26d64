/**
 * The `--shard` branch of `nclab metrics`: flags → {@link runShardedMetrics}, then the same table and
 * JSON output as the one-shot command.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NcMetricsResult } from '@nclab/nc-metrics';
import type { CommandContext } from '../../cli/context.js';
import { emitJson } from '../../cli/context.js';
import { EXIT_OK, UsageError } from '../../cli/errors.js';
import { cliCommand } from '../cli-entry.js';
import { executorSettings } from '../options.js';
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
