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

/** `87.1` GFLOP/s of a median, or `—`. */
function gflops(flops: number | null, seconds: number | null): string {
  return flops !== null && seconds !== null && seconds > 0 ? (flops / seconds / 1e9).toPrecision(3) : '—';
}

/** True when any result declares its flops (the table then shows GFLOP/s columns). */
const hasFlops = (results: readonly BenchResult[]): boolean => results.some((r) => r.flops !== null);

/** True when any result has a PyTorch peer (the table then shows its two columns). */
const hasTorch = (results: readonly BenchResult[]): boolean => results.some((r) => r.torch.status !== 'none');

/** One text cell per column for a result (`withTorch`: include the PyTorch median and ratio). */
export function tableRow(r: BenchResult, withTorch = false, withFlops = false): string[] {
  const head = [r.name, r.ours ? formatSeconds(r.ours.median_s) : '—', peerCell(r.peer), formatRatio(r.ratio), formatRatio(r.cpuRatio)];
  const rate = withFlops
    ? [gflops(r.flops, r.ours?.median_s ?? null), gflops(r.flops, r.peer.status === 'ok' ? r.peer.median_s : null)]
    : [];
  const torch = withTorch ? [peerCell(r.torch), formatRatio(r.torchRatio)] : [];
  return [...head, ...rate, ...torch, loadCell(r), checkCell(r)];
}

/**
 * A plain-text table: name, ours (median wall time), NumPy peer (median), ratio (ours/peer, wall),
 * CPU ratio (ours/peer on median process CPU time, when the peer reports it), then, when any bench
 * declares `flops`, GFLOP/s of ours and NumPy, when any bench has a PyTorch peer, its median and
 * ratio, and last the 1-minute load range over the rounds and the check.
 * @example
 * formatTable([result]);
 * // name | ours | numpy | ratio | cpu ratio | load | check
 * // datasets:mnist-subset | 41.2 ms | 20.3 ms | 2.03× | 1.90× | 1.1–1.4 | ok: …
 */
export function formatTable(results: readonly BenchResult[]): string {
  const withTorch = hasTorch(results);
  const withFlops = hasFlops(results);
  const header = [
    'name', 'ours (median)', 'numpy (median)', 'ratio ours/numpy', 'cpu ratio',
    ...(withFlops ? ['GFLOP/s ours', 'GFLOP/s numpy'] : []),
    ...(withTorch ? ['torch (median)', 'ratio ours/torch'] : []),
    'load (1 min)', 'check',
  ];
  const rows = [header, ...results.map((r) => tableRow(r, withTorch, withFlops))];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]))).join(' | ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}
