// Test helper shared by packages whose entries must not load TensorFlow.js (backend's host entry, agop):
// runs an ES module body in a child Node where every `@tensorflow/*` import fails as a missing package would.
import { spawnSync } from 'node:child_process';

/**
 * A module hook that answers every `@tensorflow/*` specifier as a package that is not installed (the error
 * Node throws for a missing package, with the marker `tfjs-blocked`), so loading one fails as it would without tfjs.
 */
const BLOCK_TFJS =
  'export async function resolve(s, c, next) { if (s.startsWith("@tensorflow/")) { const e = new Error("tfjs-blocked: Cannot find package " + s); e.code = "ERR_MODULE_NOT_FOUND"; throw e; } return next(s, c); }';
const REGISTER = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(BLOCK_TFJS)}`)});`;

/** Runs `code` (an ES module body) from sources in a child Node with `@tensorflow/*` missing; its status and output. */
export function runWithoutTfjs(code) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@nclab/source', '--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', code],
    { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, NCLAB_QUIET: '1' } },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
