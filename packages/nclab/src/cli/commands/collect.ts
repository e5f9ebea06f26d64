/**
 * `nclab collect DIR`: builds the summary of a sweep (or `nclab run` plan) from what its points
 * wrote, and lists the points that failed or are missing, with their log files.
 */
import { resolve } from 'node:path';
import { formatTextTable } from '../../report/table.js';
import { collectPlan, formatUnfinished } from '../../executors/collect.js';
import { planProgress } from '../../executors/execute.js';
import { readPlan } from '../../executors/plan.js';
import { summaryDocument, summaryTables, writeSummary } from '../../executors/summary.js';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';

/** `nclab collect DIR`. */
export const collectCommand: CliCommand = {
  spec: {
    name: 'collect',
    summary: 'summary of a sweep directory (e.g. after --executor slurm --no-wait), with failed or missing points',
    usage: 'collect DIR [--json [OUT]]',
    description:
      'Reads DIR/plan.json and every point’s status.json and result.json, writes DIR/summary.json and\n' +
      'DIR/report.html, prints the table, and lists points that failed or have not finished (with their\n' +
      'log.txt and Slurm log files). Points still queued in Slurm are counted as such. Exit code 1 when a\n' +
      'point is failed or missing; `nclab sweep --resume DIR` reruns those.',
    positionals: [{ name: 'DIR', required: true, description: 'a sweep (or run) directory' }],
    options: [],
    examples: ['nclab collect runs/ufm-seeds', 'nclab collect runs/ufm-seeds --json -'],
  },
  async run(ctx) {
    const dir = resolve(ctx.args.positionals[0]);
    const { plan, points } = readPlan(dir);
    if (plan.settings.executor === 'slurm' && plan.jobs.length) {
      const p = planProgress(plan, points);
      if (p.queued) ctx.info(`slurm: ${p.done} done, ${p.running} running, ${p.pending} pending (still queued: the summary is partial)`);
    }
    const collected = collectPlan(dir, plan, points);
    const unfinished = collected.unfinished.map((u) => ({ run: u.run, dir: u.dir, state: u.state, error: u.error, logs: u.logs }));
    if (plan.kind === 'sweep') {
      const written = await writeSummary(dir, plan, collected);
      ctx.info(`wrote ${written}`);
    }
    if (collected.unfinished.length) ctx.io.stderr.write(`${formatUnfinished(collected.unfinished)}\n${collected.unfinished.length} of ${points.length} points failed or missing: \`nclab sweep --resume ${dir}\` reruns them\n`);
    if ((await emitJson(ctx, { ...summaryDocument(plan, collected), unfinished })) !== 'stdout') {
      for (const t of summaryTables(plan, collected)) ctx.io.stdout.write(formatTextTable(t));
    }
    return collected.unfinished.length ? EXIT_FAILURE : EXIT_OK;
  },
};
