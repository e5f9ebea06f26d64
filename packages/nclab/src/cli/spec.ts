/**
 * A small declarative layer over `node:util` `parseArgs`: each command declares its flags once;
 * the same declaration drives parsing, value validation (exit code 2 on bad values) and `--help`.
 */
import { parseArgs } from 'node:util';
import { LINALG_REQUESTS } from '@nclab/backend';
import { UsageError } from './errors.js';

/** Value kinds a flag can take. `number`/`integer` flags are parsed and range-checked. */
export type OptionKind = 'string' | 'boolean' | 'number' | 'integer';

/** Declaration of one command-line flag. */
export interface OptionSpec {
  /** Flag name without dashes, kebab-case (`per-class`); the key of the parsed value. */
  name: string;
  /**
   * The lower-case word spelling shown in help (`num-classes` for `name: 'K'`); `--name` stays
   * accepted as a hidden alias, and the parsed value keeps `name`'s key.
   */
  word?: string;
  kind: OptionKind;
  /** One line for `--help`. */
  description: string;
  /** Placeholder shown in `--help` (`N`, `FILE`). */
  valueName?: string;
  /** Default value applied when the flag is absent. */
  default?: string | number | boolean;
  /** Missing flag is a usage error. */
  required?: boolean;
  /** Allowed values for `string` flags. */
  choices?: readonly string[];
  /** Inclusive lower bound for numeric flags. */
  min?: number;
  /** Exclusive lower bound for numeric flags (`> 0`). */
  greaterThan?: number;
  /** Inclusive upper bound for numeric flags. */
  max?: number;
  /** Flag may be repeated or given as a comma list; the value becomes an array. */
  multiple?: boolean;
  /** With `multiple`: keep commas inside each value (`--grid depth=4,8`) instead of splitting. */
  keepCommas?: boolean;
}

/** Declaration of one command: its flags, positionals and help text. */
export interface CommandSpec {
  name: string;
  /** One-line summary for the command list. */
  summary: string;
  /** Usage line after `nclab ` (e.g. `metrics --features F --labels L [options]`). */
  usage: string;
  /** Longer description paragraphs for `--help`. */
  description?: string;
  options: readonly OptionSpec[];
  /** Names of positional arguments (documented in `usage`); extra positionals are an error. */
  positionals?: readonly { name: string; required: boolean; description: string }[];
  examples?: readonly string[];
}

/** kebab-case → camelCase at the type level (`per-class` → `perClass`). */
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

type ScalarOf<O> = O extends { kind: 'boolean' }
  ? boolean
  : O extends { kind: 'number' | 'integer' }
    ? number
    : O extends { choices: readonly (infer C extends string)[] }
      ? C
      : string;
type ValueOf<O> = O extends { multiple: true } ? ScalarOf<O>[] : ScalarOf<O>;
type AlwaysSet<O> = O extends { default: string | number | boolean } ? true : O extends { required: true } ? true : false;

/**
 * The parsed values of a list of flag declarations, keyed by camelCase name: a `number`/`integer`
 * flag gives a number, a `boolean` flag a boolean, a string flag with `choices` the union of its
 * choices, `multiple` an array; `undefined` is possible unless the flag has a default or is required.
 *
 * @example
 * type V = FlagValues<readonly [{ name: 'per-class'; kind: 'integer'; required: true; description: '' }]>; // { perClass: number }
 */
export type FlagValues<Opts extends readonly OptionSpec[]> = {
  -readonly [O in Opts[number] as CamelCase<O['name']>]: AlwaysSet<O> extends true ? ValueOf<O> : ValueOf<O> | undefined;
};

/** Values of the {@link GLOBAL_OPTIONS} every command has. */
export type GlobalValues = FlagValues<typeof GLOBAL_OPTIONS>;

/** Parsed flag values (camelCase keys) and positionals. */
export interface ParsedArgs {
  values: Record<string, string | number | boolean | (string | number)[] | undefined>;
  positionals: string[];
  /** Flags given explicitly on the command line (kebab-case), to tell defaults from choices. */
  given: Set<string>;
}

