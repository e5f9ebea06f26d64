/**
 * The four stages of sharded metrics, each runnable in any process from the plan `shards.json`:
 * `pass1` (one shard: counts and class sums), `merge1` (all shards → class means), `pass2` (one shard:
 * residual statistics against the merged means) and `finalize` (merge, assemble every metric, write
 * the report). A stage reads only files earlier stages wrote and writes only its own state file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NclabError, validateLabels } from '@nclab/backend';
import { ResidualAccumulator, metricsFromStatistics, residualOptionsFor, type ComputeMetricsOptions, type NcMetricsResult } from '@nclab/nc-metrics';
import { loadLabelsFile, loadMatrixFile } from '../../io/load.js';
import { metricsReport } from '../../jobs/metrics/report.js';
import { writeRunReport } from '../../report/write.js';
import type { ExecutorSettings } from '../plan.js';
import { loadShardFeatures, shardName, type Shard } from './shards.js';
import {
  STATE_FORMAT,
  STATE_VERSION,
  classMeansFromSums,
  hashMeans,
  meansFromState,
  mergeResiduals,
  readState,
  statePath,
  writeState,
  type MeansState,
  type Pass1State,
  type Pass2State,
} from './state.js';

/** `shards.json`: what the stages need. */
export interface ShardPlan {
  version: number;
  shards: Shard[];
  /** Rows per shard (from the up-front validation). */
  rows: number[];
  d: number;
  numClasses: number;
  /** Metric options as flags: classifier and bias file paths, preset, drop-empty, linear probe. */
  options: { classifier: string | null; bias: string | null; preset: string | null; dropEmptyClasses: boolean; linearProbe: boolean };
  /** Report directory (result.json, plots, report.html), or null. */
  out: string | null;
  /** Command line, engine description for the report. */
  commandLine: string;
  settings: ExecutorSettings;
  cli: string[];
  cwd: string;
  jobs: string[];
}

/** Stage names. */
export type ShardStage = 'pass1' | 'merge1' | 'pass2' | 'finalize';

/** Reads `DIR/shards.json`. */
export function readShardPlan(dir: string): ShardPlan {
  const path = join(dir, 'shards.json');
  if (!existsSync(path)) throw new NclabError('PLAN', `\`${dir}\` holds no sharded-metrics plan (shards.json)`);
  return JSON.parse(readFileSync(path, 'utf8')) as ShardPlan;
}

function metricOptions(plan: ShardPlan): ComputeMetricsOptions {
  const o = plan.options;
  return {
    classifier: o.classifier ? loadMatrixFile('--classifier', o.classifier) : undefined,
    bias: o.bias ? loadLabelsFile('--bias', o.bias) : undefined,
    preset: o.preset ?? undefined,
    numClasses: plan.numClasses,
    dropEmptyClasses: o.dropEmptyClasses,
    linearProbe: o.linearProbe,
  };
}

function loadShard(plan: ShardPlan, i: number) {
  const s = plan.shards[i];
  const features = loadShardFeatures(shardName(i, s), s.features);
  if (features.cols !== plan.d || features.rows !== plan.rows[i]) {
    throw new NclabError('PLAN', `${shardName(i, s)} changed since the plan was made: [${features.rows}, ${features.cols}], planned [${plan.rows[i]}, ${plan.d}]`);
  }
  const labels = validateLabels(shardName(i, s), loadLabelsFile(shardName(i, s), s.labels), features.rows, plan.numClasses).labels;
  return { features, labels };
}

/**
 * Pass 1 of shard `i`: class counts and float64 class sums (Σ over the shard's rows in file order).
 * @throws {InvalidArgumentError} naming the shard on NaN/Inf features.
 */
export async function pass1(dir: string, plan: ShardPlan, i: number): Promise<Pass1State> {
  const { features, labels } = loadShard(plan, i);
  const { rows, cols: d, data } = features;
  const K = plan.numClasses;
  const sums = new Float64Array(K * d);
  const counts = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    const o = labels[r] * d;
    const xo = r * d;
    for (let j = 0; j < d; j++) sums[o + j] += data[xo + j];
    counts[labels[r]]++;
  }
  if (!sums.every(Number.isFinite)) throw new NclabError('INVALID_ARGUMENT', `${shardName(i, plan.shards[i])}: features hold NaN or Inf (or overflow float64)`);
  const state: Pass1State = { format: STATE_FORMAT, version: STATE_VERSION, pass: 1, shard: i, rows, d, numClasses: K, counts: Array.from(counts), sums: Array.from(sums) };
  await writeState(statePath.pass1(dir, i), state);
  return state;
}

