/** The results table printed by `nclab-bench`. */
import type { BenchResult, PeerResult } from './runner.js';
import { formatRatio, formatSeconds } from './stats.js';

function peerCell(p: PeerResult): string {
  if (p.status === 'ok') return formatSeconds(p.median_s);
  if (p.status === 'skipped') return `peer skipped (${p.reason})`;
  if (p.status === 'failed') return 'peer FAILED';
  return '—';
}

/** `1.2–3.4`: the lowest and highest 1-minute load average over a result's rounds (`—` without rounds). */
export function loadCell(r: BenchResult): string {
  if (r.rounds.length === 0) return '—';
  const ones = r.rounds.map((x) => x.loadavg[0]);
  const lo = Math.min(...ones).toFixed(1);
  const hi = Math.max(...ones).toFixed(1);
  return lo === hi ? lo : `${lo}–${hi}`;
}

function checkCell(r: BenchResult): string {
  if (r.error) return `ERROR: ${r.error}`;
  const parts: string[] = [];
  if (r.check) parts.push(`${r.check.ok ? 'ok' : 'MISMATCH'}: ${r.check.detail}`);
  if (r.torchCheck) parts.push(`torch ${r.torchCheck.ok ? 'ok' : 'MISMATCH'}: ${r.torchCheck.detail}`);
  return parts.join('; ');
}

/** True when any result has a PyTorch peer (the table then shows its two columns). */
const hasTorch = (results: readonly BenchResult[]): boolean => results.some((r) => r.torch.status !== 'none');

/** One text cell per column for a result (`withTorch`: include the PyTorch median and ratio). */
export function tableRow(r: BenchResult, withTorch = false): string[] {
  const head = [r.name, r.ours ? formatSeconds(r.ours.median_s) : '—', peerCell(r.peer), formatRatio(r.ratio), formatRatio(r.cpuRatio)];
  const torch = withTorch ? [peerCell(r.torch), formatRatio(r.torchRatio)] : [];
  return [...head, ...torch, loadCell(r), checkCell(r)];
}

/**
 * A plain-text table: name, ours (median wall time), NumPy peer (median), ratio (ours/peer, wall),
 * CPU ratio (ours/peer on median process CPU time, when the peer reports it), then, when any bench
 * has a PyTorch peer, its median and ratio, the 1-minute load range over the rounds, and the check.
 * @example
 * formatTable([result]);
 * // name | ours | numpy | ratio | cpu ratio | load | check
 * // datasets:mnist-subset | 41.2 ms | 20.3 ms | 2.03× | 1.90× | 1.1–1.4 | ok: …
 */
export function formatTable(results: readonly BenchResult[]): string {
  const withTorch = hasTorch(results);
  const header = ['name', 'ours (median)', 'numpy (median)', 'ratio ours/numpy', 'cpu ratio', ...(withTorch ? ['torch (median)', 'ratio ours/torch'] : []), 'load (1 min)', 'check'];
  const rows = [header, ...results.map((r) => tableRow(r, withTorch))];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]))).join(' | ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}