/** Flags every command understands. */
export const GLOBAL_OPTIONS = [
  { name: 'help', kind: 'boolean', description: 'show this help and exit' },
  {
    name: 'json',
    kind: 'string',
    valueName: 'OUT',
    description: 'write the machine-readable result as JSON to OUT (`-` or no value: stdout; progress stays on stderr)',
  },
  {
    name: 'engine',
    kind: 'string',
    valueName: 'NAME',
    choices: ['auto', 'wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'],
    description: 'tfjs engine (default: $NCLAB_ENGINE, else auto)',
  },
  {
    name: 'linalg',
    kind: 'string',
    valueName: 'PATH',
    choices: LINALG_REQUESTS,
    description: 'float64 linear-algebra path: auto (cuda, else native, else portable), native (BLAS/LAPACK), portable or cuda (cuBLAS/cuSOLVER on an NVIDIA GPU) (default: $NCLAB_LINALG, else auto)',
  },
  { name: 'quiet', kind: 'boolean', description: 'no progress output on stderr' },
  {
    name: 'allow-nonfinite',
    kind: 'boolean',
    description: 'write a result with non-finite numbers (as null, each explained in `warnings`) instead of failing with exit 1',
  },
] as const satisfies readonly OptionSpec[];

/** kebab-case → camelCase (`per-class` → `perClass`). */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Rewrites two forms `parseArgs` cannot take:
 * - `--json` takes an optional value: a bare `--json` (last, or followed by another flag) means
 *   stdout and becomes `--json=-`;
 * - a value flag followed by a negative number (`--ridge -1`) becomes `--ridge=-1`, so the value
 *   reaches validation (and gets a clear message) instead of being taken for a flag.
 *
 * @param argv - raw arguments.
 * @param valueFlags - names of flags that take a value (without dashes).
 * @returns the rewritten arguments.
 */
