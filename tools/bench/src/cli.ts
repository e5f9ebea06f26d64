/**
 * `nclab-bench`: runs benchmarks against their NumPy peers and prints ours/peer ratios.
 * Started through `bin/nclab-bench.mjs` (tsx, `@nclab/source` condition).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseCliArgs, USAGE } from './args.js';
import { findBenchFiles, loadBenches } from './discover.js';
import { BENCH_ROOT, RESULTS_DIR } from './paths.js';
import { probeNumpy, type NumpyProbe } from './peer.js';
import { runBench, type BenchResult } from './runner.js';
import { formatTable } from './table.js';

function describeNumpy(p: NumpyProbe): string {
  if (!p.ok) return `peer skipped for all: ${p.reason}`;
  const build = p.blasBuild as { name?: string; version?: string } | string | null;
  const buildText = typeof build === 'object' && build ? `${build.name ?? '?'} ${build.version ?? ''}`.trim() : 'unknown build';
  const rt = Array.isArray(p.blasRuntime) ? (p.blasRuntime as { architecture?: string; num_threads?: number }[]) : [];
  const rtText = rt.length ? rt.map((r) => `${r.architecture ?? '?'} kernel, ${r.num_threads ?? '?'} threads`).join('; ') : 'runtime kernel unknown';
  const unset = p.unsetVariables.length ? `; unset for peers: ${p.unsetVariables.join(', ')}` : '';
  return `numpy ${p.numpy} (python ${p.python}), BLAS ${buildText}, ${rtText}${unset}`;
}

function gitCommit(): string | null {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_');
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const cwd = process.cwd();
  if (process.argv.length <= 2 || (args.targets.length === 1 && args.targets[0] === 'bench')) {
    if (!existsSync(join(cwd, 'bench'))) {
      console.log(`no bench/ folder in ${cwd}: nothing to run`);
      return 0;
    }
  }
  const files = findBenchFiles(args.targets, cwd);
  if (files.length === 0) {
    console.log(`no *.bench.ts files in ${args.targets.join(', ')}`);
    return 0;
  }
  const numpy = args.noPeer ? ({ ok: false, reason: '--no-peer' } as const) : probeNumpy();
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1) };
  console.log(`node ${machine.node} on ${machine.cpu} (${machine.cores} cores); ${describeNumpy(numpy)}`);
  const outDir = args.out ? join(cwd, args.out) : RESULTS_DIR;
  mkdirSync(outDir, { recursive: true });
  const commit = gitCommit();
  const results: BenchResult[] = [];
  let failed = false;
  for (const file of files) {
    let benches;
    try {
      benches = await loadBenches(file);
    } catch (e) {
      console.error(`cannot load ${file}: ${(e as Error).message}`);
      failed = true;
      continue;
    }
    for (const b of benches) {
      if (args.filter && !b.name.includes(args.filter) && !file.includes(args.filter)) continue;
      process.stdout.write(`running ${b.name} …\n`);
      const r = await runBench(b, { file: relative(join(BENCH_ROOT, '..', '..'), file), repeats: args.repeats ?? undefined, rounds: args.rounds ?? undefined, noPeer: args.noPeer, numpy });
      results.push(r);
      if (r.error || r.peer.status === 'failed' || (r.check && !r.check.ok)) failed = true;
      if (r.peer.status === 'failed') console.error(`  peer failed: ${r.peer.reason}`);
      const record = { ...r, timestamp: new Date().toISOString(), commit, machine, numpy };
      writeFileSync(join(outDir, `${safeName(r.name)}.json`), `${JSON.stringify(record, null, 2)}\n`);
      appendFileSync(join(outDir, 'history.jsonl'), `${JSON.stringify(record)}\n`);
    }
  }
  console.log(`\n${formatTable(results)}\n`);
  console.log(`results: ${relative(cwd, outDir) || '.'}/`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exit(1);
  },
);
