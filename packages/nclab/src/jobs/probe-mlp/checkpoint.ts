/**
 * The probe-mlp job's checkpoint: `probeMlp`'s state (weights, W₀, optimiser buffers, epoch, history,
 * probe rows so far) in the backend checkpoint container, keyed by the run's configuration so that a
 * resume with other settings is refused with the differing fields named.
 */
import { loadCheckpoint, saveCheckpoint, type CheckpointArray } from '@nclab/backend';
import type { EpochStats, LayerParams, MlpParams, MlpSpec, ProbeMlpState } from '@nclab/nn-probes';

/** The JSON part of a saved state (the arrays hold the weights and optimiser buffers). */
interface ProbeMeta {
  spec: MlpSpec;
  /** Whether layer l has a bias (per layer). */
  biases: boolean[];
  optimizer: { step: number; buffers: string[] } | null;
  history: EpochStats[];
  checkpoints: ProbeMlpState['checkpoints'];
  logits: ProbeMlpState['logits'];
  spectra: ProbeMlpState['spectra'];
  unitGaps: ProbeMlpState['unitGaps'];
  /** Linear-head rows (runs with `--linear-layers`). */
  linearHead?: ProbeMlpState['linearHead'];
  /** eNTK rows (runs with `--entk-samples`). */
  entk?: ProbeMlpState['entk'];
}

function putParams(arrays: Record<string, CheckpointArray>, prefix: string, p: MlpParams): void {
  p.layers.forEach((layer, l) => {
    arrays[`${prefix}${l}.weight`] = { data: layer.weight, shape: [layer.outDim, layer.inDim] };
    if (layer.bias) arrays[`${prefix}${l}.bias`] = { data: layer.bias, shape: [layer.outDim] };
  });
}

function getParams(arrays: Readonly<Record<string, CheckpointArray>>, prefix: string, spec: MlpSpec, biases: boolean[]): MlpParams {
  const layers: LayerParams[] = biases.map((hasBias, l) => {
    const w = arrays[`${prefix}${l}.weight`];
    const b = hasBias ? arrays[`${prefix}${l}.bias`] : undefined;
    return { outDim: w.shape[0], inDim: w.shape[1], weight: new Float32Array(w.data), bias: b ? new Float32Array(b.data) : null };
  });
  return { spec, layers };
}

/**
 * Saves a `probeMlp` state into `dir` (backend container: `state.json` plus one raw file per array).
 *
 * @param dir - the checkpoint folder (`OUT/checkpoints`).
 * @param config - the run's configuration key (see `probeCheckpointConfig`).
 * @param state - what `probeMlp` handed to `onCheckpoint`.
 * @returns when the state is on disk.
 */
export async function saveProbeState(dir: string, config: Record<string, unknown>, state: ProbeMlpState): Promise<void> {
  const t = state.training;
  const arrays: Record<string, CheckpointArray> = {};
  putParams(arrays, 'layer', t.params);
  putParams(arrays, 'init', t.initialParams);
  const buffers = t.optimizerState ? Object.keys(t.optimizerState.buffers) : [];
  for (const name of buffers) {
    const data = t.optimizerState!.buffers[name];
    arrays[`opt.${name}`] = { data, shape: [data.length] };
  }
  const meta: ProbeMeta = {
    spec: t.params.spec,
    biases: t.params.layers.map((p) => p.bias !== null),
    optimizer: t.optimizerState ? { step: t.optimizerState.step, buffers } : null,
    history: [...t.history],
    checkpoints: state.checkpoints,
    logits: state.logits,
    spectra: state.spectra,
    unitGaps: state.unitGaps,
    ...(state.linearHead ? { linearHead: state.linearHead } : {}),
    ...(state.entk ? { entk: state.entk } : {}),
  };
  await saveCheckpoint<ProbeMeta>(dir, { config, completed: t.epoch, meta, arrays });
}

/**
 * Loads the state saved by {@link saveProbeState}, or `undefined` when `dir` holds none.
 *
 * @param dir - the checkpoint folder.
 * @param config - the configuration key of the run that resumes.
 * @returns the state to pass as `probeMlp`'s `resume`.
 * @throws {InvalidArgumentError} (argument `resume`) when the saved configuration differs (the
 *   message names the fields) or the files are damaged.
 */
export async function loadProbeState(dir: string, config: Record<string, unknown>): Promise<ProbeMlpState | undefined> {
  const saved = await loadCheckpoint<ProbeMeta>(dir, config, 'resume');
  if (!saved) return undefined;
  const { meta, arrays } = saved;
  const optimizerState = meta.optimizer
    ? { step: meta.optimizer.step, buffers: Object.fromEntries(meta.optimizer.buffers.map((n) => [n, Float32Array.from(arrays[`opt.${n}`].data)])) }
    : undefined;
  return {
    training: {
      epoch: saved.completed,
      params: getParams(arrays, 'layer', meta.spec, meta.biases),
      initialParams: getParams(arrays, 'init', meta.spec, meta.biases),
      optimizerState,
      history: meta.history,
    },
    checkpoints: meta.checkpoints,
    logits: meta.logits,
    spectra: meta.spectra,
    unitGaps: meta.unitGaps,
    ...(meta.linearHead ? { linearHead: meta.linearHead } : {}),
    ...(meta.entk ? { entk: meta.entk } : {}),
  };
}
