/**
 * A fake `nclab_cuda` addon for tests without a GPU: device memory is host memory keyed by BigInt
 * pointers (filled with NaN bytes on allocation, so reading unset memory shows), and the cuBLAS /
 * cuSOLVER routines are column-major reference loops with the C API's argument order, reading only
 * the triangle the real routine reads and writing only what it writes. It checks the TypeScript
 * marshalling (transpose trick, leading dimensions, triangles, info codes, frees), not CUDA itself.
 */
import { getLinalgImpl, type Matrix } from '../src/index.js';
import type { CudaAddon, CudaDriverInfo } from '../src/linalg/cuda/addon.js';
import type { CudaLibraryName } from '../src/linalg/cuda/discovery.js';

export interface FakeCudaOptions {
  /** Files `open` accepts (by full path or bare soname); every other one fails like dlopen. */
  readonly openable?: ReadonlySet<string>;
  /** Driver report, or an Error `initDriver` throws. */
  readonly driver?: CudaDriverInfo | Error;
  /** Whether NVRTC's functions are present. */
  readonly nvrtc?: boolean;
}

export interface FakeCuda extends CudaAddon {
  /** Live allocations. */
  live(): number;
  /** Files opened per slot. */
  readonly opened: Partial<Record<CudaLibraryName, string>>;
  /** Every `open` call's candidate list. */
  readonly tried: Array<{ slot: CudaLibraryName; files: readonly string[] }>;
  /** Launches made: kernel name, grid, block. */
  readonly launches: Array<{ name: string; grid: number; block: number }>;
}

const portable = (): NonNullable<ReturnType<typeof getLinalgImpl>> => getLinalgImpl('portable')!;

