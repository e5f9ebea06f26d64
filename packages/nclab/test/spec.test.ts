import { describe, expect, it } from 'vitest';
import { UsageError, exitCodeFor, EXIT_FAILURE, EXIT_USAGE } from '../src/cli/errors.js';
import { formatCommandHelp, normaliseArgv, parseCommandArgs, type CommandSpec } from '../src/cli/spec.js';
import { InvalidArgumentError, NumericalError } from '@nclab/backend';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a demo command',
  usage: 'demo --depth N [options]',
  options: [
    { name: 'depth', kind: 'integer', min: 1, required: true, description: 'layers' },
    { name: 'bandwidth', kind: 'number', greaterThan: 0, default: 2, description: 'kernel bandwidth' },
    { name: 'kernel', kind: 'string', choices: ['laplace', 'gaussian'], default: 'laplace', description: 'kernel' },
    { name: 'seeds', kind: 'integer', multiple: true, description: 'seeds' },
    { name: 'png', kind: 'boolean', description: 'write PNGs' },
  ],
};

describe('parseCommandArgs', () => {
  it('converts values, applies defaults and records which flags were given', () => {
    const a = parseCommandArgs(spec, ['--depth', '8', '--kernel=gaussian', '--png']);
    expect(a.values).toMatchObject({ depth: 8, bandwidth: 2, kernel: 'gaussian', png: true });
    expect([...a.given].sort()).toEqual(['depth', 'kernel', 'png']);
  });

  it('accepts repeated and comma-separated values for multiple flags', () => {
    const a = parseCommandArgs(spec, ['--depth', '1', '--seeds', '0,1', '--seeds', '5']);
    expect(a.values.seeds).toEqual([0, 1, 5]);
  });

  it.each([
    [['--depth', '0'], '`--depth` must be an integer ≥ 1, got `0`'],
    [['--depth', '2.5'], '`--depth` must be an integer ≥ 1, got `2.5`'],
    [['--depth', '3', '--bandwidth', '0'], '`--bandwidth` must be a number > 0, got `0`'],
    [['--depth', '3', '--bandwidth', 'abc'], '`--bandwidth` must be a number > 0, got `abc`'],
    [['--depth', '3', '--kernel', 'rbf'], '`--kernel` must be one of laplace, gaussian, got `rbf`'],
    [[], 'missing required flag `--depth`'],
    [['--depth', '3', 'extra'], 'unexpected argument `extra`'],
  ])('rejects %j with a usage error naming the flag', (argv, message) => {
    expect(() => parseCommandArgs(spec, argv)).toThrow(message);
    try {
      parseCommandArgs(spec, argv);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect(exitCodeFor(e)).toBe(EXIT_USAGE);
    }
  });

  it('rejects unknown flags', () => {
    expect(() => parseCommandArgs(spec, ['--depth', '1', '--widht', '3'])).toThrow(/Unknown option '--widht'/);
  });

  it('does not require flags when --help is given', () => {
    expect(parseCommandArgs(spec, ['--help']).values.help).toBe(true);
  });

  it('treats a bare --json as stdout and keeps a file argument', () => {
    expect(normaliseArgv(['--json'])).toEqual(['--json=-']);
    expect(normaliseArgv(['--json', '--depth', '2'])).toEqual(['--json=-', '--depth', '2']);
    expect(normaliseArgv(['--json', 'out.json'])).toEqual(['--json', 'out.json']);
    expect(normaliseArgv(['--json', '-'])).toEqual(['--json', '-']);
    expect(parseCommandArgs(spec, ['--depth', '1', '--json']).values.json).toBe('-');
  });

  it('passes a negative number to a value flag so validation can name it', () => {
    expect(normaliseArgv(['--ridge', '-1', '--png'], new Set(['ridge']))).toEqual(['--ridge=-1', '--png']);
    expect(() => parseCommandArgs(spec, ['--depth', '-2'])).toThrow('`--depth` must be an integer ≥ 1, got `-2`');
  });

  it('checks the global --engine choices', () => {
    expect(() => parseCommandArgs(spec, ['--depth', '1', '--engine', 'cuda'])).toThrow(/`--engine` must be one of auto, wasm, cpu/);
  });
});

describe('formatCommandHelp', () => {
  it('lists every flag with its default, the required ones and the exit codes', () => {
    const help = formatCommandHelp(spec);
    for (const flag of ['--depth N', '--bandwidth N', '--kernel VALUE', '--png', '--json OUT', '--engine NAME', '--quiet', '--help']) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('default 2');
    expect(help).toContain('required');
    expect(help).toContain('laplace|gaussian');
    expect(help).toMatch(/Exit codes: 0 ok, 1 runtime or numerical failure, 2 usage error/);
  });
});

describe('exitCodeFor', () => {
  it('maps bad input to 2 and runtime failures to 1', () => {
    expect(exitCodeFor(new InvalidArgumentError('ridge', 'a non-negative number', -1))).toBe(EXIT_USAGE);
    expect(exitCodeFor(new NumericalError('solve', 'singular'))).toBe(EXIT_FAILURE);
    expect(exitCodeFor(new Error('boom'))).toBe(EXIT_FAILURE);
  });
});
