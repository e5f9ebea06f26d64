/**
 * The probe-cnn job's state in the backend checkpoint container: weights (now and at initialisation),
 * optimiser buffers, history and the probe rows so far.
 */
import { loadCheckpoint, saveCheckpoint, type CheckpointArray } from '@nclab/backend';
import type { CnnParams, CnnSpec, EpochStats, LayerParams, ProbeCnnState } from '@nclab/nn-probes';

interface CnnMeta {
  spec: CnnSpec;
  shapes: { conv: [number, number][]; fc: [number, number][] };
  optimizer: { step: number; buffers: string[] } | null;
  history: EpochStats[];
  checkpoints: ProbeCnnState['checkpoints'];
  logits: ProbeCnnState['logits'];
}

function put(arrays: Record<string, CheckpointArray>, prefix: string, p: CnnParams): void {
  p.conv.forEach((l, i) => (arrays[`${prefix}.conv${i}`] = { data: l.weight, shape: [l.outDim, l.inDim] }));
  p.fc.forEach((l, i) => (arrays[`${prefix}.fc${i}`] = { data: l.weight, shape: [l.outDim, l.inDim] }));
}

function get(arrays: Readonly<Record<string, CheckpointArray>>, prefix: string, meta: CnnMeta): CnnParams {
  const layer = (name: string, [outDim, inDim]: [number, number]): LayerParams => ({ outDim, inDim, weight: Float32Array.from(arrays[name].data), bias: null });
  return { spec: meta.spec, conv: meta.shapes.conv.map((s, i) => layer(`${prefix}.conv${i}`, s)), fc: meta.shapes.fc.map((s, i) => layer(`${prefix}.fc${i}`, s)) };
}

/**
 * Saves a state under `dir` for the run configuration `config` (a resume checks it).
 * @returns when written.
 * @example
 * await saveCnnState(dir, config, state);
 */
export async function saveCnnState(dir: string, config: Record<string, unknown>, state: ProbeCnnState): Promise<void> {
  const t = state.training;
  const arrays: Record<string, CheckpointArray> = {};
  put(arrays, 'now', t.params);
  put(arrays, 'init', t.initialParams);
  const buffers = t.optimizerState ? Object.keys(t.optimizerState.buffers) : [];
  for (const name of buffers) arrays[`opt.${name}`] = { data: t.optimizerState!.buffers[name], shape: [t.optimizerState!.buffers[name].length] };
  const meta: CnnMeta = {
    spec: t.params.spec,
    shapes: { conv: t.params.conv.map((l) => [l.outDim, l.inDim]), fc: t.params.fc.map((l) => [l.outDim, l.inDim]) },
    optimizer: t.optimizerState ? { step: t.optimizerState.step, buffers } : null,
    history: [...t.history],
    checkpoints: state.checkpoints,
    logits: state.logits,
  };
  await saveCheckpoint<CnnMeta>(dir, { config, completed: t.epoch, meta, arrays });
}

/**
 * Loads the newest state saved for `config`, or undefined when there is none.
 * @returns the state.
 * @throws {InvalidArgumentError} (from the container) when the saved run has another configuration.
 * @example
 * const resume = await loadCnnState(dir, config);
 */
export async function loadCnnState(dir: string, config: Record<string, unknown>): Promise<ProbeCnnState | undefined> {
  const saved = await loadCheckpoint<CnnMeta>(dir, config, 'resume');
  if (!saved) return undefined;
  const { meta, arrays } = saved;
  const optimizerState = meta.optimizer ? { step: meta.optimizer.step, buffers: Object.fromEntries(meta.optimizer.buffers.map((n) => [n, Float32Array.from(arrays[`opt.${n}`].data)])) } : undefined;
  return {
    training: { epoch: saved.completed, params: get(arrays, 'now', meta), initialParams: get(arrays, 'init', meta), optimizerState, history: meta.history },
    checkpoints: meta.checkpoints,
    logits: meta.logits,
  };
}
