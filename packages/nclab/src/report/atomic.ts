/**
 * Atomic file writes: content goes to a temporary name in the same directory and is renamed over
 * the target, so a crash or an error never leaves a partial output file behind.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/**
 * Writes `content` to `path` atomically (temp file + rename in the same directory).
 * Creates the parent directory if needed. On failure the temp file is removed and the
 * target is untouched.
 *
 * @param path - destination file.
 * @param content - text (UTF-8) or bytes.
 * @returns the destination path.
 * @example
 * await writeFileAtomic('runs/x/result.json', JSON.stringify(result));
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<string> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return path;
}

/**
 * JSON replacer for results: typed arrays become plain arrays, non-finite numbers become `null`
 * (JSON has no NaN; a metric that is undefined for the data is reported as `null`).
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}

/**
 * Serialises a result to pretty JSON (typed arrays as arrays, non-finite numbers as `null`).
 * Objects are indented; arrays whose items are all numbers, strings, booleans or null stay on one
 * line, so matrices (arrays of rows) take one line per row.
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

/**
 * Writes `value` as pretty JSON to `path` atomically.
 *
 * @param path - destination file.
 * @param value - JSON-like value (typed arrays allowed).
 * @returns the destination path.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<string> {
  return writeFileAtomic(path, toJson(value));
}
