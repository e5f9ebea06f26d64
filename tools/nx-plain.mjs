#!/usr/bin/env node
/**
 * Runs nx with the given arguments; when stdout or stderr is not a terminal, its output carries no ANSI
 * escape codes. nx sets `FORCE_COLOR=true` for every task it runs unless FORCE_COLOR is already set, so
 * vitest, tsup, vitepress and Node's console colour their output even when `npm test` is piped or
 * logged, and nx replays cached task logs with the codes they were recorded with. Setting FORCE_COLOR=0
 * does not help: nx turns it into NO_COLOR=1 and still gives its tasks FORCE_COLOR=true (Node then warns
 * about the pair on every process). So, when piped (unless the user set FORCE_COLOR to ask for colour),
 * the escape sequences are removed from nx's output, line by line. On a terminal, nx runs untouched.
 * Usage: node tools/nx-plain.mjs run-many -t typecheck test ...
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const nx = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
const piped = !process.stdout.isTTY || !process.stderr.isTTY;
const keepColour = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';

/** CSI sequences (colours, cursor moves, line clears) and OSC sequences (hyperlinks, titles). */
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** Copies `from` to `to` with ANSI sequences removed; whole lines only, so no sequence is split. */
function plain(from, to) {
  let carry = '';
  from.setEncoding('utf8');
  from.on('data', (chunk) => {
    const text = carry + chunk;
    const end = text.lastIndexOf('\n') + 1;
    carry = text.slice(end);
    if (end > 0) to.write(text.slice(0, end).replace(ANSI, ''));
  });
  from.on('end', () => {
    if (carry) to.write(carry.replace(ANSI, ''));
  });
}

if (!piped || keepColour) {
  const child = spawn(process.execPath, [nx, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); });
} else {
  const child = spawn(process.execPath, [nx, ...process.argv.slice(2)], { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
  plain(child.stdout, process.stdout);
  plain(child.stderr, process.stderr);
  child.on('close', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); });
}
