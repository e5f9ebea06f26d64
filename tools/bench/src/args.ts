/** Command-line arguments of `nclab-bench`. */
import { parseArgs } from 'node:util';

/** Parsed command line. */
export interface CliArgs {
  /** Bench files or folders (default `['bench']`). */
  targets: string[];
  /** Only benches whose name or file contains this substring. */
  filter: string | null;
  /** Overrides every bench's `repeats`. */
  repeats: number | null;
  /** Alternate ours and the peer in this many rounds (each does repeats/rounds timed runs). */
  rounds: number | null;
  /** Do not run peers. */
  noPeer: boolean;
  /** Where JSON results go (default `tools/bench/results`). */
  out: string | null;
  help: boolean;
}

/** Usage text. */
export const USAGE = `usage: nclab-bench [TARGET ...] [--filter TEXT] [--repeats N] [--rounds R] [--no-peer] [--out DIR]

Runs benchmarks (files *.bench.ts default-exporting defineBench(...)) and their NumPy and PyTorch peers.
Both sides run without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (removed from this process before any bench
loads OpenBLAS, and from the peers'); the header prints that and the OpenBLAS kernel each side ran.
  TARGET        a .bench.ts file or a folder of them (default: ./bench)
  --filter      only benches whose name or file path contains TEXT
  --repeats     timed repetitions per bench (default: the bench's own, else 5)
  --rounds      alternate ours and the peers R times, repeats/R timed runs each per round (default 1):
                a slow spell of a shared machine then lands on both sides instead of one; the load
                average at the start of each round is recorded (table column "load (1 min)")
  --no-peer     skip the NumPy and PyTorch peers
  --out         folder for JSON results (default: tools/bench/results)
Environment: NCLAB_BENCH_PYTHON (default python3), NCLAB_BENCH_TORCH_PYTHON (default: python3, else
/usr/bin/python3, whichever imports torch), NCLAB_BENCH_THREADS (torch peers' threads, default the
core count), NCLAB_BENCH_TMP (input files).`;

/**
 * Parses `argv` (without node and the script).
 * @throws {Error} on an unknown option or a `--repeats`/`--rounds` that is not a positive integer.
 * @example
 * parseCliArgs(['bench', '--filter', 'mnist']); // { targets: ['bench'], filter: 'mnist', ... }
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      filter: { type: 'string' },
      repeats: { type: 'string' },
      rounds: { type: 'string' },
      'no-peer': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  let repeats: number | null = null;
  if (values.repeats !== undefined) {
    repeats = Number(values.repeats);
    if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer, got "${values.repeats}"`);
  }
  let rounds: number | null = null;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got "${values.rounds}"`);
  }
  return {
    targets: positionals.length > 0 ? positionals : ['bench'],
    filter: values.filter ?? null,
    repeats,
    rounds,
    noPeer: values['no-peer'] ?? false,
    out: values.out ?? null,
    help: values.help ?? false,
  };
}
