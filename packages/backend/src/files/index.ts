/**
 * Node-only file utilities: atomic writes, the JSON output layout and the checkpoint container.
 */
export { tempPathFor, writeFileAtomic, writeFileAtomicSync, writeJsonAtomic } from './atomic.js';
export { jsonReplacer, toJson } from './json.js';
export type { CheckpointArray, CheckpointDtype, CheckpointState } from './checkpoint.js';
export { CHECKPOINT_VERSION, CHECKPOINT_DTYPES, configDifferences, saveCheckpoint, loadCheckpoint } from './checkpoint.js';
