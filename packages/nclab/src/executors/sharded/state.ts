/**
 * Partial states of sharded metrics, as versioned JSON files (numbers round-trip exactly through
 * JSON's shortest decimal form):
 * - pass 1, per shard: `pass1-<i>.json` with the class counts and float64 class sums;
 * - merge 1: `means.json`, the class means of all shards and their SHA-256 hash;
 * - pass 2, per shard: `pass2-<i>.json` with the residual statistics and the hash of the means used.
 * Merges add shard states in shard order, so the result does not depend on which task finished first.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, NclabError, type Matrix } from '@nclab/backend';
import type { ClassMeans, ResidualStatistics } from '@nclab/nc-metrics';
import { writeJsonAtomic } from '@nclab/backend';

/** Format tag of the state files. */
export const STATE_FORMAT = 'nclab-sharded-metrics';
/** Version of the state files; a reader refuses other versions. */
export const STATE_VERSION = 1;

/** Pass-1 state of one shard. */
export interface Pass1State {
  format: string;
  version: number;
  pass: 1;
  shard: number;
  rows: number;
  d: number;
  /** Label values accepted (K before dropping empty classes). */
  numClasses: number;
  /** Samples per label value, `[numClasses]`. */
  counts: number[];
  /** Class sums Σ x_i per label value, row-major `[numClasses, d]`, float64. */
  sums: number[];
}

/** Pass-2 state of one shard. */
export interface Pass2State {
  format: string;
  version: number;
  pass: 2;
  shard: number;
  /** Hash of the means this pass measured against ({@link hashMeans}). */
  meansHash: string;
  n: number;
  sumSq: number[];
  projectedScatter: number[];
  nccCorrect: number;
  classifierAgree: number | null;
  classifierCorrect: number | null;
  directionSq: number[] | null;
  scatter: number[] | null;
}

/** `means.json`: the merged pass 1. */
export interface MeansState {
  format: string;
  version: number;
  pass: 'merge1';
  hash: string;
  n: number;
  d: number;
  K: number;
  counts: number[];
  means: number[];
  classIds: number[];
  labelToClass: number[];
  warnings: string[];
}

/** Paths of the state files in a plan directory. */
export const statePath = {
  pass1: (dir: string, shard: number) => join(dir, 'states', `pass1-${shard}.json`),
  pass2: (dir: string, shard: number) => join(dir, 'states', `pass2-${shard}.json`),
  means: (dir: string) => join(dir, 'states', 'means.json'),
};

/**
 * SHA-256 of class means: K, d, the counts, the label mapping and the float64 bytes of the means.
 * @param m - class means.
 * @returns hex digest.
 */
export function hashMeans(m: ClassMeans): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ K: m.K, d: m.d, n: m.n, counts: Array.from(m.counts), classIds: Array.from(m.classIds), labelToClass: Array.from(m.labelToClass) }));
  h.update(new Uint8Array(m.means.data.buffer, m.means.data.byteOffset, m.means.data.byteLength));
  return h.digest('hex');
}

/** Writes a state file atomically. */
export async function writeState(path: string, state: Pass1State | Pass2State | MeansState): Promise<void> {
  await writeJsonAtomic(path, state);
}

/**
 * Reads a state file and checks its format, version and pass.
 * @throws {NclabError} code `PLAN` when it is missing or of another format, version or pass.
 */
export function readState<T extends Pass1State | Pass2State | MeansState>(path: string, pass: T['pass']): T {
  if (!existsSync(path)) throw new NclabError('PLAN', `partial state \`${path}\` is missing (did its task fail? see the logs)`);
  const s = JSON.parse(readFileSync(path, 'utf8')) as T;
  if (s.format !== STATE_FORMAT || s.version !== STATE_VERSION || s.pass !== pass) {
    throw new NclabError('PLAN', `\`${path}\` is not a version-${STATE_VERSION} pass-${String(pass)} state of ${STATE_FORMAT}`);
  }
  return s;
}

/**
 * Class means from merged counts and sums (what `ClassMeanAccumulator.finalize` does; it should
 * gain a state export/import so this can go).
 * @param numClasses - label values.
 * @param d - dimension.
 * @param counts - `[numClasses]`.
 * @param sums - `[numClasses·d]`.
 * @param dropEmpty - drop classes without samples (else throw).
 * @returns the class means.
 * @throws {InvalidArgumentError} for an empty class (unless dropped) or fewer than 2 classes.
 */
