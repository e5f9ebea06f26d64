/**
 * `nclab _task DIR`: the hidden entry of local worker processes and Slurm array tasks. It reads the
 * plan in DIR and runs the points of this task (`--index I`, else those of array task
 * `$SLURM_ARRAY_TASK_ID`) with the same command line as the local executor; sharded-metrics plans
 * run their `--stage` instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../cli/command.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../cli/errors.js';
import { readPlan, taskPoints } from './plan.js';
import { runPoint } from './point.js';

/** The array task id of this process: `--index`-free tasks read `$SLURM_ARRAY_TASK_ID`. */
function arrayTaskId(): number {
  const raw = process.env.SLURM_ARRAY_TASK_ID;
  if (raw === undefined || !/^\d+$/.test(raw)) throw new UsageError('_task', 'needs `--index I` or $SLURM_ARRAY_TASK_ID');
  return Number(raw);
}

/** The hidden `nclab _task DIR` command (not for users; the generated sbatch scripts call it). */
export const taskCommand: CliCommand = {
  spec: {
    name: '_task',
    summary: '(internal) run one task of a plan directory; used by local workers and Slurm arrays',
    usage: '_task DIR [--index I ... [--keep-going] | --stage STAGE [--index SHARD]]',
    positionals: [{ name: 'DIR', required: true, description: 'the plan directory' }],
    options: [
      { name: 'index', kind: 'integer', min: 0, multiple: true, valueName: 'I', description: 'run point I (0-based; repeat for several, in order) instead of the array task’s points' },
      { name: 'keep-going', kind: 'boolean', description: 'with --index: continue after a failed point (default: stop)' },
      { name: 'stage', kind: 'string', choices: ['pass1', 'merge1', 'pass2', 'finalize'], description: 'sharded metrics: the stage to run' },
    ],
  },
  async run(ctx) {
    const dir = ctx.args.positionals[0];
    const v = ctx.args.values;
    if (existsSync(join(dir, 'shards.json'))) {
      const { runShardStage } = await import('./sharded/stages.js');
      if (typeof v.stage !== 'string') throw new UsageError('_task', 'a sharded-metrics plan needs `--stage`');
      const index = (v.index as number[] | undefined)?.[0];
      await runShardStage(dir, v.stage as 'pass1' | 'merge1' | 'pass2' | 'finalize', index === undefined ? (v.stage === 'pass1' || v.stage === 'pass2' ? arrayTaskId() : 0) : index);
      return EXIT_OK;
    }
    const { plan, points } = readPlan(dir);
    const chosen = v.index as number[] | undefined;
    const indices = chosen ?? taskPoints(arrayTaskId(), plan.settings.pointsPerTask, points.length);
    if (indices.some((i) => i >= points.length)) throw new UsageError('_task', `the plan has ${points.length} points`);
    let code = EXIT_OK;
    for (const i of indices) {
      const s = await runPoint(points[i], ctx.invoke);
      ctx.info(`point ${i + 1}: ${s.status}${s.error ? ` (${s.error})` : ''}`);
      if (s.status !== 'ok') {
        code = EXIT_FAILURE;
        // a local worker stops at its first failure unless --keep-going; an array task runs all its points
        if (chosen && v.keepGoing !== true) break;
      }
    }
    return code;
  },
};
