/**
 * Typed errors shared by every nclab package.
 *
 * Message style (stdlib-js): ``invalid argument. `labels` must be integers in [0, K). Value: `12` at index 3.``
 */

/** Base class of every error nclab throws on purpose. `code` is stable for scripts. */
export class NclabError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Invalid input: names the argument, what was expected and what came.
 *
 * @example
 * throw new InvalidArgumentError('bandwidth', 'a positive finite number', -1);
 * // message: invalid argument. `bandwidth` must be a positive finite number. Value: `-1`.
 */
export class InvalidArgumentError extends NclabError {
  readonly argument: string;
  readonly expected: string;
  readonly actual: string;
  constructor(argument: string, expected: string, actual: unknown, detail?: string) {
    const actualText = describeValue(actual);
    super(
      'INVALID_ARGUMENT',
      `invalid argument. \`${argument}\` must be ${expected}. Value: \`${actualText}\`${detail ? ` (${detail})` : ''}.`,
    );
    this.argument = argument;
    this.expected = expected;
    this.actual = actualText;
  }
}

/** A numerical failure: a singular or indefinite system, non-convergence, NaN produced mid-computation. */
export class NumericalError extends NclabError {
  readonly operation: string;
  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super('NUMERICAL_FAILURE', `numerical failure in ${operation}: ${message}`, options);
    this.operation = operation;
  }
}

/**
 * A requested engine or library is not available here; the message says how to get it.
 * `packages` names the npm packages that could not be loaded (e.g. `@tensorflow/tfjs-core`, an optional
 * peer of `@nclab/backend`) when that is the reason, else it is empty.
 *
 * @example
 * try { await initEngine(); } catch (e) {
 *   if (e instanceof EngineUnavailableError && e.packages.length > 0) console.error(`npm install ${e.packages.join(' ')}`);
 * }
 */
export class EngineUnavailableError extends NclabError {
  readonly engine: string;
  readonly packages: readonly string[];
  constructor(engine: string, message: string, options?: { cause?: unknown; packages?: readonly string[] }) {
    super('ENGINE_UNAVAILABLE', message, options);
    this.engine = engine;
    this.packages = options?.packages ?? [];
  }
}

/** Short, bounded text for a value in an error message. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}...` : v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v == null) return String(v);
  if (Array.isArray(v)) return v.length > 8 ? `[${v.slice(0, 8).join(', ')}, ... (${v.length} items)]` : `[${v.join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as { length: number }).length})`;
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}
