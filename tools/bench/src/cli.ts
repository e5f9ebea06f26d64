/**
 * `nclab-bench`: runs benchmarks against their NumPy (and PyTorch) peers and prints ours/peer ratios.
 * Started through `bin/nclab-bench.mjs` (tsx, `@nclab/source` condition). Before any bench file is
 * loaded it removes the OpenBLAS pinning variables from its own environment, as it does for the
 * peers, so both sides run the same BLAS kernels; the header says what was removed and which kernel
 * each side ran.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseCliArgs, USAGE } from './args.js';
import { findBenchFiles, loadBenches } from './discover.js';
import { BENCH_ROOT, RESULTS_DIR } from './paths.js';
import { probeNumpy, type NumpyProbe } from './peer.js';
import { loadedBlasLibraries, threadSettings, unpinOwnProcess } from './blas-env.js';
import { describeBlasLibraries, probeOwnBlas, probeTorch, type OwnBlasProbe, type TorchProbe } from './probe.js';
import { runBench, type BenchResult } from './runner.js';
import { startSpawner } from './spawner.js';
import { formatTable } from './table.js';

function describeNumpy(p: NumpyProbe): string {
  if (!p.ok) return `peer skipped for all: ${p.reason}`;
  const build = p.blasBuild as { name?: string; version?: string } | string | null;
  const buildText = typeof build === 'object' && build ? `${build.name ?? '?'} ${build.version ?? ''}`.trim() : 'unknown build';
  const rt = Array.isArray(p.blasRuntime) ? (p.blasRuntime as { architecture?: string; num_threads?: number }[]) : [];
  const rtText = rt.length ? describeBlasLibraries(rt as { filepath: string }[]) : 'runtime kernel unknown';
  return `numpy ${p.numpy} (python ${p.python}), BLAS ${buildText}, ${rtText}`;
}

function describeTorch(p: TorchProbe): string {
  if (!p.ok) return `torch peers skipped: ${p.reason}`;
  const blas = p.blasRuntime.length ? describeBlasLibraries(p.blasRuntime) : 'no OpenBLAS loaded at import';
  return `torch ${p.torch} (${p.command}, python ${p.python}), ${p.threads} intra-op threads (default ${p.defaultThreads}), ${p.blasBuild ?? 'BLAS build unknown'}; ${blas}`;
}

function describeOwn(p: OwnBlasProbe): string {
  return p.ok ? `ours: ${describeBlasLibraries(p.libraries)} [${p.libraries.map((l) => l.filepath).join(', ')}]` : `ours: ${p.reason}`;
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
  // Both sides unpinned: our process now, before any bench loads OpenBLAS; the peers in peerEnv.
  const unpin = unpinOwnProcess();
  const numpy = args.noPeer ? ({ ok: false, reason: '--no-peer' } as const) : probeNumpy();
  // the peers run from a helper started now, while this process is small (see spawner.ts)
  const spawner = args.noPeer ? undefined : startSpawner();
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1) };
  console.log(`node ${machine.node} on ${machine.cpu} (${machine.cores} cores); ${describeNumpy(numpy)}`);
  const threads = threadSettings();
  const environment = {
    unsetForBothSides: unpin.unset,
    blasLoadedBeforeUnset: unpin.loadedBefore,
    threadVariables: threads,
    torchThreads: Number(process.env.NCLAB_BENCH_THREADS ?? machine.cores),
  };
  console.log(
    `BLAS environment, ours and peers alike: ${unpin.unset.length ? `unset ${unpin.unset.join(', ')}` : 'no pinning variables were set'}; ` +
      `${threads.length ? threads.join(' ') : 'thread counts at library defaults, no GLIBC_TUNABLES'}` +
      (unpin.loadedBefore.length ? `; WARNING: ${unpin.loadedBefore.join(', ')} loaded before the unset (ours may run pinned kernels)` : ''),
  );
  let torch: TorchProbe | undefined;
  let own: OwnBlasProbe = { ok: false, reason: 'no BLAS library loaded yet' };
  let ownLibs = '';
  const outDir = args.out ? resolve(cwd, args.out) : RESULTS_DIR; // an absolute --out stays absolute
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
      if (b.torchPeer && torch === undefined) {
        torch = args.noPeer ? { ok: false, reason: '--no-peer' } : probeTorch();
        console.log(describeTorch(torch));
      }
      process.stdout.write(`running ${b.name} … (load ${loadavg().map((v) => v.toFixed(2)).join(', ')})\n`);
      const r = await runBench(b, { file: relative(join(BENCH_ROOT, '..', '..'), file), repeats: args.repeats ?? undefined, rounds: args.rounds ?? undefined, noPeer: args.noPeer, numpy, torch, spawner });
      const libs = loadedBlasLibraries();
      if (libs.join('\n') !== ownLibs) {
        ownLibs = libs.join('\n');
        own = probeOwnBlas(libs);
        console.log(describeOwn(own));
      }
      results.push(r);
      if (r.error || r.peer.status === 'failed' || r.torch.status === 'failed' || (r.check && !r.check.ok) || (r.torchCheck && !r.torchCheck.ok)) failed = true;
      if (r.peer.status === 'failed') console.error(`  peer failed: ${r.peer.reason}`);
      if (r.torch.status === 'failed') console.error(`  torch peer failed: ${r.torch.reason}`);
      const record = { ...r, timestamp: new Date().toISOString(), commit, machine, numpy, torchProbe: torch ?? null, environment: { ...environment, ownBlas: own } };
      writeFileSync(join(outDir, `${safeName(r.name)}.json`), `${JSON.stringify(record, null, 2)}\n`);
      appendFileSync(join(outDir, 'history.jsonl'), `${JSON.stringify(record)}\n`);
    }
  }
  console.log(`\n${formatTable(results)}\n`);
  console.log(`results: ${relative(cwd, outDir) || '.'}/`);
  spawner?.close();
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exit(1);
  },
);
