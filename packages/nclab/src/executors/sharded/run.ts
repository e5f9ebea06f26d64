/**
 * Sharded metrics end to end: validate every shard, write the plan, then run pass 1 per shard, the
 * merge, pass 2 per shard and the finalise, locally (in-process or P worker processes) or as four
 * Slurm jobs submitted at once and chained with `afterok` dependencies.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NclabError } from '@nclab/backend';
import { writeFileAtomic, writeJsonAtomic } from '@nclab/backend';
import { pool, runCli } from '../local.js';
import { arraySpec, sbatchArgs, sbatchScript } from '../sbatch.js';
import { queued, submit } from '../slurm.js';
import { validateShards, type Shard } from './shards.js';
import { finalize, merge1, pass1, pass2, type ShardPlan, type ShardStage } from './stages.js';

/** Inputs of {@link runShardedMetrics} besides the shards. */
export interface ShardedRunOptions {
  dir: string;
  shards: Shard[];
  numClasses?: number;
  options: ShardPlan['options'];
  commandLine: string;
  settings: ShardPlan['settings'];
  cli: string[];
  log: (line: string) => void;
  wait: boolean;
}

async function stageLocally(plan: ShardPlan, dir: string, stage: ShardStage): Promise<void> {
  const perShard = stage === 'pass1' || stage === 'pass2';
  const n = perShard ? plan.shards.length : 1;
  if (plan.settings.workers <= 1 || !perShard) {
    for (let i = 0; i < n; i++) {
      if (stage === 'pass1') await pass1(dir, plan, i);
      else if (stage === 'pass2') await pass2(dir, plan, i);
      else if (stage === 'merge1') await merge1(dir, plan);
      else await finalize(dir, plan);
    }
    return;
  }
  const codes = await pool(
    plan.shards.map((_, i) => () => runCli(plan.cli, plan.cwd, ['_task', dir, '--stage', stage, '--index', String(i), '--quiet'])),
    plan.settings.workers,
  );
  const bad = codes.findIndex((c) => c !== 0);
  if (bad >= 0) throw new NclabError('SHARD_TASK', `${stage} of --shard ${bad + 1} failed (exit ${codes[bad]}); its error is above`);
}

async function submitStages(plan: ShardPlan, dir: string): Promise<string[]> {
  const S = plan.shards.length;
  const ids: string[] = [];
  for (const stage of ['pass1', 'merge1', 'pass2', 'finalize'] as ShardStage[]) {
    const array = stage === 'pass1' || stage === 'pass2' ? arraySpec(Array.from({ length: S }, (_, i) => i), plan.settings.maxParallel) : null;
    const script = join(dir, `sbatch-${stage}.sh`);
    await writeFileAtomic(
      script,
      sbatchScript({
        name: `nclab-metrics-${stage}`,
        cli: plan.cli,
        taskArgs: ['_task', dir, '--stage', stage, '--quiet'],
        cwd: plan.cwd,
        log: join(dir, 'logs', array ? `${stage}-%A_%a.out` : `${stage}-%j.out`),
        signal: plan.settings.signal,
        comment: [`sharded metrics, ${stage}: ${S} shards`],
      }),
    );
    const dependency = ids.length ? `afterok:${ids[ids.length - 1]}` : null;
    ids.push(submit(sbatchArgs({ script, array, dependency, extra: plan.settings.slurmArgs })));
  }
  return ids;
}

/**
 * Runs sharded metrics.
 * @returns the path of `DIR/result.json`, or null when submitted without waiting.
 * @throws {InvalidArgumentError} naming the shard when validation fails (nothing is run or submitted).
 * @throws {NclabError} code `SHARD_TASK` when a stage failed.
 */
export async function runShardedMetrics(o: ShardedRunOptions): Promise<string | null> {
  const check = validateShards(o.shards, o.numClasses);
  const plan: ShardPlan = {
    version: 1,
    shards: o.shards,
    rows: check.rows,
    d: check.d,
    numClasses: check.numClasses,
    options: o.options,
    out: o.dir,
    commandLine: o.commandLine,
    settings: o.settings,
    cli: o.cli,
    cwd: process.cwd(),
    jobs: [],
  };
  await writeJsonAtomic(join(o.dir, 'shards.json'), plan);
  o.log(`sharded metrics: ${o.shards.length} shards, N = ${check.rows.reduce((a, b) => a + b, 0)}, d = ${check.d}, K = ${check.numClasses}`);
  const result = join(o.dir, 'result.json');
  rmSync(result, { force: true });
  if (o.settings.executor === 'local') {
    for (const stage of ['pass1', 'merge1', 'pass2', 'finalize'] as ShardStage[]) {
      await stageLocally(plan, o.dir, stage);
      o.log(`sharded metrics: ${stage} done`);
    }
    return result;
  }
  await writeFileAtomic(join(o.dir, 'logs', '.keep'), '');
  plan.jobs = await submitStages(plan, o.dir);
  await writeJsonAtomic(join(o.dir, 'shards.json'), plan);
  await writeFileAtomic(join(o.dir, 'jobs.txt'), `${plan.jobs.join('\n')}\n`);
  o.log(`submitted pass1 ${plan.jobs[0]}, merge1 ${plan.jobs[1]}, pass2 ${plan.jobs[2]}, finalize ${plan.jobs[3]} (afterok chain)`);
  if (!o.wait) return null;
  const pollMs = Number(process.env.NCLAB_SLURM_POLL_MS ?? 1000);
  let last = '';
  for (;;) {
    const q = queued(plan.jobs);
    const names = ['pass1', 'merge1', 'pass2', 'finalize'];
    const line = `slurm: ${q.length ? names.filter((_, i) => q.some((t) => t.job === plan.jobs[i])).map((s) => `${s} ${q.filter((t) => t.job === plan.jobs[names.indexOf(s)]).map((t) => t.state.toLowerCase()).join('/')}`).join(', ') : 'done'}`;
    if (line !== last) o.log(line);
    last = line;
    if (q.length === 0) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  if (!existsSync(result) || JSON.parse(readFileSync(result, 'utf8')).kind !== 'metrics') {
    throw new NclabError('SHARD_TASK', `the sharded metrics did not finish; see the logs in ${join(o.dir, 'logs')}`);
  }
  return result;
}
