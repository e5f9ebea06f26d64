// Runs the backend linear-algebra contract tests without vitest (bundle mode of the GPU smoke):
// pack.mjs bundles this file with `vitest` aliased to vitest-shim.mjs. Exit 1 when a test fails.
import { run } from './vitest-shim.mjs';
import '../../packages/backend/test/linalg-conformance.test.ts';
import '../../packages/backend/test/solve-mixed.test.ts';
import '../../packages/backend/test/cuda-path.test.ts';

const stats = await run();
for (const f of stats.failures) process.stderr.write(`FAIL ${f}\n`);
process.stdout.write(`contract tests: ${stats.passed} passed, ${stats.failed} failed, ${stats.skipped} skipped\n`);
process.exit(stats.failed > 0 || stats.passed === 0 ? 1 : 0);
