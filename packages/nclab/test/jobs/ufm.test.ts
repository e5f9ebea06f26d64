import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@nclab/backend';
import { solveUfm } from '@nclab/ufm';
import { ufmConfigFromFlags } from '../../src/jobs/ufm/config.js';
import { ufmResultToJson } from '../../src/jobs/ufm/json.js';
import { runInProcess } from '../helpers.js';

function thrown(f: () => unknown): InvalidArgumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  throw new Error('expected a throw');
}

describe('nclab ufm: flags → options', () => {
  it('flag errors name the option; the CLI prints the flag', () => {
    const base = { model: 'mse', K: '4', n: '5', d: '10', 'lambda-w': '0.1' };
    expect(thrown(() => ufmConfigFromFlags({ ...base, model: 'nope' })).argument).toBe('model');
    expect(thrown(() => ufmConfigFromFlags({ ...base, K: '1' })).argument).toBe('K');
    expect(thrown(() => ufmConfigFromFlags({ ...base, n: '0' })).argument).toBe('n');
    expect(thrown(() => ufmConfigFromFlags({ ...base, 'lambda-w': '-0.1' })).argument).toBe('lambdaW');
    expect(thrown(() => ufmConfigFromFlags({ ...base, 'lambda-h': 'abc' })).argument).toBe('lambdaH');
    expect(thrown(() => ufmConfigFromFlags({ ...base, depth: '0' })).argument).toBe('depth');
    expect(thrown(() => ufmConfigFromFlags({ ...base, 'lambda-b': '0.1', bias: 'none' })).argument).toBe('bias');
    expect(thrown(() => ufmConfigFromFlags({ ...base, lr: '0' })).argument).toBe('lr');
    expect(thrown(() => solveUfm({ ...ufmConfigFromFlags({ ...base, model: 'deep-linear', d: '4,4', depth: '3' }) })).argument).toBe('d');
  });
  it('the CLI maps the option named by a library error to its flag', async () => {
    const r = await runInProcess(['ufm', '--model', 'deep-linear', '--K', '3', '--n', '2', '--d', '4,4', '--depth', '3', '--lambda-w', '0.1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--d` must be');
    const s = await runInProcess(['ufm', '--model', 'mse', '--K', '4', '--n', '5', '--d', '10', '--lambda-w', '-0.1', '--quiet']);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('`--lambda-w` must be');
  });
});

describe('nclab ufm flags and JSON', () => {
  it('parses comma lists, bias flags and solver options', () => {
    const c = ufmConfigFromFlags({ model: 'deep-linear', K: '3', n: '4,2,1', d: '6,5', depth: '2', 'lambda-w': '0.01,0.02', 'lambda-h': '0.03', steps: '50', lr: '0.05', restarts: '2', seed: '7', solver: 'adam', 'init-scale': '0.5' });
    expect(c).toMatchObject({ model: 'deep-linear', K: 3, n: [4, 2, 1], d: [6, 5], depth: 2, lambdaW: [0.01, 0.02], lambdaH: 0.03, restarts: 2, seed: 7, initScale: 0.5 });
    expect(c.solver).toEqual({ method: 'adam', maxSteps: 50, lr: 0.05 });
    expect(ufmConfigFromFlags({ model: 'mse', K: '4', n: '5', d: '10', lambdaW: 0.1, lambdaB: '0.5' })).toMatchObject({ lambdaB: 0.5 });
    expect(ufmConfigFromFlags({ model: 'mse', K: '4', n: '5', d: '10', lambdaW: 0.1, bias: 'free' }).bias).toBe('free');
  });
  it('writes the contract keys: objective, theory_objective, NC metrics of the last layer, squared singular values', () => {
    const cfg = ufmConfigFromFlags({ model: 'extended-linear', K: '4', n: '5', d: '10', 'lambda-w': '0.05', solver: 'lbfgs', steps: '3000' });
    const j = ufmResultToJson(solveUfm(cfg));
    for (const key of ['objective', 'theory_objective', 'nc1_trace_ratio', 'nc2_etf', 'nc2_orthogonal', 'nc3', 'layers']) expect(j).toHaveProperty(key);
    expect(j.theory_objective as number).toBeCloseTo(0.07372831124871, 12);
    const layers = j.layers as { singular_values: number[] }[];
    expect(layers).toHaveLength(2);
    for (const l of layers) for (let i = 1; i < l.singular_values.length; i++) expect(l.singular_values[i]).toBeLessThanOrEqual(l.singular_values[i - 1]);
    expect(layers[1].singular_values[0]).toBeCloseTo(0.96578707, 6); // W_2W_2ᵀ eigenvalue a²
    expect(j.nc3 as number).toBeLessThan(1e-6);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
  it('deep-relu JSON has theory_objective null and the DNC reference under low_rank', () => {
    const j = ufmResultToJson(solveUfm({ model: 'deep-relu', K: 2, n: 2, d: 3, depth: 2, lambdaW: 0.05, solver: { method: 'lbfgs', maxSteps: 200 }, restarts: 1 }));
    expect(j.theory_objective).toBeNull();
    expect((j.low_rank as { dnc_objective: number }).dnc_objective).toBeGreaterThan(0);
  });
});

