/**
 * The one JSON layout of nclab's output files: typed arrays become arrays, non-finite numbers
 * `null` (JSON has no NaN; a metric undefined for the data is reported as `null`), objects are
 * indented and arrays of scalars stay on one line (a matrix takes one line per row).
 */

/**
 * JSON replacer for results: typed arrays become plain arrays, non-finite numbers `null`, bigints
 * numbers, maps objects.
 *
 * @param _key - the property name (unused).
 * @param value - the value being serialised.
 * @returns the JSON-ready value.
 * @example
 * JSON.stringify({ a: new Float64Array([1, NaN]) }, jsonReplacer); // '{"a":[1,null]}'
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}

/**
 * Serialises a result to pretty JSON (see the module comment for the layout).
 *
 * @param value - any JSON-like value.
 * @returns JSON text ending in a newline.
 * @example
 * toJson({ a: [1, NaN], b: { c: 'x' } }); // '{\n  "a": [1,null],\n  "b": {\n    "c": "x"\n  }\n}\n'
 */
export function toJson(value: unknown): string {
  // normalise once through the replacer, then lay out
  const plain = JSON.parse(JSON.stringify(value, jsonReplacer) ?? 'null') as unknown;
  return `${layout(plain, '')}\n`;
}

function layout(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
    const inner = indent + '  ';
    return `[\n${v.map((x) => inner + layout(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${layout(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}
