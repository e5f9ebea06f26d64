/**
 * Resumable runs: after every finished layer the features X_{l+1} (train and test) and the rows so
 * far are written to a checkpoint folder; a later run with the same configuration continues from there.
 *
 * Layout: `state.json` (written last, atomically by rename) names the feature files of the last
 * finished layer (`features-L{l}-train.f64`, `features-L{l}-test.f64`, raw little-endian float64).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Matrix } from '@nclab/backend';

/** What a checkpoint holds besides the features. */
export interface CheckpointState<Row, Extra> {
  readonly version: 1;
  /** Canonical JSON of the configuration; a resume requires an identical key. */
  readonly configKey: string;
  /** Number of finished layers. */
  readonly completed: number;
  readonly layers: Row[];
  readonly extra: Extra;
  readonly train: { file: string; rows: number; cols: number };
  readonly test?: { file: string; rows: number; cols: number };
}

function writeMatrix(path: string, m: Matrix): void {
  writeFileSync(path, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
}

function readMatrix(path: string, rows: number, cols: number): Matrix {
  const buf = readFileSync(path);
  if (buf.byteLength !== rows * cols * 8) throw new InvalidArgumentError('checkpointDir', `a feature file of ${rows * cols * 8} bytes`, buf.byteLength, path);
  const data = new Float64Array(rows * cols);
  new Uint8Array(data.buffer).set(buf);
  return { rows, cols, data };
}

/** Saves the state after layer `completed` (features first, then state.json by rename, then old files removed). */
export function saveCheckpoint<Row, Extra>(dir: string, configKey: string, completed: number, layers: Row[], extra: Extra, train: Matrix, test?: Matrix): void {
  mkdirSync(dir, { recursive: true });
  const trainFile = `features-L${completed}-train.f64`;
  const testFile = `features-L${completed}-test.f64`;
  writeMatrix(join(dir, trainFile), train);
  if (test) writeMatrix(join(dir, testFile), test);
  const state: CheckpointState<Row, Extra> = {
    version: 1,
    configKey,
    completed,
    layers,
    extra,
    train: { file: trainFile, rows: train.rows, cols: train.cols },
    test: test ? { file: testFile, rows: test.rows, cols: test.cols } : undefined,
  };
  const tmp = join(dir, 'state.json.tmp');
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, join(dir, 'state.json'));
  for (const f of [`features-L${completed - 1}-train.f64`, `features-L${completed - 1}-test.f64`]) rmSync(join(dir, f), { force: true });
}

/**
 * Loads a checkpoint if `dir/state.json` exists.
 * @returns undefined when there is none.
 * @throws {InvalidArgumentError} when it belongs to a different configuration or its files are damaged.
 */
export function loadCheckpoint<Row, Extra>(dir: string, configKey: string): { state: CheckpointState<Row, Extra>; train: Matrix; test?: Matrix } | undefined {
  const path = join(dir, 'state.json');
  if (!existsSync(path)) return undefined;
  let state: CheckpointState<Row, Extra>;
  try {
    state = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InvalidArgumentError('checkpointDir', 'a folder with a readable state.json', dir, (e as Error).message);
  }
  if (state.version !== 1 || state.configKey !== configKey) {
    throw new InvalidArgumentError('checkpointDir', 'a checkpoint of the same configuration (or an empty folder)', dir, 'its state.json was written by a run with other options; use another folder');
  }
  const train = readMatrix(join(dir, state.train.file), state.train.rows, state.train.cols);
  const test = state.test ? readMatrix(join(dir, state.test.file), state.test.rows, state.test.cols) : undefined;
  return { state, train, test };
}
