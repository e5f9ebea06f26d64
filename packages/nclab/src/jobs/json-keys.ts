/**
 * The one mapping between the TypeScript API (camelCase result types) and the keys of
 * `result.json` (snake_case, unchanged since the first release). Jobs apply it at their boundary,
 * when a report turns a library result into the document written to disk.
 */

/**
 * Keys whose `result.json` spelling is not the rule's output: British spellings fixed in files
 * before the API settled on American ones, one-letter words followed by a capital (`nc2WEtf`,
 * where the rule gives `nc2_wetf`), and keys that were always written in camelCase.
 */
export const LEGACY_JSON_KEYS: Readonly<Record<string, string>> = {
  nfaCorrSqrtCentered: 'nfa_corr_sqrt_centred',
  nfaCorrSqrtDeltaCentered: 'nfa_corr_sqrt_delta_centred',
  nfaCorrCentered: 'nfa_corr_centred',
  nc3Uncentered: 'nc3_uncentred',
  nc3Centered: 'nc3_centred',
  sigmaBEigenvalues: 'sigma_b_eigenvalues',
  nc2WEtf: 'nc2_w_etf',
  nc2WEtfGram: 'nc2_w_etf_gram',
  nc2WOrthogonalFrame: 'nc2_w_orthogonal_frame',
  nc2WEquinorm: 'nc2_w_equinorm',
  nc2WEquiangular: 'nc2_w_equiangular',
  nc2WMaxAngleDeg: 'nc2_w_max_angle_deg',
  etfDeviation: 'etfDeviation',
  classIds: 'classIds',
};

/**
 * One key: the legacy table first, else `_` before each capital that follows a lower-case letter
 * or digit, then lower case (`nc1PinvIn` → `nc1_pinv_in`, `numClasses` → `num_classes`). Keys
 * without such a capital (`K`, `n_train`, `nc1`) stay as they are.
 *
 * @param key - a camelCase key.
 * @returns the `result.json` key.
 * @example
 * jsonKey('gramEtfDevOut'); // 'gram_etf_dev_out'
 */
export function jsonKey(key: string): string {
  const legacy = LEGACY_JSON_KEYS[key];
  if (legacy !== undefined) return legacy;
  if (!/[a-z0-9][A-Z]/.test(key)) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Deep copy of `value` with every object key mapped by {@link jsonKey}; arrays are walked, typed
 * arrays and other non-plain values are kept as they are.
 *
 * @param value - a camelCase result (plain objects, arrays, numbers, strings, typed arrays).
 * @returns the same data with `result.json` keys.
 * @example
 * toJsonKeys({ layers: [{ nc1In: 1, trainAcc: 0.9 }] }); // { layers: [{ nc1_in: 1, train_acc: 0.9 }] }
 */
export function toJsonKeys<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map((v) => toJsonKeys(v));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[jsonKey(k)] = toJsonKeys(v);
    return out;
  }
  return value;
}
