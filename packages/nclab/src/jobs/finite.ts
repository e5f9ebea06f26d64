/**
 * The finiteness contract of every job's result: before a result is written or printed, every
 * reported number is finite, or the run fails with a {@link NumericalError} (exit 1) naming the
 * quantity, where it happened (layer, epoch) and the flag to change. With `--allow-nonfinite` the
 * result is kept: each non-finite number is written as `null` and explained in `warnings`.
 */
import { NumericalError } from '@nclab/backend';

/** A non-finite number found in a result. */
export interface NonFiniteValue {
  /** Where it sits, e.g. `layers[2].nc1In`. */
  readonly path: string;
  /** NaN, Infinity or -Infinity. */
  readonly value: number;
}

/** How a job applies the contract. */
export interface FinitenessPolicy {
  /** The job (named in the error). */
  readonly job: string;
  /** `--allow-nonfinite`: keep the result, explained in warnings, instead of failing. */
  readonly allowNonfinite?: boolean;
  /** What to change when a number is not finite (e.g. `'a larger --bandwidth or --ridge'`). */
  readonly hint?: string;
}

const LIMIT = 1000;

function scanTyped(data: ArrayLike<number>, path: string, out: NonFiniteValue[]): void {
  for (let i = 0; i < data.length && out.length < LIMIT; i++) if (!Number.isFinite(data[i])) out.push({ path: `${path}[${i}]`, value: data[i] });
}

/**
 * Every non-finite number in a JSON-like value (objects, arrays, typed arrays), in document order
 * (at most 1000).
 *
 * @param value - the result.
 * @param path - the prefix of reported paths (default `''`).
 * @returns the offending numbers and their paths.
 * @example
 * findNonFinite({ layers: [{ nc1: 1 }, { nc1: NaN }] }); // [{ path: 'layers[1].nc1', value: NaN }]
 */
export function findNonFinite(value: unknown, path = ''): NonFiniteValue[] {
  const out: NonFiniteValue[] = [];
  const walk = (v: unknown, p: string): void => {
    if (out.length >= LIMIT) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push({ path: p, value: v });
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      if (!(v instanceof BigInt64Array || v instanceof BigUint64Array)) scanTyped(v as unknown as ArrayLike<number>, p, out);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${p}[${i}]`));
    } else if (v instanceof Map) {
      for (const [k, x] of v) walk(x, p ? `${p}.${String(k)}` : String(k));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
    }
  };
  walk(value, path);
  return out;
}

/**
 * Where a path points in words: the quantity (its last key) and the layer / epoch / class its
 * indices name (1-based), e.g. `layers[2].nc1In` → `nc1In at layer 3`.
 *
 * @param path - a path of {@link findNonFinite}.
 * @returns the description.
 * @example
 * describePath('history[4].loss'); // 'loss at epoch 5'
 */
export function describePath(path: string): string {
  const keys = [...path.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)];
  const names = keys.filter((k) => k[1] !== undefined).map((k) => k[1]);
  const quantity = names.at(-1) ?? path;
  const where: string[] = [];
  let last = '';
  for (const k of keys) {
    if (k[1] !== undefined) last = k[1];
    else if (k[2] !== undefined && last !== quantity) {
      const n = Number(k[2]) + 1;
      if (/layer/i.test(last)) where.push(`layer ${n}`);
      else if (/epoch|history/i.test(last)) where.push(`epoch ${n}`);
    }
  }
  return where.length ? `${quantity} at ${where.join(', ')}` : quantity;
}

const show = (v: number): string => (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

/**
 * Applies the finiteness contract to a job's result (call it once, before the result is written).
 *
 * @param result - the result (typed arrays allowed).
 * @param policy - the job, `allowNonfinite`, and the flag hint.
 * @returns warnings, one per non-finite number (empty when all are finite); the result is then
 *   written with `null` in their place.
 * @throws {NumericalError} when a number is not finite and `allowNonfinite` is not set; the message
 *   names the quantity and layer/epoch, the hint and `--allow-nonfinite`.
 * @example
 * const warnings = enforceFinite(result, { job: 'deep-rfm', hint: 'a larger --bandwidth or --ridge' });
 */
export function enforceFinite(result: unknown, policy: FinitenessPolicy): string[] {
  const bad = findNonFinite(result);
  if (bad.length === 0) return [];
  const lines = bad.map((b) => `${describePath(b.path)} is ${show(b.value)} (\`${b.path}\`)`);
  if (policy.allowNonfinite) return lines.map((l) => `${l}; written as null (--allow-nonfinite)`);
  const more = bad.length > 3 ? ` and ${bad.length - 3} more` : '';
  throw new NumericalError(
    policy.job,
    `${lines.slice(0, 3).join('; ')}${more}.${policy.hint ? ` Try ${policy.hint}.` : ''} Pass --allow-nonfinite to write the result with nulls and warnings instead.`,
  );
}

/** What to change when a job's numbers are not finite, by command name (used in the error). */
export const FINITE_HINTS: Readonly<Record<string, string>> = {
  'deep-rfm': 'another --bandwidth (neither tiny nor huge), a larger --ridge, a larger --width, or data on a moderate scale',
  metrics: 'features on a moderate scale with distinct class means',
  ufm: 'a smaller --lr, other --lambda-w / --lambda-h, or more --steps',
  'spectra ufm': 'other --lambda-w / --lambda-h, a smaller --lr or --init-scale',
  'spectra density': 'other --lambda-w / --lambda-h, fewer --lanczos-steps',
  'probe mlp': 'a smaller --lr or --init-scale',
  'probe import': 'features on a moderate scale with distinct class means',
};
