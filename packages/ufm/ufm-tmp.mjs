import { createRng, setLinalgPath } from '@nclab/backend/host';
import { initParams, makeObjective, minimize, objectiveSpec } from '@nclab/ufm';
setLinalgPath(process.argv[2] ?? 'portable');
const mo = objectiveSpec({ model: 'deep-linear', K: 10, n: 100, d: 64, depth: 4, lambdaW: 5e-3, lambdaH: 5e-3 });
const x0 = initParams(mo.layout, createRng(0), 1);
const fg = makeObjective(mo.spec);
const steps = Number(process.argv[3] ?? 2000);
for (let i = 0; i < 3; i++) { const t = performance.now(); const r = minimize(fg, x0, { method: 'gd', lr: 0.1, maxSteps: steps, gradTol: 0, historyEvery: steps }); console.log((performance.now() - t).toFixed(0), 'ms', r.objective); }
