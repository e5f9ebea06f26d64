/**
 * The lines a Deep RFM job prints for the phases inside a layer: at the paper's N = 50,000 a layer takes
 * about 14 minutes (the kernel solve and the AGOP 5–8 minutes each), so a run reports each long phase as
 * it ends instead of staying silent until the layer's row.
 */
import type { DeepRfmProgress } from '@nclab/deep-rfm';
import { formatSeconds } from '../../cli/progress.js';

/** Phases shorter than this many seconds print nothing (a small run's output stays one line a layer). */
export const PHASE_LINE_SECONDS = 20;

/**
 * The progress line of a finished phase, or null for other events and for phases under `minSeconds`.
 * @param e - a progress event of `deepRfm`.
 * @param minSeconds - the shortest phase that gets a line (default {@link PHASE_LINE_SECONDS}).
 * @returns e.g. `layer 2: kernel solve done in 7 min 51 s (mixed, 4 refinement steps, residual 1.4e-12)`.
 * @example
 * phaseLine({ type: 'phase', phase: 'agop', layer: 2, depth: 4, elapsedSeconds: 900, seconds: 386, detail: 'blocked, mixed' });
 * // 'layer 2: AGOP done in 6 min 26 s (blocked, mixed)'
 */
export function phaseLine(e: DeepRfmProgress, minSeconds = PHASE_LINE_SECONDS): string | null {
  if (e.type !== 'phase' || e.seconds === undefined || e.seconds < minSeconds) return null;
  const what = e.phase === 'agop' ? `layer ${e.layer}: AGOP` : e.phase === 'final-solve' ? 'final regression: kernel solve' : `layer ${e.layer}: kernel solve`;
  return `${what} done in ${formatSeconds(e.seconds * 1000)}${e.detail ? ` (${e.detail})` : ''}`;
}
