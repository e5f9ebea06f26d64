/**
 * Node-only file utilities: atomic writes, the JSON output layout, the checkpoint container, the
 * output-directory lock, temp-file cleanup, path guards and input-data identity.
 */
export { tempPathFor, writeFileAtomic, writeFileAtomicSync, writeJsonAtomic } from './atomic.js';
export { jsonReplacer, toJson } from './json.js';
export type { CheckpointArray, CheckpointDtype, CheckpointState } from './checkpoint.js';
export { CHECKPOINT_VERSION, CHECKPOINT_DTYPES, configDifferences, saveCheckpoint, loadCheckpoint } from './checkpoint.js';
export { trackTemp, untrackTemp, trackedTemps, onExitCleanup, runCleanupNow, tempOwner, removeLeftoverTemps } from './cleanup.js';
export type { LockOwner, OutputLock } from './lock.js';
export { LOCK_FILE, OutputLockedError, acquireOutputLock, lockIsStale, pidAlive } from './lock.js';
export { assertNoSymlinkBelow, assertOutputFile, ensureDir } from './guard.js';
export type { FileIdentity } from './identity.js';
export { canonicalJson, fileIdentity, specHash } from './identity.js';
