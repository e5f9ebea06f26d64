#!/usr/bin/env node
/**
 * Builds the optional native addon `nclab_blas.node` (from nclab_blas.c) with the C compiler, into the
 * user cache directory. No install script runs it (npm 11 flags install scripts, pnpm and bun block
 * them): @nclab/backend runs it on the first float64 call that wants the native path when a C compiler
 * is present, and `nclab setup native` or `npm run build:native -w @nclab/backend` run it explicitly.
 *
 * Output directory: `--out DIR`, else `$NCLAB_NATIVE_DIR`, else
 * `<cache>/nclab/native/<version>-<hash>-<platform>-<arch>-abi<modules>/` where <cache> is `$XDG_CACHE_HOME`,
 * else `~/Library/Caches` (macOS), `%LOCALAPPDATA%` (Windows) or `~/.cache`, and <hash> the first 8 hex
 * digits of the SHA-256 of nclab_blas.c (an edited source builds a new addon). Keep this formula equal
 * to `nativeCacheDir()` in src/linalg/native/locate.ts (a test compares them through `--print-dir`).
 *
 * Usage: node native/build.mjs [--out DIR] [--print-dir] [--force] [--quiet]
 * Exit 0: built (or already there; the file's path on stdout). Exit 1: not built, the reason on stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quiet = flag('--quiet') || process.env.NCLAB_QUIET === '1' || process.env.NCLAB_QUIET === 'true';
const env = (name) => (process.env[name] ? process.env[name] : undefined);

function defaultDir() {
  const version = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')).version;
  const base = env('XDG_CACHE_HOME')
    ?? (process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches')
      : process.platform === 'win32' ? (env('LOCALAPPDATA') ?? join(homedir(), 'AppData', 'Local'))
        : join(homedir(), '.cache'));
  const sha = createHash('sha256').update(readFileSync(join(here, 'nclab_blas.c')));
  if (existsSync(join(here, 'nclab_cuda.c'))) sha.update(readFileSync(join(here, 'nclab_cuda.c')));
  const hash = sha.digest('hex').slice(0, 8);
  return join(base, 'nclab', 'native', `${version}-${hash}-${process.platform}-${process.arch}-abi${process.versions.modules}`);
}

/** The folder holding Node's `node_api.h`, or undefined. */
function nodeHeaders() {
  const dirs = [
    env('NCLAB_NODE_HEADERS'),
    join(dirname(dirname(process.execPath)), 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
    // headers node-gyp downloaded earlier, if any
    join(env('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'node-gyp', process.versions.node, 'include', 'node'),
    join(homedir(), 'Library', 'Caches', 'node-gyp', process.versions.node, 'include', 'node'),
  ];
  return dirs.find((d) => d && existsSync(join(d, 'node_api.h')));
}

function fail(reason) {
  if (!quiet) process.stderr.write(`@nclab/backend: native addon not built: ${reason}\n`);
  else process.stderr.write(`${reason}\n`);
  process.exit(1);
}

const outDir = option('--out') ?? env('NCLAB_NATIVE_DIR') ?? defaultDir();
const out = join(outDir, 'nclab_blas.node');
if (flag('--print-dir')) {
  process.stdout.write(`${outDir}\n`);
  process.exit(0);
}
if (existsSync(out) && !flag('--force')) {
  process.stdout.write(`${out}\n`);
  process.exit(0);
}
if (process.platform === 'win32') fail('building on Windows is not supported (the portable path is used)');
const headers = nodeHeaders();
if (!headers) fail(`Node's C headers (node_api.h) were not found next to ${process.execPath} nor in /usr/include/node; set NCLAB_NODE_HEADERS to the folder holding node_api.h`);
const cc = env('CC') ?? 'cc';
const link = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared', '-fPIC', '-ldl'];
mkdirSync(outDir, { recursive: true });
// compile to a private name, then rename: concurrent first uses (test workers) never see half a file
const tmp = join(outDir, `nclab_blas.${process.pid}.tmp.node`);
const r = spawnSync(cc, ['-O2', '-std=c11', `-I${headers}`, '-DNODE_GYP_MODULE_NAME=nclab_blas', join(here, 'nclab_blas.c'), '-o', tmp, ...link], {
  encoding: 'utf8',
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 120_000,
});
if (r.error || r.status !== 0 || !existsSync(tmp)) {
  rmSync(tmp, { force: true });
  const why = r.error ? (r.error.code === 'ENOENT' ? `no C compiler (\`${cc}\` not found; install one, e.g. apt-get install gcc, or set CC)` : r.error.message)
    : `\`${cc}\` failed: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
  fail(why);
}
renameSync(tmp, out);
// The optional CUDA addon (dlopen only, no CUDA needed to build): its failure only leaves the cuda path unavailable.
if (existsSync(join(here, 'nclab_cuda.c'))) {
  const cudaTmp = join(outDir, `nclab_cuda.${process.pid}.tmp.node`);
  const rc = spawnSync(cc, ['-O2', '-std=c11', `-I${headers}`, '-DNODE_GYP_MODULE_NAME=nclab_cuda', join(here, 'nclab_cuda.c'), '-o', cudaTmp, ...link], { stdio: 'ignore', timeout: 120_000 });
  if (!rc.error && rc.status === 0 && existsSync(cudaTmp)) renameSync(cudaTmp, join(outDir, 'nclab_cuda.node'));
  else rmSync(cudaTmp, { force: true });
}
if (!quiet) process.stderr.write(`@nclab/backend: native addon built with ${cc}: ${out}\n`);
process.stdout.write(`${out}\n`);
