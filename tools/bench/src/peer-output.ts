/** Parsing what a NumPy peer script prints. */

/** The one JSON line a peer prints on stdout. */
export interface PeerOutput {
  /** Seconds of each timed repetition. */
  times_s: number[];
  /** Anything JSON the peer computed (a checksum, shapes), compared with ours by `compare`. */
  result: unknown;
  /** Optional: process CPU seconds (all threads) of each repetition, `time.process_time()` deltas. */
  cpu_times_s?: number[];
}

/**
 * Finds the peer's JSON line in its stdout: the last line that starts with `{` and parses as an
 * object with a non-empty `times_s` array of non-negative finite numbers (other lines, e.g. logs, are ignored).
 * An optional `cpu_times_s` array (process CPU seconds per repetition) is validated the same way.
 * @throws {Error} naming what was wrong when no such line exists.
 * @example
 * parsePeerOutput('loading\n{"times_s": [0.1, 0.2], "result": 3}\n'); // returns { times_s: [0.1, 0.2], result: 3 }
 */
export function parsePeerOutput(stdout: string): PeerOutput {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('{'));
  if (lines.length === 0) throw new Error(`peer printed no JSON line (stdout: ${JSON.stringify(stdout.slice(-200))})`);
  const line = lines[lines.length - 1];
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    throw new Error(`peer's last JSON line does not parse: ${(e as Error).message} (line: ${JSON.stringify(line.slice(0, 200))})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`peer's JSON line must be an object with "times_s" (line: ${JSON.stringify(line.slice(0, 200))})`);
  }
  const times = (parsed as { times_s?: unknown }).times_s;
  if (!Array.isArray(times) || times.length === 0) {
    throw new Error(`peer's JSON must have a non-empty "times_s" array (got ${JSON.stringify(times)})`);
  }
  for (const t of times) {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new Error(`peer's "times_s" must hold non-negative finite seconds (got ${JSON.stringify(t)})`);
    }
  }
  const out: PeerOutput = { times_s: times as number[], result: (parsed as { result?: unknown }).result ?? null };
  const cpu = (parsed as { cpu_times_s?: unknown }).cpu_times_s;
  if (cpu !== undefined) {
    if (!Array.isArray(cpu) || cpu.length === 0 || cpu.some((t) => typeof t !== 'number' || !Number.isFinite(t) || t < 0)) {
      throw new Error(`peer's "cpu_times_s", when present, must be a non-empty array of non-negative finite seconds (got ${JSON.stringify(cpu)})`);
    }
    out.cpu_times_s = cpu as number[];
  }
  return out;
}