/** Merge 1: every shard's pass-1 state, added in shard order, gives the class means (`means.json`). */
export async function merge1(dir: string, plan: ShardPlan): Promise<MeansState> {
  const K = plan.numClasses;
  const d = plan.d;
  const counts = new Float64Array(K);
  const sums = new Float64Array(K * d);
  plan.shards.forEach((s, i) => {
    const st = readState<Pass1State>(statePath.pass1(dir, i), 1);
    if (st.d !== d || st.numClasses !== K) throw new NclabError('PLAN', `${shardName(i, s)}: pass-1 state has d = ${st.d}, K = ${st.numClasses}; the plan has d = ${d}, K = ${K}`);
    for (let k = 0; k < K; k++) counts[k] += st.counts[k];
    for (let k = 0; k < K * d; k++) sums[k] += st.sums[k];
  });
  const means = classMeansFromSums(K, d, counts, sums, plan.options.dropEmptyClasses);
  const state: MeansState = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    pass: 'merge1',
    hash: hashMeans(means),
    n: means.n,
    d,
    K: means.K,
    counts: Array.from(means.counts),
    means: Array.from(means.means.data),
    classIds: Array.from(means.classIds),
    labelToClass: Array.from(means.labelToClass),
    warnings: [...means.warnings],
  };
  await writeState(statePath.means(dir), state);
  return state;
}

/** Pass 2 of shard `i`: residual statistics against the merged means (nc-metrics' ResidualAccumulator). */
export async function pass2(dir: string, plan: ShardPlan, i: number): Promise<Pass2State> {
  const ms = readState<MeansState>(statePath.means(dir), 'merge1');
  const means = meansFromState(ms);
  const { features, labels } = loadShard(plan, i);
  // the accumulator checks at finalize() that it saw pass 1's N rows: give it this shard's N
  const acc = new ResidualAccumulator({ ...means, n: features.rows }, residualOptionsFor(means, metricOptions(plan)));
  const r = acc.update(features, labels).finalize();
  const state: Pass2State = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    pass: 2,
    shard: i,
    meansHash: ms.hash,
    n: r.n,
    sumSq: Array.from(r.sumSq),
    projectedScatter: Array.from(r.projectedScatter.data),
    nccCorrect: r.nccCorrect,
    classifierAgree: r.classifierAgree,
    classifierCorrect: r.classifierCorrect,
    directionSq: r.directionSq ? Array.from(r.directionSq) : null,
    scatter: r.scatter ? Array.from(r.scatter.data) : null,
  };
  await writeState(statePath.pass2(dir, i), state);
  return state;
}

/**
 * Finalise: pass-2 states merged in shard order (each must carry the hash of `means.json`), every
 * metric assembled by nc-metrics, the report (`result.json`, plot, `report.html`) written to the plan's `out`.
 * @returns the metrics.
 * @throws {NclabError} code `PLAN` when a pass-2 state used other means.
 */
export async function finalize(dir: string, plan: ShardPlan): Promise<NcMetricsResult> {
  const ms = readState<MeansState>(statePath.means(dir), 'merge1');
  const means = meansFromState(ms);
  const states = plan.shards.map((s, i) => {
    const st = readState<Pass2State>(statePath.pass2(dir, i), 2);
    if (st.meansHash !== ms.hash) throw new NclabError('PLAN', `${shardName(i, s)}: its pass-2 state used other class means (hash ${st.meansHash.slice(0, 12)}…, expected ${ms.hash.slice(0, 12)}…); rerun pass 2`);
    return st;
  });
  const result = metricsFromStatistics(means, mergeResiduals(states, means.K, means.d), metricOptions(plan));
  const report = metricsReport(
    { single: result },
    {
      command: plan.commandLine,
      config: { shards: plan.shards.map((s) => `${s.features}:${s.labels}`), classifier: plan.options.classifier, bias: plan.options.bias, preset: plan.options.preset, num_classes: plan.numClasses, drop_empty_classes: plan.options.dropEmptyClasses, linear_probe: plan.options.linearProbe, executor: plan.settings.executor },
    },
  );
  await writeRunReport(plan.out ?? dir, report);
  return result;
}

/**
 * Runs one stage (the `nclab _task DIR --stage S` entry).
 * @param dir - plan directory.
 * @param stage - the stage.
 * @param shard - shard index for pass 1 and pass 2.
 */
export async function runShardStage(dir: string, stage: ShardStage, shard: number): Promise<void> {
  const plan = readShardPlan(dir);
  if ((stage === 'pass1' || stage === 'pass2') && !(shard >= 0 && shard < plan.shards.length)) throw new NclabError('PLAN', `shard ${shard} is not in the plan (${plan.shards.length} shards)`);
  if (stage === 'pass1') await pass1(dir, plan, shard);
  else if (stage === 'merge1') await merge1(dir, plan);
  else if (stage === 'pass2') await pass2(dir, plan, shard);
  else await finalize(dir, plan);
}
