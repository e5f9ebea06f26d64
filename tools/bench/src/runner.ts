/** Runs one benchmark: setup, warm-up, timed repeats, the NumPy and PyTorch peers, comparison. */
import { loadavg } from 'node:os';
import type { Bench, PeerSpec } from './define.js';
import { median, ratio } from './stats.js';
import { runPeer, runPeerVia, type NumpyProbe } from './peer.js';
import type { Spawner } from './spawner.js';
import type { TorchProbe } from './probe.js';

/** What happened to one peer side of a benchmark. */
export type PeerResult =
  | { status: 'ok'; script: string; args: string[]; times_s: number[]; median_s: number; cpu_times_s: number[] | null; cpu_median_s: number | null; result: unknown }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; script: string; reason: string }
  | { status: 'none' };

/** One alternation of ours and the peers, with the machine's load when it began. */
export interface RoundRecord {
  /** `os.loadavg()` (1, 5, 15 minutes; what `uptime` prints) at the start of the round. */
  loadavg: [number, number, number];
  /** Median of our timed runs in this round (seconds). */
  ours_s: number | null;
  /** Median of the NumPy peer's runs in this round (null when it did not run). */
  peer_s: number | null;
  /** Median of the PyTorch peer's runs in this round (null when it did not run). */
  torch_s: number | null;
}

/** One benchmark's outcome, as written to `tools/bench/results/`. */
export interface BenchResult {
  name: string;
  file: string;
  repeats: number;
  /** Untimed runs before the timed ones. */
  warmup: number;
  /** Floating-point operations per run, when the bench declares them (GFLOP/s = flops / median / 1e9). */
  flops: number | null;
  /** Wall-clock seconds per timed run, and process CPU seconds (user + system, all threads) per run. */
  ours: { times_s: number[]; median_s: number; cpu_times_s: number[]; cpu_median_s: number } | null;
  /** The NumPy peer. */
  peer: PeerResult;
  /** The PyTorch peer (`status: 'none'` when the bench declares none). */
  torch: PeerResult;
  /** ours median / peer median, wall clock (above 1: we are slower). */
  ratio: number | null;
  /** ours / peer on median process CPU time, when the peer reports `cpu_times_s`: steadier than wall time on a busy machine. */
  cpuRatio: number | null;
  /** ours median / PyTorch median, wall clock. */
  torchRatio: number | null;
  /** Each round's load and medians, in order. */
  rounds: RoundRecord[];
  /** The NumPy peer's check (our last result against its result). */
  check: { ok: boolean; detail: string } | null;
  /** The same `compare` against the PyTorch peer's result. */
  torchCheck: { ok: boolean; detail: string } | null;
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
   * Alternate ours and the peers in this many rounds (default 1: all of ours, then the peers), each
   * round timing ⌈repeats/rounds⌉ runs of each; medians are over all rounds' runs.
   */
  rounds?: number;
  /** Skip the peers even when NumPy/PyTorch are available. */
  noPeer?: boolean;
  /** The result of `probeNumpy()` (done once per harness run). */
  numpy: NumpyProbe;
  /** The result of `probeTorch()`; omitted: torch peers are skipped. */
  torch?: TorchProbe;
  /** Reads the load average at the start of each round (default `os.loadavg`; injectable for tests). */
  loadavg?: () => number[];
  /** Runs the peers from this helper process ({@link startSpawner}) instead of forking this one. */
  spawner?: Spawner;
}

function peerArgsOf(ctx: unknown): string[] {
  const pa = (ctx as { peerArgs?: unknown } | null | undefined)?.peerArgs;
  return Array.isArray(pa) ? pa.map(String) : [];
}

/** Per-run state of one peer side across the rounds. */
interface Side {
  spec: PeerSpec<unknown> | undefined;
  python: string | undefined;
  out: PeerResult;
  args: string[];
  times: number[];
  cpu: number[];
  cpuReported: boolean;
  result: unknown;
}

function side(spec: PeerSpec<unknown> | undefined, probe: { ok: true } | { ok: false; reason: string } | undefined, noPeer: boolean, missing: string, python?: string): Side {
  const s: Side = { spec, python, out: { status: 'none' }, args: [], times: [], cpu: [], cpuReported: true, result: undefined };
  if (spec === undefined) return s;
  if (noPeer) s.out = { status: 'skipped', reason: '--no-peer' };
  else if (probe === undefined) s.out = { status: 'skipped', reason: missing };
  else if (!probe.ok) s.out = { status: 'skipped', reason: probe.reason };
  return s;
}

const active = (s: Side): boolean => s.spec !== undefined && s.out.status === 'none';

