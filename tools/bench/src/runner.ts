/** Runs one benchmark: setup, warm-up, timed repeats, the NumPy peer, comparison. */
import type { Bench } from './define.js';
import { median, ratio } from './stats.js';
import { runPeer, type NumpyProbe } from './peer.js';

/** What happened to the peer side of a benchmark. */
export type PeerResult =
  | { status: 'ok'; script: string; args: string[]; times_s: number[]; median_s: number; cpu_times_s: number[] | null; cpu_median_s: number | null; result: unknown }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; script: string; reason: string }
  | { status: 'none' };

/** One benchmark's outcome, as written to `tools/bench/results/`. */
export interface BenchResult {
  name: string;
  file: string;
  repeats: number;
  /** Untimed runs before the timed ones. */
  warmup: number;
  /** Wall-clock seconds per timed run, and process CPU seconds (user + system, all threads) per run. */
  ours: { times_s: number[]; median_s: number; cpu_times_s: number[]; cpu_median_s: number } | null;
  peer: PeerResult;
  /** ours median / peer median, wall clock (above 1: we are slower). */
  ratio: number | null;
  /** ours / peer on median process CPU time, when the peer reports `cpu_times_s`: steadier than wall time on a busy machine. */
  cpuRatio: number | null;
  check: { ok: boolean; detail: string } | null;
  /** Set when our setup/run/teardown threw. */
  error: string | null;
}

/** Options of {@link runBench}. */
export interface RunOptions {
  /** The bench file (recorded in the result). */
  file: string;
  /** Overrides the bench's own `repeats`. */
  repeats?: number;
  /**
   * Alternate ours and the peer in this many rounds (default 1: all of ours, then the peer), each
   * round timing ⌈repeats/rounds⌉ runs of each; medians are over all rounds' runs.
   */
  rounds?: number;
  /** Skip the peer even when NumPy is available. */
  noPeer?: boolean;
  /** The result of `probeNumpy()` (done once per harness run). */
  numpy: NumpyProbe;
}

function peerArgsOf(ctx: unknown): string[] {
  const pa = (ctx as { peerArgs?: unknown } | null | undefined)?.peerArgs;
  return Array.isArray(pa) ? pa.map(String) : [];
}

/**
 * Runs a benchmark in-process and its peer, in `rounds` alternations (default one: ours, then the
 * peer). Never throws: failures land in `error` / `peer.reason`.
 */
export async function runBench<Ctx>(bench: Bench<Ctx>, options: RunOptions): Promise<BenchResult> {
  const repeats = options.repeats ?? bench.repeats ?? 5;
  const rounds = Math.min(repeats, Math.max(1, options.rounds ?? 1));
  const perRound = Math.ceil(repeats / rounds);
  const out: BenchResult = { name: bench.name, file: options.file, repeats: perRound * rounds, warmup: bench.warmup ?? 1, ours: null, peer: { status: 'none' }, ratio: null, cpuRatio: null, check: null, error: null };
  let ctx = undefined as Ctx;
  let last: unknown;
  const times: number[] = [];
  const cpu: number[] = [];
  const peerTimes: number[] = [];
  const peerCpu: number[] = [];
  let peerCpuReported = true;
  let peerResult: unknown;
  let peerArgs: string[] = [];
  const wantPeer = bench.peer !== undefined;
  try {
    ctx = bench.setup ? await bench.setup() : (undefined as Ctx);
    for (let i = 0; i < (bench.warmup ?? 1); i++) last = await bench.run(ctx); // warm-up (JIT, file cache), not timed
  } catch (e) {
    out.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  if (wantPeer && out.error === null) {
    if (options.noPeer) out.peer = { status: 'skipped', reason: '--no-peer' };
    else if (!options.numpy.ok) out.peer = { status: 'skipped', reason: options.numpy.reason };
    else {
      const spec = bench.peer as NonNullable<typeof bench.peer>;
      const fixed = typeof spec.args === 'function' ? spec.args(ctx) : spec.args ?? [];
      peerArgs = [...fixed, ...peerArgsOf(ctx)];
    }
  }
  const peerOn = () => wantPeer && out.peer.status === 'none';
  for (let r = 0; r < rounds && out.error === null; r++) {
    try {
      for (let i = 0; i < perRound; i++) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        last = await bench.run(ctx);
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1e6);
      }
    } catch (e) {
      out.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      break;
    }
    if (!peerOn()) continue;
    try {
      const p = runPeer((bench.peer as NonNullable<typeof bench.peer>).script, peerArgs, { repeats: perRound });
      peerTimes.push(...p.times_s);
      if (p.cpu_times_s) peerCpu.push(...p.cpu_times_s);
      else peerCpuReported = false;
      peerResult = p.result;
    } catch (e) {
      out.peer = { status: 'failed', script: (bench.peer as NonNullable<typeof bench.peer>).script, reason: (e as Error).message };
    }
  }
  if (out.error === null) out.ours = { times_s: times, median_s: median(times), cpu_times_s: cpu, cpu_median_s: median(cpu) };
  if (out.error === null && peerOn() && peerTimes.length > 0) {
    const cpuTimes = peerCpuReported ? peerCpu : null;
    const cpuMedian = cpuTimes ? median(cpuTimes) : null;
    out.peer = { status: 'ok', script: (bench.peer as NonNullable<typeof bench.peer>).script, args: peerArgs, times_s: peerTimes, median_s: median(peerTimes), cpu_times_s: cpuTimes, cpu_median_s: cpuMedian, result: peerResult };
    out.ratio = ratio(out.ours?.median_s ?? null, out.peer.median_s);
    out.cpuRatio = ratio(out.ours?.cpu_median_s ?? null, cpuMedian);
    if (bench.compare) {
      try {
        out.check = bench.compare(last, peerResult);
      } catch (e) {
        out.check = { ok: false, detail: `compare threw: ${(e as Error).message}` };
      }
    }
  }
  if (bench.teardown) {
    try {
      await bench.teardown(ctx);
    } catch (e) {
      out.error ??= `teardown: ${(e as Error).message}`;
    }
  }
  return out;
}
