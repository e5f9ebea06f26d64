/**
 * @nclab/backend: the shared tensor backend every nclab package computes through.
 * See README.md (API and Architecture sections) for the full surface.
 */
export * from './host.js';
export type { Tf } from './host/tf.js';
export type { EngineName, EngineInfo, InitEngineOptions } from './engine/engine.js';
export { initEngine, getEngineInfo, getTf } from './engine/engine.js';
export { toTensor, fromTensor, tidy, dispose } from './engine/tensor.js';
export type { MatmulOptions } from './ops/matmul.js';
export { matmul, gram } from './ops/matmul.js';
