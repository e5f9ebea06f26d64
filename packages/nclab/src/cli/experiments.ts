/**
 * Helpers shared by `nclab run` and `nclab sweep`: options objects → argv, dotted-path lookup in
 * results, and an in-memory text sink.
 */
import { Writable } from 'node:stream';
import { UsageError } from './errors.js';

/** camelCase or kebab-case key → kebab-case flag name (`perClass` → `per-class`). */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `-${c.toLowerCase()}`)).replace(/^-/, '');
}

/**
 * Turns an options object into command-line flags: `true` → `--flag`, `false`/`null` → omitted,
 * arrays → the flag repeated, everything else → `--flag value`.
 *
 * @param options - e.g. `{ perClass: 100, png: true, d: [6, 5] }`.
 * @returns e.g. `['--per-class', '100', '--png', '--d', '6', '--d', '5']`.
 * @throws {UsageError} for nested objects (flags are flat).
 */
export function optionsToArgv(command: string, options: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    // single upper-case keys (`K`) are flag names as written
    const flag = /^[A-Z]$/.test(key) ? key : kebabCase(key);
    if (value === false || value === null || value === undefined) continue;
    if (value === true) out.push(`--${flag}`);
    else if (Array.isArray(value)) for (const item of value) out.push(`--${flag}`, String(item));
    else if (typeof value === 'object') throw new UsageError(command, `option \`${key}\` must be a number, string, boolean or array, not an object`);
    else out.push(`--${flag}`, String(value));
  }
  return out;
}

/**
 * Reads a value at a dotted path; numeric segments index arrays, negative ones from the end, and
 * `length` gives an array's length (`layers.-1.nc1_in`, `final.test_acc`, `layers.0.outliers.length`).
 *
 * @param obj - a parsed result.json.
 * @param path - dotted path.
 * @returns the value, or undefined when the path does not exist.
 */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) {
      if (seg === 'length') cur = cur.length;
      else if (/^-?\d+$/.test(seg)) {
        const i = Number(seg);
        cur = cur[i < 0 ? cur.length + i : i];
      } else return undefined;
    } else if (typeof cur === 'object') cur = (cur as Record<string, unknown>)[seg];
    else return undefined;
  }
  return cur;
}

/** A writable stream that keeps what was written. */
export class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}