export function fakeCuda(options: FakeCudaOptions = {}): FakeCuda {
  const mem = new Map<bigint, ArrayBuffer>();
  let next = 0x10000n;
  const opened: Partial<Record<CudaLibraryName, string>> = {};
  const tried: Array<{ slot: CudaLibraryName; files: readonly string[] }> = [];
  const launches: Array<{ name: string; grid: number; block: number }> = [];
  const fns = new Map<bigint, string>();
  const buf = (p: bigint): ArrayBuffer => {
    const b = mem.get(p);
    if (!b) throw new Error(`fake cuda: ${p} is not a live allocation`);
    return b;
  };
  const f64 = (p: bigint): Float64Array => new Float64Array(buf(p));
  const f32 = (p: bigint): Float32Array => new Float32Array(buf(p));
  const i32 = (p: bigint): Int32Array => new Int32Array(buf(p));
  const arr = (single: boolean, p: bigint): Float64Array | Float32Array => (single ? f32(p) : f64(p));

  // column-major helpers
  const symFrom = (a: Float64Array, n: number, lda: number, upper: boolean): Matrix => {
    const s = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const fromUpper = i <= j ? a[i + j * lda] : a[j + i * lda];
        const fromLower = i >= j ? a[i + j * lda] : a[j + i * lda];
        s[i * n + j] = upper ? fromUpper : fromLower;
      }
    }
    return { rows: n, cols: n, data: s };
  };

  function gemm(single: boolean, tA: number, tB: number, m: number, n: number, k: number, alpha: number, a: bigint, lda: number, b: bigint, ldb: number, beta: number, c: bigint, ldc: number): void {
    const A = arr(single, a), B = arr(single, b), C = arr(single, c);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (tA ? A[p + i * lda] : A[i + p * lda]) * (tB ? B[j + p * ldb] : B[p + j * ldb]);
        C[i + j * ldc] = alpha * s + (beta === 0 ? 0 : beta * C[i + j * ldc]);
      }
    }
  }

  function syrk(single: boolean, upper: number, trans: number, n: number, k: number, alpha: number, a: bigint, lda: number, beta: number, c: bigint, ldc: number): void {
    const A = arr(single, a), C = arr(single, c);
    const at = (i: number, p: number): number => (trans ? A[p + i * lda] : A[i + p * lda]);
    for (let j = 0; j < n; j++) {
      for (let i = upper ? 0 : j; i <= (upper ? j : n - 1); i++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += at(i, p) * at(j, p);
        C[i + j * ldc] = alpha * s + (beta === 0 ? 0 : beta * C[i + j * ldc]);
      }
    }
  }

  const addon: FakeCuda = {
    opened,
    tried,
    launches,
    live: () => mem.size,
    open(slot, files) {
      tried.push({ slot, files });
      const errors: string[] = [];
      for (const f of files) {
        if (options.openable?.has(f)) {
          opened[slot] = f;
          return { file: f, errors };
        }
        errors.push(`${f}: cannot open shared object file: No such file or directory`);
      }
      return { file: null, errors };
    },
    initDriver() {
      const d = options.driver ?? { driverVersion: 13000, deviceCount: 1, name: 'Fake GPU', totalMemory: 2 ** 34, computeCapability: '9.0' };
      if (d instanceof Error) throw d;
      return d;
    },
    initLibraries() {
      return { cublas: 130100, cusolver: 12001, nvrtc: options.nvrtc === false ? 0 : 13000, cudart: 13000 };
    },
    malloc(bytes) {
      const p = next;
      next += BigInt(Math.ceil(bytes / 256) * 256 + 256);
      const b = new ArrayBuffer(bytes);
      new Uint8Array(b).fill(0xff); // NaN in every float
      mem.set(p, b);
      return p;
    },
    free(p) {
      buf(p);
      mem.delete(p);
    },
    upload(p, off, host) {
      new Uint8Array(buf(p), off, host.byteLength).set(new Uint8Array(host.buffer, host.byteOffset, host.byteLength));
    },
    download(p, off, host) {
      new Uint8Array(host.buffer, host.byteOffset, host.byteLength).set(new Uint8Array(buf(p), off, host.byteLength));
    },
    copy(dst, src, bytes) {
      new Uint8Array(buf(dst)).set(new Uint8Array(buf(src), 0, bytes));
    },
    memset0(p, bytes) {
      new Uint8Array(buf(p), 0, bytes).fill(0);
    },
    memInfo: () => [2 ** 33, 2 ** 34],
    synchronize() {},
    setMathMode() {},
    dgemm: (...args) => gemm(false, ...args),
    sgemm: (...args) => gemm(true, ...args),
    dsyrk: (...args) => syrk(false, ...args),
    ssyrk: (...args) => syrk(true, ...args),
    dcopy(n, x, incx, y, incy) {
      const X = f64(x), Y = f64(y);
      for (let i = 0; i < n; i++) Y[i * incy] = X[i * incx];
    },
    dpotrf(upper, n, a, lda) {
      const A = f64(a);
      const s = symFrom(A, n, lda, upper === 1);
      const l = new Float64Array(n * n); // row-major lower factor
      for (let j = 0; j < n; j++) {
        let d = s.data[j * n + j];
        for (let p = 0; p < j; p++) d -= l[j * n + p] ** 2;
        if (!(d > 0)) return j + 1;
        l[j * n + j] = Math.sqrt(d);
        for (let i = j + 1; i < n; i++) {
          let v = s.data[i * n + j];
          for (let p = 0; p < j; p++) v -= l[i * n + p] * l[j * n + p];
          l[i * n + j] = v / l[j * n + j];
        }
      }
      // upper: U = Lᵀ in the upper triangle; lower: L in the lower triangle (column-major).
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        if (upper && i <= j) A[i + j * lda] = l[j * n + i];
        if (!upper && i >= j) A[i + j * lda] = l[i * n + j];
      }
      return 0;
    },
    dpotrs(upper, n, nrhs, a, lda, b, ldb) {
      const A = f64(a), B = f64(b);
      const L = (i: number, j: number): number => (upper ? A[j + i * lda] : A[i + j * lda]); // L(i, j), i ≥ j
      for (let c = 0; c < nrhs; c++) {
        const x = B.subarray(c * ldb, c * ldb + n);
        for (let i = 0; i < n; i++) { let v = x[i]; for (let p = 0; p < i; p++) v -= L(i, p) * x[p]; x[i] = v / L(i, i); }
        for (let i = n - 1; i >= 0; i--) { let v = x[i]; for (let p = i + 1; p < n; p++) v -= L(p, i) * x[p]; x[i] = v / L(i, i); }
      }
      return 0;
    },
    dgetrf(n, a, lda, ipiv) {
      const A = f64(a), P = i32(ipiv);
      let info = 0;
      for (let k = 0; k < n; k++) {
        let piv = k;
        for (let i = k + 1; i < n; i++) if (Math.abs(A[i + k * lda]) > Math.abs(A[piv + k * lda])) piv = i;
        P[k] = piv + 1;
        if (piv !== k) for (let j = 0; j < n; j++) { const t = A[k + j * lda]; A[k + j * lda] = A[piv + j * lda]; A[piv + j * lda] = t; }
        const d = A[k + k * lda];
        if (d === 0) { if (info === 0) info = k + 1; continue; }
        for (let i = k + 1; i < n; i++) {
          const f = (A[i + k * lda] /= d);
          for (let j = k + 1; j < n; j++) A[i + j * lda] -= f * A[k + j * lda];
        }
      }
      return info;
    },
    dgetrs(n, nrhs, a, lda, ipiv, b, ldb) {
      const A = f64(a), P = i32(ipiv), B = f64(b);
      for (let c = 0; c < nrhs; c++) {
        const x = B.subarray(c * ldb, c * ldb + n);
        for (let k = 0; k < n; k++) { const p = P[k] - 1; if (p !== k) { const t = x[k]; x[k] = x[p]; x[p] = t; } }
        for (let i = 0; i < n; i++) for (let p = 0; p < i; p++) x[i] -= A[i + p * lda] * x[p];
        for (let i = n - 1; i >= 0; i--) { for (let p = i + 1; p < n; p++) x[i] -= A[i + p * lda] * x[p]; x[i] /= A[i + i * lda]; }
      }
      return 0;
    },
    dsyevd(upper, n, a, lda, w) {
      const A = f64(a), W = f64(w);
      const e = portable().eigh(symFrom(A, n, lda, upper === 1));
      W.set(e.values);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) A[i + j * lda] = e.vectors.data[i * n + j];
      return 0;
    },
    dgesvd(m, n, a, lda, s, u, ldu, vt, ldvt) {
      if (m < n) throw Object.assign(new Error('nclab_cuda: cusolverDnDgesvd failed: cuSOLVER status 3'), { code: 'CUDA_LIBRARY' });
      const A = f64(a), S = f64(s), U = f64(u), VT = f64(vt);
      const rm = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) rm[i * n + j] = A[i + j * lda];
      const r = portable().svd({ rows: m, cols: n, data: rm });
      const k = n;
      S.set(r.s);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) U[i + j * ldu] = r.u.data[i * k + j];
      for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) VT[i + j * ldvt] = r.vt.data[i * n + j];
      A.fill(Number.NaN); // gesvd destroys A
      return 0;
    },
    compile(source, name) {
      if (options.nvrtc === false) throw new Error('nvrtc not loaded');
      if (!source.includes(name.replace(/_(f64|f32)$/, ''))) throw new Error(`fake cuda: no kernel ${name}`);
      const h = BigInt(fns.size + 1) * 0x100n;
      fns.set(h, name);
      return h;
    },
    launch(fn, gridX, gridY, blockX, blockY, signature, args) {
      const name = fns.get(fn);
      if (!name) throw new Error('fake cuda: unknown function');
      if (signature.length !== args.length) throw new Error('fake cuda: signature/arguments mismatch');
      launches.push({ name, grid: gridX * gridY, block: blockX * blockY });
      const single = name.endsWith('_f32');
      if (name.startsWith('nclab_row_sq_norms')) {
        const [x, rows, cols, out] = args as [bigint, number, number, bigint];
        if (gridX * blockX < rows) throw new Error('fake cuda: norms launch does not cover every row');
        const X = arr(single, x), O = arr(single, out);
        for (let i = 0; i < rows; i++) { let t = 0; for (let j = 0; j < cols; j++) t += X[i * cols + j] ** 2; O[i] = t; }
      } else {
        const [g, nx, nz, n, m, kind, sigma] = args as [bigint, bigint, bigint, number, number, number, number];
        const G = arr(single, g), NX = arr(single, nx), NZ = arr(single, nz);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
          const d2 = Math.max(NX[i] + NZ[j] - 2 * G[i * m + j], 0);
          G[i * m + j] = kind === 0 ? Math.exp(-Math.sqrt(d2) / sigma) : Math.exp(-d2 / (2 * sigma * sigma));
        }
      }
    },
  };
  return addon;
}
