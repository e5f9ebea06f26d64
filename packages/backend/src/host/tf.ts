import type { getTf } from '../engine/engine.js';

/**
 * The tfjs-core namespace returned by `getTf()` (after `initEngine`): the one type every package
 * names the tfjs module by.
 * @example
 * const tf: Tf = getTf();
 */
export type Tf = ReturnType<typeof getTf>;
