#!/usr/bin/env node
// Builds the optional native addon (native/build/Release/nclab_blas.node). Runs as the package's
// `install` script. It must never fail an install: every failure prints one line and exits 0, and
// @nclab/backend then uses its portable float64 path.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build', 'Release', 'nclab_blas.node');
const quiet = process.env.NCLAB_QUIET === '1';
const say = (msg) => {
  if (!quiet) console.log(`@nclab/backend: ${msg}`);
};

function localHeaders() {
  const prefixes = [dirname(dirname(process.execPath)), '/usr', '/usr/local'];
  for (const p of prefixes) if (existsSync(join(p, 'include', 'node', 'node_api.h'))) return p;
  return undefined;
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c));
}

function tryNodeGyp(nodedir) {
  const gyp = findNodeGyp();
  if (!gyp) return 'node-gyp not found';
  const args = [gyp, 'rebuild', '--loglevel=error'];
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const r = spawnSync(process.execPath, args, { cwd: here, stdio: quiet ? 'ignore' : ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  if (r.status === 0 && existsSync(out)) return null;
  const err = r.stderr ? r.stderr.toString().trim().split('\n').pop() : '';
  return `node-gyp failed${err ? `: ${err}` : ''}`;
}

function tryCc(nodedir) {
  if (!nodedir) return 'no Node headers found for a direct compile';
  mkdirSync(dirname(out), { recursive: true });
  const cc = process.env.CC || 'cc';
  const compile = (name) => spawnSync(cc, ['-O2', '-std=c11', '-shared', '-fPIC', `-I${join(nodedir, 'include', 'node')}`,
    `-DNODE_GYP_MODULE_NAME=${name}`, join(here, `${name}.c`), '-o', join(dirname(out), `${name}.node`), '-ldl'], { stdio: quiet ? 'ignore' : ['ignore', 'ignore', 'pipe'] });
  const r = compile('nclab_blas');
  compile('nclab_cuda'); // the optional CUDA addon (dlopen only); its absence just leaves the cuda path unavailable
  if (r.status === 0 && existsSync(out)) return null;
  return `${cc} failed${r.error ? ` (${r.error.message})` : ''}`;
}

try {
  const nodedir = localHeaders();
  const gypError = tryNodeGyp(nodedir);
  if (gypError === null) {
    say('native addon built with node-gyp (float64 linear algebra will use the system OpenBLAS/LAPACK when present).');
  } else {
    const ccError = tryCc(nodedir);
    if (ccError === null) say(`native addon built with the C compiler directly (${gypError}).`);
    else say(`native addon not built (${gypError}; ${ccError}); the portable float64 path will be used. This is fine; for speed install a C compiler and libopenblas0, then run \`npm rebuild @nclab/backend\`.`);
  }
} catch (err) {
  say(`native addon not built (${err && err.message}); the portable float64 path will be used.`);
}
process.exit(0);
