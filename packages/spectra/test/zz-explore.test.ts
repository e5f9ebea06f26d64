import { it } from 'vitest';
import { deepUfmSpectra } from '../src/index.js';
it('explore', async () => {
  const O1 = { K: 3, n: 2, d: [6, 5, 7], depth: 3, lambdaW: [0.05, 0.03, 0.08], lambdaH: 0.05 };
  for (const [method, lr, steps] of [['gd', 0.2, 30000], ['gd', 0.1, 30000], ['lbfgs', 1, 2000]] as const) {
    const t = performance.now();
    try {
      const r = await deepUfmSpectra({ ...O1, solver: { steps, lr, method } as never, layers: [1], density: false, seed: 1 });
      console.log('O1', method, lr, steps, (performance.now() - t).toFixed(0), 'ms', r.point.objective, r.layers[0].outliers.length, r.layers[0].maxRelativeError, r.point.solver);
    } catch (e) { console.log('O1', method, lr, (e as Error).message.slice(0, 100)); }
  }
  for (const [method, lr, steps, n, d, L] of [['gd', 0.3, 20000, 4, 8, 3], ['lbfgs', 1, 3000, 4, 8, 3], ['lbfgs', 1, 5000, 10, 20, 4], ['gd', 0.2, 20000, 10, 20, 4]] as const) {
    const t = performance.now();
    try {
      const r = await deepUfmSpectra({ model: 'deep-relu', K: 3, n, d, depth: L, lambdaW: 5e-3, lambdaH: 5e-3, solver: { steps, lr, method } as never, layers: [L], density: false, seed: 3 });
      const l = r.layers[0];
      console.log('relu', method, n, d, L, steps, (performance.now() - t).toFixed(0), 'ms', r.point.objective, l.outliers.length, l.outliers.map((x) => x.toFixed(5)).join(','), r.point.solver, l.weights.singularValues.map((x) => (x * x).toFixed(4)).join(','));
    } catch (e) { console.log('relu', method, (e as Error).message.slice(0, 100)); }
  }
}, 600_000);
