/** The results table printed by `nclab-bench`. */
import type { BenchResult } from './runner.js';
import { formatRatio, formatSeconds } from './stats.js';

/** One text cell per column for a result. */
export function tableRow(r: BenchResult): string[] {
  let peer: string;
  if (r.peer.status === 'ok') peer = formatSeconds(r.peer.median_s);
  else if (r.peer.status === 'skipped') peer = `peer skipped (${r.peer.reason})`;
  else if (r.peer.status === 'failed') peer = 'peer FAILED';
  else peer = '—';
  const check = r.error ? `ERROR: ${r.error}` : r.check ? `${r.check.ok ? 'ok' : 'MISMATCH'}: ${r.check.detail}` : '';
  return [r.name, r.ours ? formatSeconds(r.ours.median_s) : '—', peer, formatRatio(r.ratio), formatRatio(r.cpuRatio), check];
}

/**
 * A plain-text table: name, ours (median wall time), peer (median), ratio (ours/peer, wall), CPU ratio
 * (ours/peer on median process CPU time, when the peer reports it), check.
 * @example
 * formatTable([result]);
 * // name | ours | numpy | ratio | check
 * // datasets:mnist-subset | 41.2 ms | 20.3 ms | 2.03× | ok: …
 */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = [['name', 'ours (median)', 'numpy (median)', 'ratio ours/numpy', 'cpu ratio', 'check'], ...results.map(tableRow)];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]))).join(' | ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}
