#!/usr/bin/env node
/**
 * Runs nx with the given arguments, without ANSI colour when stdout or stderr is not a terminal.
 * nx sets `FORCE_COLOR=true` for every task it runs unless FORCE_COLOR is already set, so vitest, tsup
 * and Node's console colour their output even when `npm test` is piped or logged to a file. When either
 * stream is not a terminal (and the user set neither FORCE_COLOR nor NO_COLOR) this sets
 * `FORCE_COLOR=0` (nx passes it on; Node, chalk, supports-color read it) and `NO_COLOR=1` (picocolors and
 * tinyrainbow, used by vitest, treat any FORCE_COLOR, even `0`, as "colour on" unless NO_COLOR is set).
 * Usage: node tools/nx-plain.mjs run-many -t typecheck test ...
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const piped = !process.stdout.isTTY || !process.stderr.isTTY;
const userChose = process.env.FORCE_COLOR !== undefined || process.env.NO_COLOR !== undefined;
const env = piped && !userChose ? { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } : process.env;
const run = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
