import { getLinalgImpl, InvalidArgumentError, type LinalgPath } from '../src/index.js';

const ALL: readonly LinalgPath[] = ['portable', 'native', 'cuda'];

/**
 * The float64 linear-algebra paths available on this machine, for `describe.each(linalgPaths())`:
 * `portable` always; `native` where the addon and OpenBLAS/LAPACK load; `cuda` where a GPU with
 * cuBLAS/cuSOLVER loads. Env `NCLAB_TEST_LINALG` (comma-separated, e.g. `cuda`) restricts the list to
 * those paths, and then every named path must be available (a GPU run that silently tests nothing
 * would pass): tools/gpu/smoke.sh runs the contract tests with `NCLAB_TEST_LINALG=cuda`.
 * @throws {InvalidArgumentError} when `NCLAB_TEST_LINALG` names an unknown or unavailable path.
 */
export function linalgPaths(): LinalgPath[] {
  const wanted = process.env.NCLAB_TEST_LINALG;
  if (!wanted) return ALL.filter((p) => getLinalgImpl(p) !== null);
  const names = wanted.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!ALL.includes(n as LinalgPath)) throw new InvalidArgumentError('NCLAB_TEST_LINALG', `paths among ${ALL.join(', ')}`, n);
    if (getLinalgImpl(n as LinalgPath) === null) throw new InvalidArgumentError('NCLAB_TEST_LINALG', 'paths available on this machine', n);
  }
  return names as LinalgPath[];
}
