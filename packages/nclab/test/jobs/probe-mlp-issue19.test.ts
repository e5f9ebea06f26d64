/**
 * `nclab probe mlp` rows carry Papyan's pinv NC1 beside the trace ratio at the three sub-layer points
 * (issue 19, item 1) and, with `--probe-test`, the test-set keys (item 2).
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers.js';

const args = ['probe', 'mlp', '--dataset', 'mnist', '--per-class', '3', '--depth', '2', '--width', '8', '--epochs', '1', '--lr', '0.05', '--probe-every', '1', '--batch-size', '10', '--no-nfa', '--quiet', '--json'];

describe('nclab probe mlp: pinv and test-set keys per row', () => {
  it('--probe-test: trace-ratio and pinv NC1 at the three points, on the training and the test images', async () => {
    const r = await runInProcess([...args, '--test-per-class', '2', '--probe-test']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const row of doc.checkpoints) {
      for (const k of ['nc1_pinv_input', 'nc1_pinv_right', 'nc1_pinv_output', 'nc1_input_test', 'nc1_right_test', 'nc1_output_test', 'nc1_pinv_input_test', 'nc1_pinv_right_test', 'nc1_pinv_output_test', 'nc2_output_test']) {
        expect(Number.isFinite(row[k]), k).toBe(true);
      }
      // the share under each metric is the log-ratio the caption states
      const share = Math.log(row.nc1_pinv_input / row.nc1_pinv_right) / Math.log(row.nc1_pinv_input / row.nc1_pinv_output);
      if (row.nc1_pinv_right_share !== null) expect(row.nc1_pinv_right_share).toBeCloseTo(share, 10);
    }
  }, 60_000);
  it('--probe-test without test images is a usage error', async () => {
    const r = await runInProcess([...args, '--probe-test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--probe-test');
  });
});
