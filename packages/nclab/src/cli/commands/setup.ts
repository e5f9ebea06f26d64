/**
 * `nclab setup native`: builds the native addons of @nclab/backend now (the C compiler, into the
 * per-user cache folder; `native/build.mjs`): the BLAS/LAPACK addon, the native path's fallback loader
 * (the default loader, koffi's FFI, needs no build), and the CUDA addon of the cuda path. It then says
 * which float64 path, loader and BLAS/LAPACK library the next run will use. No package install script
 * does this: npm 11, pnpm and bun flag or block those.
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
    summary: 'build the native addons now: the fallback BLAS/LAPACK loader and the CUDA addon (`nclab setup native`)',
    usage: 'setup native [--force] [--json [OUT]]',
    description:
      'The native float64 path needs no build: it binds BLAS/LAPACK through koffi (an FFI with prebuilt\n' +
      'binaries, an optional dependency). This compiles @nclab/backend\'s N-API addons with the C compiler\n' +
      '(`$CC`, else `cc`) into the user cache ($NCLAB_NATIVE_DIR, else\n' +
      '$XDG_CACHE_HOME/nclab/native/<version>-<hash>-<platform>-<arch>-abi<N>/): the BLAS/LAPACK addon, the\n' +
      'fallback where koffi is missing (nclab otherwise builds it on first use there;\n' +
      'NCLAB_NATIVE_LOADER=addon forces it), and the CUDA addon of the cuda path. It then reports the path,\n' +
      'loader and BLAS/LAPACK library the next run uses (OpenBLAS, reference BLAS/LAPACK, Accelerate on\n' +
      'macOS, or $NCLAB_BLAS_LIBRARY). Without a library nclab uses the portable path; `nclab info` says why.',
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
