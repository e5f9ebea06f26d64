/**
 * The deep-rfm job's checkpoint: the state `deepRfm` hands out after every finished layer
 * (configuration, rows, Gram maps, features X_{l+1}), kept in the backend's checkpoint container
 * (`DIR/checkpoint/state.json` plus one binary file per feature matrix).
 */
import { loadCheckpoint, saveCheckpoint, type CheckpointArray, type Matrix } from '@nclab/backend';
import type { DeepRfmGram, DeepRfmLayer, DeepRfmState } from '@nclab/deep-rfm';
import { assertSameInputs, type InputIdentity } from '../inputs.js';

/** The configuration field holding the identity of the input data. */
const INPUTS = 'inputs';

interface Meta {
  layers: DeepRfmLayer[];
  grams: DeepRfmGram[];
}

const toArray = (m: Matrix): CheckpointArray => ({ data: m.data, shape: [m.rows, m.cols] });
const toMatrix = (a: CheckpointArray): Matrix => ({ rows: a.shape[0], cols: a.shape[1], data: a.data as Float64Array });

/**
 * Writes a finished layer's state to `dir` (arrays first, `state.json` last).
 *
 * @param dir - the checkpoint directory.
 * @param state - what `deepRfm`'s `onLayer` gave.
 * @param inputs - the identity of the input data, stored beside the configuration.
 * @returns when it is on disk.
 */
export async function saveDeepRfmState(dir: string, state: DeepRfmState, inputs?: InputIdentity): Promise<void> {
  await saveCheckpoint<Meta>(dir, {
    config: inputs ? { ...state.config, [INPUTS]: inputs } : state.config,
    completed: state.completed,
    meta: { layers: state.layers, grams: state.grams },
    arrays: state.test ? { train: toArray(state.train), test: toArray(state.test) } : { train: toArray(state.train) },
  });
}

/**
 * Reads the state in `dir`, if any. The configuration is checked by `deepRfm` when it resumes
 * (an error names the differing options).
 *
 * @param dir - the checkpoint directory.
 * @param inputs - the identity of this run's input data; the saved one must be equal.
 * @returns the saved state, or `undefined` when `dir` has none.
 * @throws {InvalidArgumentError} (argument `resume`) for an unreadable or damaged checkpoint, or
 *   one written for other input data (the message names the differing inputs and fields).
 */
export async function loadDeepRfmState(dir: string, inputs?: InputIdentity): Promise<DeepRfmState | undefined> {
  const saved = await loadCheckpoint<Meta>(dir, undefined, 'resume');
  if (!saved) return undefined;
  const { [INPUTS]: savedInputs, ...config } = saved.config;
  if (inputs) assertSameInputs(savedInputs, inputs);
  const { train, test } = saved.arrays;
  return { config, completed: saved.completed, layers: saved.meta.layers, grams: saved.meta.grams, train: toMatrix(train), test: test ? toMatrix(test) : undefined };
}
