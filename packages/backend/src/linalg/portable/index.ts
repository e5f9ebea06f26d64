import type { LinalgImpl } from '../types.js';
import { choleskyInPlacePortable, choleskyPortable, choleskySolvePortable, scholeskyInPlacePortable, scholeskySolvePortable } from './cholesky.js';
import { eighPortable } from './eigh.js';
import { solvePortable } from './lu.js';
import { gemmPortable, sgemmPortable, ssyrkPortable, syrkPortable } from './products.js';
import { svdPortable } from './svd.js';

/** The typed-array implementation: runs everywhere (Node, browsers), no native code. */
export const portableLinalg: LinalgImpl = {
  path: 'portable',
  library: 'nclab portable (TypeScript, typed arrays)',
  gemm: gemmPortable,
  sgemm: sgemmPortable,
  syrk: syrkPortable,
  ssyrk: ssyrkPortable,
  cholesky: choleskyPortable,
  choleskyInPlace: choleskyInPlacePortable,
  choleskySolve: choleskySolvePortable,
  scholeskyInPlace: scholeskyInPlacePortable,
  scholeskySolve: scholeskySolvePortable,
  solve: solvePortable,
  eigh: eighPortable,
  svd: svdPortable,
  singularValues: (a) => svdPortable(a).s,
};
