#!/usr/bin/env node
// Starts the TypeScript CLI (src/cli.ts) under tsx, resolving @nclab/* packages from source
// (the "@nclab/source" export condition), so benchmarks never run stale builds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = import.meta.resolve('tsx');
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--conditions=@nclab/source', '--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
if (r.error) {
  console.error(`nclab-bench: cannot start node: ${r.error.message}`);
  process.exit(1);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