export function normaliseArgv(argv: readonly string[], valueFlags: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a === '--json' && (next === undefined || (next.startsWith('-') && next !== '-'))) {
      out.push('--json=-');
      continue;
    }
    if (a.startsWith('--') && valueFlags.has(a.slice(2)) && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The spelling of a flag shown in help and messages: its {@link OptionSpec.word}, else its name. */
export function flagName(o: OptionSpec): string {
  return o.word ?? o.name;
}

/** Levenshtein distance (insert, delete, substitute; case differences cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `input` by {@link editDistance} (case-insensitive), when close enough to be
 * a typo: distance ≤ max(1, ⌊len/3⌋), or `input` is a prefix of exactly one candidate.
 * @example
 * closest('per-clas', ['per-class', 'depth']); // 'per-class'
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  if (best !== undefined && bestD <= Math.max(1, Math.floor(input.length / 3))) return best;
  const prefixed = candidates.filter((c) => lower.length >= 2 && c.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function describeExpectation(o: OptionSpec): string {
  const parts: string[] = [o.kind === 'integer' ? 'an integer' : 'a number'];
  if (o.greaterThan !== undefined) parts.push(`> ${o.greaterThan}`);
  if (o.min !== undefined) parts.push(`≥ ${o.min}`);
  if (o.max !== undefined) parts.push(`≤ ${o.max}`);
  return parts.join(' ');
}

function convertOne(command: string, o: OptionSpec, raw: string): string | number {
  if (o.kind === 'number' || o.kind === 'integer') {
    const v = raw.trim() === '' ? NaN : Number(raw);
    const bad =
      !Number.isFinite(v) ||
      (o.kind === 'integer' && !Number.isInteger(v)) ||
      (o.greaterThan !== undefined && !(v > o.greaterThan)) ||
      (o.min !== undefined && v < o.min) ||
      (o.max !== undefined && v > o.max);
    if (bad) throw new UsageError(command, `\`--${flagName(o)}\` must be ${describeExpectation(o)}, got \`${raw}\``);
    return v;
  }
  if (o.choices && !o.choices.includes(raw)) {
    throw new UsageError(command, `\`--${flagName(o)}\` must be one of ${o.choices.join(', ')}, got \`${raw}\``);
  }
  return raw;
}

/**
 * Parses `argv` (the arguments after the command name) against a command's flags plus
 * {@link GLOBAL_OPTIONS}.
 *
 * @param spec - the command declaration.
 * @param argv - raw arguments.
 * @returns values keyed by camelCase flag name (defaults applied), positionals, and the set of flags given.
 * @throws {UsageError} unknown flag, missing value, bad number, value outside `choices`, missing required flag, extra positional.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all: readonly OptionSpec[] = [...spec.options, ...GLOBAL_OPTIONS];
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const o of all) config[o.name] = { type: o.kind === 'boolean' ? 'boolean' : 'string', ...(o.multiple ? { multiple: true } : {}) };
  // word spellings (`--num-classes`) map onto the declared names (`--K`), which stay accepted
  const words = new Map(all.filter((o) => o.word !== undefined).map((o) => [o.word as string, o.name]));
  const spelled = argv.map((a) => {
    const m = /^--([^=]+)(=.*)?$/s.exec(a);
    const name = m ? words.get(m[1]) : undefined;
    return name !== undefined ? `--${name}${m?.[2] ?? ''}` : a;
  });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const valueFlags = new Set(all.filter((o) => o.kind !== 'boolean').map((o) => o.name));
    parsed = parseArgs({ args: normaliseArgv(spelled, valueFlags), options: config, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\. To specify a positional argument.*$/s, '').trim();
    const unknown = /^Unknown option '--([^']+)'/.exec(msg)?.[1];
    const guess = unknown === undefined ? undefined : closest(unknown, all.map(flagName));
    throw new UsageError(spec.name, guess === undefined ? msg : `${msg}; did you mean \`--${guess}\`?`);
  }
  const values: ParsedArgs['values'] = {};
  const given = new Set<string>();
  const help = parsed.values.help === true;
  for (const o of all) {
    const raw = parsed.values[o.name];
    const key = camelCase(o.name);
    if (raw === undefined) {
      if (o.required && !help) throw new UsageError(spec.name, `missing required flag \`--${flagName(o)}\``);
      values[key] = o.default;
      continue;
    }
    given.add(o.name);
    if (typeof raw === 'boolean') {
      values[key] = raw;
    } else if (Array.isArray(raw)) {
      const items = (raw as (string | boolean)[]).flatMap((r) => (o.keepCommas ? [String(r)] : String(r).split(','))).filter((s) => s !== '');
      values[key] = items.map((r) => convertOne(spec.name, o, r));
    } else {
      values[key] = convertOne(spec.name, o, raw);
    }
  }
  const declared = spec.positionals ?? [];
  if (!help) {
    if (parsed.positionals.length > declared.length) {
      throw new UsageError(spec.name, `unexpected argument \`${parsed.positionals[declared.length]}\``);
    }
    const missing = declared.slice(parsed.positionals.length).find((p) => p.required);
    if (missing) throw new UsageError(spec.name, `missing argument ${missing.name}`);
  }
  return { values, positionals: parsed.positionals, given };
}

function optionLine(o: OptionSpec): [string, string] {
  const value = o.kind === 'boolean' ? '' : ` ${o.valueName ?? (o.kind === 'string' ? 'VALUE' : 'N')}`;
  const flag = `--${flagName(o)}${value}`;
  const notes: string[] = [];
  if (o.choices && o.name !== 'engine' && o.name !== 'linalg') notes.push(o.choices.join('|'));
  if (o.required) notes.push('required');
  if (o.default !== undefined && o.kind !== 'boolean') notes.push(`default ${String(o.default)}`);
  return [flag, notes.length ? `${o.description} (${notes.join('; ')})` : o.description];
}

/**
 * Renders the `--help` text of a command from its declaration.
 *
 * @param spec - the command declaration.
 * @returns multi-line help text ending in a newline.
 */
export function formatCommandHelp(spec: CommandSpec): string {
  const lines: string[] = [`nclab ${spec.name}: ${spec.summary}`, '', `Usage: nclab ${spec.usage}`];
  if (spec.description) lines.push('', ...spec.description.split('\n'));
  const table = (rows: [string, string][]) => {
    const w = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
    return rows.map(([a, b]) => `  ${a.padEnd(w)}${a.length >= w ? `\n  ${' '.repeat(w)}` : ''}${b}`);
  };
  if (spec.positionals?.length) {
    lines.push('', 'Arguments:', ...table(spec.positionals.map((p) => [p.name, p.description])));
  }
  if (spec.options.length) lines.push('', 'Options:', ...table(spec.options.map(optionLine)));
  lines.push('', 'Global options:', ...table(GLOBAL_OPTIONS.map(optionLine)));
  lines.push('', 'Exit codes: 0 ok, 1 runtime or numerical failure, 2 usage error or invalid input.');
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}