async function runSide(s: Side, repeats: number, spawner: Spawner | undefined): Promise<number | null> {
  if (!active(s)) return null;
  const spec = s.spec as PeerSpec<unknown>;
  try {
    const p = spawner ? await runPeerVia(spawner, spec.script, s.args, { repeats, python: s.python }) : runPeer(spec.script, s.args, { repeats, python: s.python });
    s.times.push(...p.times_s);
    if (p.cpu_times_s) s.cpu.push(...p.cpu_times_s);
    else s.cpuReported = false;
    s.result = p.result;
    return median(p.times_s);
  } catch (e) {
    s.out = { status: 'failed', script: spec.script, reason: (e as Error).message };
    return null;
  }
}

function finish(s: Side): void {
  if (!active(s) || s.times.length === 0) return;
  const cpuTimes = s.cpuReported ? s.cpu : null;
  s.out = { status: 'ok', script: (s.spec as PeerSpec<unknown>).script, args: s.args, times_s: s.times, median_s: median(s.times), cpu_times_s: cpuTimes, cpu_median_s: cpuTimes ? median(cpuTimes) : null, result: s.result };
}

/**
 * Runs a benchmark in-process and its peers, in `rounds` alternations (default one: ours, then the
 * NumPy peer, then the PyTorch peer), recording the load average at the start of each round. Never
 * throws: failures land in `error` / `peer.reason` / `torch.reason`.
 */
export async function runBench<Ctx>(bench: Bench<Ctx>, options: RunOptions): Promise<BenchResult> {
  const repeats = options.repeats ?? bench.repeats ?? 5;
  const rounds = Math.min(repeats, Math.max(1, options.rounds ?? 1));
  const perRound = Math.ceil(repeats / rounds);
  const readLoad = options.loadavg ?? loadavg;
  const out: BenchResult = {
    name: bench.name, file: options.file, repeats: perRound * rounds, warmup: bench.warmup ?? 1, flops: bench.flops ?? null, ours: null,
    peer: { status: 'none' }, torch: { status: 'none' }, ratio: null, cpuRatio: null, torchRatio: null, rounds: [],
    check: null, torchCheck: null, error: null,
  };
  let ctx = undefined as Ctx;
  let last: unknown;
  const times: number[] = [];
  const cpu: number[] = [];
  const np = side(bench.peer as PeerSpec<unknown> | undefined, options.numpy, options.noPeer ?? false, 'NumPy not probed');
  const tp = side(bench.torchPeer as PeerSpec<unknown> | undefined, options.torch, options.noPeer ?? false, 'PyTorch not probed', options.torch?.ok ? options.torch.command : undefined);
  try {
    ctx = bench.setup ? await bench.setup() : (undefined as Ctx);
    for (let i = 0; i < (bench.warmup ?? 1); i++) last = await bench.run(ctx); // warm-up (JIT, file cache), not timed
  } catch (e) {
    out.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  if (out.error === null) {
    for (const s of [np, tp]) {
      if (!active(s)) continue;
      const spec = s.spec as PeerSpec<unknown>;
      const fixed = typeof spec.args === 'function' ? spec.args(ctx) : spec.args ?? [];
      s.args = [...fixed, ...peerArgsOf(ctx)];
    }
  }
  for (let r = 0; r < rounds && out.error === null; r++) {
    const la = readLoad();
    const round: RoundRecord = { loadavg: [la[0] ?? 0, la[1] ?? 0, la[2] ?? 0], ours_s: null, peer_s: null, torch_s: null };
    const mine: number[] = [];
    try {
      for (let i = 0; i < perRound; i++) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        last = await bench.run(ctx);
        mine.push(Number(process.hrtime.bigint() - t0) / 1e9);
        const c = process.cpuUsage(c0);
        cpu.push(bench.cpuSeconds ? bench.cpuSeconds(last) : (c.user + c.system) / 1e6);
      }
    } catch (e) {
      out.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      break;
    }
    times.push(...mine);
    round.ours_s = median(mine);
    round.peer_s = await runSide(np, perRound, options.spawner);
    round.torch_s = await runSide(tp, perRound, options.spawner);
    out.rounds.push(round);
  }
  if (out.error === null) {
    out.ours = { times_s: times, median_s: median(times), cpu_times_s: cpu, cpu_median_s: median(cpu) };
    finish(np);
    finish(tp);
  }
  out.peer = np.out;
  out.torch = tp.out;
  const check = (peerResult: unknown) => {
    if (!bench.compare) return null;
    try {
      return bench.compare(last, peerResult);
    } catch (e) {
      return { ok: false, detail: `compare threw: ${(e as Error).message}` };
    }
  };
  if (out.peer.status === 'ok') {
    out.ratio = ratio(out.ours?.median_s ?? null, out.peer.median_s);
    out.cpuRatio = ratio(out.ours?.cpu_median_s ?? null, out.peer.cpu_median_s);
    out.check = check(out.peer.result);
  }
  if (out.torch.status === 'ok') {
    out.torchRatio = ratio(out.ours?.median_s ?? null, out.torch.median_s);
    out.torchCheck = check(out.torch.result);
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
