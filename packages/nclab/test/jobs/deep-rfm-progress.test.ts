import { describe, expect, it } from 'vitest';
import type { DeepRfmProgress } from '@nclab/deep-rfm';
import { PHASE_LINE_SECONDS, phaseLine } from '../../src/jobs/deep-rfm/progress-lines.js';

const phase = (p: DeepRfmProgress['phase'], seconds: number, detail?: string): DeepRfmProgress => ({ type: 'phase', phase: p, layer: 2, depth: 4, elapsedSeconds: 1000, seconds, detail });

describe('Deep RFM phase lines', () => {
  it('names the layer, the phase, its duration and what it did', () => {
    expect(phaseLine(phase('solve', 471.1, 'mixed, 4 refinement steps, residual 1.4e-12'))).toBe('layer 2: kernel solve done in 7 min 51 s (mixed, 4 refinement steps, residual 1.4e-12)');
    expect(phaseLine(phase('agop', 386.4, 'blocked, mixed'))).toBe('layer 2: AGOP done in 6 min 26 s (blocked, mixed)');
    expect(phaseLine(phase('final-solve', 45.25))).toBe('final regression: kernel solve done in 45.3 s');
  });
  it('stays silent for short phases and for the other events', () => {
    expect(phaseLine(phase('solve', PHASE_LINE_SECONDS - 0.01, 'cholesky'))).toBeNull();
    expect(phaseLine(phase('solve', PHASE_LINE_SECONDS, 'cholesky'))).not.toBeNull();
    expect(phaseLine(phase('solve', 3, 'cholesky'), 1)).toBe('layer 2: kernel solve done in 3.0 s (cholesky)');
    expect(phaseLine({ type: 'layer', layer: 2, depth: 4, elapsedSeconds: 1000 })).toBeNull();
    expect(phaseLine({ type: 'resume', layer: 2, depth: 4, elapsedSeconds: 0 })).toBeNull();
  });
});