export function classMeansFromSums(numClasses: number, d: number, counts: Float64Array, sums: Float64Array, dropEmpty: boolean): ClassMeans {
  const empty: number[] = [];
  for (let k = 0; k < numClasses; k++) if (counts[k] === 0) empty.push(k);
  if (empty.length && !dropEmpty) {
    throw new InvalidArgumentError('labels', `to contain every class 0..${numClasses - 1} at least once (or --drop-empty-classes)`, `no sample of class ${empty.slice(0, 8).join(', ')}`);
  }
  const K = numClasses - empty.length;
  if (K < 2) throw new InvalidArgumentError('labels', 'to contain at least 2 non-empty classes (K >= 2)', `K = ${K}`);
  const classIds = new Int32Array(K);
  const labelToClass = new Int32Array(numClasses).fill(-1);
  const kept = new Float64Array(K);
  const means = new Float64Array(K * d);
  let c = 0;
  let n = 0;
  for (let k = 0; k < numClasses; k++) {
    n += counts[k];
    if (counts[k] === 0) continue;
    classIds[c] = k;
    labelToClass[k] = c;
    kept[c] = counts[k];
    const inv = 1 / counts[k];
    for (let j = 0; j < d; j++) means[c * d + j] = sums[k * d + j] * inv;
    c++;
  }
  const warnings: string[] = [];
  if (empty.length) warnings.push(`dropped ${empty.length} empty class(es) (${empty.slice(0, 8).join(', ')}); K = ${K}`);
  const lo = Math.min(...kept);
  const hi = Math.max(...kept);
  if (lo !== hi) warnings.push(`unbalanced classes: ${lo}..${hi} samples per class`);
  return { n, d, K, counts: kept, means: { rows: K, cols: d, data: means } as Matrix, classIds, labelToClass, warnings };
}

/** `means.json` content → ClassMeans. */
export function meansFromState(s: MeansState): ClassMeans {
  return {
    n: s.n,
    d: s.d,
    K: s.K,
    counts: Float64Array.from(s.counts),
    means: { rows: s.K, cols: s.d, data: Float64Array.from(s.means) },
    classIds: Int32Array.from(s.classIds),
    labelToClass: Int32Array.from(s.labelToClass),
    warnings: s.warnings,
  };
}

/**
 * Sums pass-2 states in the order given (shard order) into one set of residual statistics.
 * @param states - per-shard pass-2 states, all with the same means hash.
 * @param K - classes.
 * @param d - dimension.
 * @returns the merged statistics.
 */
export function mergeResiduals(states: readonly Pass2State[], K: number, d: number): ResidualStatistics {
  const sumSq = new Float64Array(K);
  const T = new Float64Array(K * K);
  const first = states[0];
  const dirSq = first.directionSq ? new Float64Array(first.directionSq.length) : null;
  const scatter = first.scatter ? new Float64Array(d * d) : null;
  let n = 0;
  let ncc = 0;
  let agree = 0;
  let correct = 0;
  for (const s of states) {
    n += s.n;
    ncc += s.nccCorrect;
    agree += s.classifierAgree ?? 0;
    correct += s.classifierCorrect ?? 0;
    for (let k = 0; k < K; k++) sumSq[k] += s.sumSq[k];
    for (let k = 0; k < K * K; k++) T[k] += s.projectedScatter[k];
    if (dirSq && s.directionSq) for (let k = 0; k < dirSq.length; k++) dirSq[k] += s.directionSq[k];
    if (scatter && s.scatter) for (let k = 0; k < scatter.length; k++) scatter[k] += s.scatter[k];
  }
  return {
    n,
    sumSq,
    projectedScatter: { rows: K, cols: K, data: T },
    nccCorrect: ncc,
    classifierAgree: first.classifierAgree === null ? null : agree,
    classifierCorrect: first.classifierCorrect === null ? null : correct,
    directionSq: dirSq,
    scatter: scatter ? { rows: d, cols: d, data: scatter } : null,
  };
}
