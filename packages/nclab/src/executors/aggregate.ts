/**
 * Multi-seed reduction (`nclab sweep --aggregate seed`): the runs that differ only in one axis are
 * grouped, and every tabulated value is summarised by its mean, its sample standard deviation and
 * the number of runs that had it.
 */

/** Mean, sample standard deviation (n − 1 divisor) and count of one value over a group. */
export interface Stat {
  mean: number | null;
  /** Sample standard deviation √(Σ(x − x̄)²/(n − 1)); null for n < 2. */
  sd: number | null;
  count: number;
}

/**
 * Mean and sample standard deviation of the finite numbers among `values` (others are skipped).
 *
 * x̄ = Σx/n, s = √(Σ(x − x̄)²/(n − 1)) (two-pass, so no cancellation); s is null for n < 2 and the
 * mean is null for n = 0.
 * @param values - raw values (non-numbers and non-finite numbers are ignored).
 * @returns `{ mean, sd, count }`.
 * @example
 * meanSd([1, 2, 3, 4]); // { mean: 2.5, sd: 1.2909944487358056, count: 4 }
 */
export function meanSd(values: readonly unknown[]): Stat {
  const x = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = x.length;
  if (n === 0) return { mean: null, sd: null, count: 0 };
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  if (n < 2) return { mean, sd: null, count: n };
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (n - 1)), count: n };
}

/** One row of the aggregate table: the remaining grid values, the group's runs and one stat per path. */
export interface AggregateRow {
  /** Remaining axis → value. */
  point: Record<string, string>;
  /** Run numbers in the group. */
  runs: number[];
  /** Dotted result path → stat over the group's ok runs. */
  values: Record<string, Stat>;
}

/**
 * Reduces sweep rows over one axis.
 * @param rows - per-run rows: `run`, the grid flags, the summary paths and `status`.
 * @param axes - grid flags in order (the aggregate axis among them).
 * @param axis - the axis to reduce over.
 * @param paths - summary paths to reduce.
 * @returns one row per combination of the other axes, in first-appearance (grid) order; only runs
 *   with status `ok` contribute.
 */
export function aggregateRows(rows: readonly Record<string, unknown>[], axes: readonly string[], axis: string, paths: readonly string[]): AggregateRow[] {
  const rest = axes.filter((a) => a !== axis);
  const groups = new Map<string, { point: Record<string, string>; rows: Record<string, unknown>[] }>();
  for (const r of rows) {
    const point = Object.fromEntries(rest.map((a) => [a, String(r[a])]));
    const key = JSON.stringify(point);
    const g = groups.get(key) ?? { point, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const ok = g.rows.filter((r) => r.status === 'ok');
    return {
      point: g.point,
      runs: g.rows.map((r) => Number(r.run)),
      values: Object.fromEntries(paths.map((p) => [p, meanSd(ok.map((r) => r[p]))])),
    };
  });
}
