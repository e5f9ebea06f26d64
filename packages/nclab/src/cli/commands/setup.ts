/**
 * `nclab setup native`: builds the optional native linear-algebra addon of @nclab/backend now (the
 * C compiler, into the per-user cache folder; `native/build.mjs`), instead of on first use, and says
 * which float64 path and BLAS/LAPACK library the next run will use. No package install script does
 * this: npm 11, pnpm and bun flag or block those.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { UsageError } from '../errors.js';

/** Runs @nclab/backend's native/build.mjs; returns the exit code and what it printed. */
function buildNative(force: boolean): { status: number; out: string; err: string } {
  const pkg = fileURLToPath(import.meta.resolve('@nclab/backend/package.json'));
  const script = join(dirname(pkg), 'native', 'build.mjs');
  const r = spawnSync(process.execPath, [script, ...(force ? ['--force'] : [])], { encoding: 'utf8' });
  return { status: r.status ?? 1, out: (r.stdout ?? '').trim(), err: (r.stderr ?? r.error?.message ?? '').trim() };
}

export const setupCommand: CliCommand = {
  spec: {
    name: 'setup',
    summary: 'build the native float64 linear-algebra addon now (`nclab setup native`)',
    usage: 'setup native [--force] [--json [OUT]]',
    description:
      'Compiles @nclab/backend\'s N-API addon with the C compiler (`$CC`, else `cc`) into the user cache\n' +
      '($NCLAB_NATIVE_DIR, else $XDG_CACHE_HOME/nclab/native/<version>-<hash>-<platform>-<arch>-abi<N>/),\n' +
      'which nclab otherwise does on first use, then loads it and reports the BLAS/LAPACK library found\n' +
      '(OpenBLAS, reference BLAS/LAPACK, Accelerate on macOS, or $NCLAB_BLAS_LIBRARY). Without a\n' +
      'compiler or library nclab uses the portable path; `nclab info` says why.',
    positionals: [{ name: 'TARGET', required: true, description: '`native` (the only target)' }],
    options: [{ name: 'force', kind: 'boolean', description: 'rebuild even when the addon is already built' }],
    examples: ['nclab setup native', 'nclab setup native --force'],
  },
  async run(ctx) {
    const target = ctx.args.positionals[0];
    if (target !== 'native') throw new UsageError('setup', `unknown target \`${target}\`; the only target is \`native\``);
    const built = buildNative(ctx.args.values.force === true);
    const { getLinalgInfo } = await import('@nclab/backend');
    const info = built.status === 0 ? getLinalgInfo() : undefined;
    const result = { built: built.status === 0, addon: built.status === 0 ? built.out : null, error: built.status === 0 ? null : built.err, linalg: info ?? null };
    if ((await emitJson(ctx, result)) === 'stdout') return built.status === 0 ? 0 : 1;
    if (built.status !== 0) {
      ctx.io.stderr.write(`${built.err}\n`);
      return 1;
    }
    ctx.io.stdout.write(`addon:  ${built.out}\nlinalg: ${info?.path} (${info?.library}): ${info?.reason}\n`);
    return info?.path === 'native' ? 0 : 1;
  },
};
