/**
 * Near-degenerate class means: when the class means coincide up to round-off, tr Σ_B is round-off
 * and every NC1 value (tr Σ_W / tr Σ_B, its pseudo-inverse form, CDNV) is a huge number that
 * measures float64 noise, not collapse. Exactly equal means are rejected by the metrics; nearly
 * equal ones are reported here with the condition number κ = tr Σ_T / tr Σ_B.
 */

/** κ = tr Σ_T / tr Σ_B above which the class means are indistinguishable from round-off (relative mean separation below 1e-6). */
export const MEAN_CONDITION_LIMIT = 1e12;

/**
 * Warnings for every metrics block of a result (any object with `nc1_between_total` = tr Σ_B /
 * tr Σ_T, at any depth: one per layer for layer-wise results) whose class means nearly coincide.
 *
 * @param result - the `result.json` content of a job.
 * @returns one warning per affected block, naming where it is and κ.
 * @example
 * nearDegenerateMeanWarnings({ nc1_between_total: 1e-31 });
 * // ['class means coincide up to round-off: condition number tr Σ_T / tr Σ_B = 1.0e+31 …']
 */
export function nearDegenerateMeanWarnings(result: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      const o = v as Record<string, unknown>;
      const ratio = o.nc1_between_total;
      if (typeof ratio === 'number' && ratio >= 0 && Number.isFinite(ratio) && ratio * MEAN_CONDITION_LIMIT < 1) {
        const where = typeof o.name === 'string' ? ` (${o.name})` : path ? ` (${path})` : '';
        out.push(`class means coincide up to round-off${where}: condition number tr Σ_T / tr Σ_B = ${(1 / ratio).toExponential(1)} > ${MEAN_CONDITION_LIMIT.toExponential(0)}; the NC1 values measure float64 round-off, not collapse`);
      }
      for (const [k, x] of Object.entries(o)) if (x !== null && typeof x === 'object') walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(result, '');
  return out;
}
