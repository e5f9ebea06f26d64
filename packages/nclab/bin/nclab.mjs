#!/usr/bin/env node
/**
 * The `nclab` executable as npm links it: loads the built CLI (`dist/cli.js`). In a clone before the
 * first build, `dist/` does not exist yet: this shim then builds it once (`nx run nclab:build`,
 * which builds the packages it depends on too) with a one-line notice on stderr, and loads it.
 * Committed, so the bin link npm creates at the first `npm install` always has a target.
 * On Linux it then starts the CLI with glibc's huge-page advice for large arrays (`launch.mjs`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hugePageEnv, relaunch } from './launch.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(pkg, 'dist', 'cli.js');

if (!existsSync(cli)) {
  const root = join(pkg, '..', '..');
  const nx = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  if (!existsSync(join(root, 'nx.json')) || !existsSync(nx)) {
    process.stderr.write(`nclab: ${cli} is missing and this is not a built clone; reinstall the nclab package\n`);
    process.exit(1);
  }
  process.stderr.write('nclab: first use in this clone: building the CLI once (nx run nclab:build)...\n');
  const build = spawnSync(process.execPath, [nx, 'run', 'nclab:build', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write(`nclab: the build failed (exit ${build.status}); run \`npx nx run nclab:build\` in ${root} to see why\n`);
    process.exit(build.status || 1);
  }
}

// On Linux the CLI runs with glibc's huge-page advice for large arrays (see launch.mjs); NCLAB_HUGEPAGES=0: as is.
const env = hugePageEnv();
if (env) relaunch(fileURLToPath(import.meta.url), process.argv.slice(2), env);
else await import(pathToFileURL(cli).href);
