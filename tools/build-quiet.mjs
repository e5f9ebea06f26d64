#!/usr/bin/env node
/**
 * `nx run <project>:build` in a few lines: nx's per-package build logs are captured and shown only
 * when the build fails. Prints one summary line when something was rebuilt and nothing when every
 * package came from the cache. Colour only when stderr is a terminal (NO_COLOR / FORCE_COLOR respected).
 * Usage: node tools/build-quiet.mjs [project] (default `nclab`).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const project = process.argv[2] ?? 'nclab';
const colour = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : !process.env.NO_COLOR && Boolean(process.stderr.isTTY);
const started = performance.now();
const run = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'run', `${project}:build`, '--outputStyle=static'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, FORCE_COLOR: colour ? '1' : '0', NX_TASKS_RUNNER_DYNAMIC_OUTPUT: 'false', NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
});
const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
if (run.status !== 0) {
  process.stderr.write(log);
  process.stderr.write(`build: ${project} failed (exit ${run.status ?? run.signal})\n`);
  process.exit(run.status ?? 1);
}
const plain = log.replace(/\x1b\[[0-9;]*m/g, '');
const total = Number(/and (\d+) tasks? it depends on/.exec(plain)?.[1] ?? 0) + 1;
const cached = /for (\d+) out of (\d+) tasks/.exec(plain);
const fromCache = cached ? Number(cached[1]) : 0;
if (fromCache < total) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`build: ${total - fromCache} of ${total} packages rebuilt (${seconds} s; the rest up to date)\n`);
}
