/**
 * The float64/float32 checks of the linear-algebra entry points, as thin wrappers over the one
 * matrix-validation family in `errors/validate.ts` (kept so the linalg callers keep their signature).
 */
import { assertMatrix32 as check32, assertMatrix64, assertSquare } from '../errors/validate.js';
import type { Matrix, Matrix32 } from '../host/matrix.js';

export { assertSquare };

/** Throws unless `m` is a well-formed float64 `Matrix` (finite unless `finite` is false). */
export function assertMatrix(name: string, m: Matrix, finite = true): void {
  assertMatrix64(name, m, { finite });
}

/** Throws unless `m` is a well-formed float32 `Matrix32` (finite unless `finite` is false). */
export function assertMatrix32(name: string, m: Matrix32, finite = true): void {
  check32(name, m, { finite });
}
