/*
 * nclab_blas: a thin N-API addon that loads a BLAS/LAPACK library at run time (dlopen) and exposes
 * the few Fortran routines @nclab/backend needs. No link-time dependency on BLAS: when no library
 * is found, load() throws and JavaScript falls back to the portable path.
 * Arrays are column-major (Fortran); the JavaScript side applies the row-major transpose trick.
 */
#include <dlfcn.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*dgemm_t)(const char *, const char *, const int *, const int *, const int *, const double *,
                        const double *, const int *, const double *, const int *, const double *, double *,
                        const int *);
typedef void (*sgemm_t)(const char *, const char *, const int *, const int *, const int *, const float *,
                        const float *, const int *, const float *, const int *, const float *, float *,
                        const int *);
typedef void (*dgemv_t)(const char *, const int *, const int *, const double *, const double *, const int *, const double *,
                        const int *, const double *, double *, const int *);
typedef void (*sgemv_t)(const char *, const int *, const int *, const float *, const float *, const int *, const float *,
                        const int *, const float *, float *, const int *);
typedef void (*dsyrk_t)(const char *, const char *, const int *, const int *, const double *, const double *,
                        const int *, const double *, double *, const int *);
typedef void (*ssyrk_t)(const char *, const char *, const int *, const int *, const float *, const float *,
                        const int *, const float *, float *, const int *);
typedef void (*dpotrf_t)(const char *, const int *, double *, const int *, int *);
typedef void (*spotrf_t)(const char *, const int *, float *, const int *, int *);
typedef void (*spotrs_t)(const char *, const int *, const int *, const float *, const int *, float *,
                         const int *, int *);
typedef void (*dpotrs_t)(const char *, const int *, const int *, const double *, const int *, double *,
                         const int *, int *);
typedef void (*dgesv_t)(const int *, const int *, double *, const int *, int *, double *, const int *, int *);
typedef void (*dsyevd_t)(const char *, const char *, const int *, double *, const int *, double *, double *,
                         const int *, int *, const int *, int *);
typedef void (*dgesdd_t)(const char *, const int *, const int *, double *, const int *, double *, double *,
                         const int *, double *, const int *, double *, const int *, int *, int *);

static dgemm_t p_dgemm;
static sgemm_t p_sgemm;
static dgemv_t p_dgemv;
static sgemv_t p_sgemv;
static dsyrk_t p_dsyrk;
static ssyrk_t p_ssyrk;
static dpotrf_t p_dpotrf;
static dpotrs_t p_dpotrs;
static spotrf_t p_spotrf;
static spotrs_t p_spotrs;
static dgesv_t p_dgesv;
static dsyevd_t p_dsyevd;
static dgesdd_t p_dgesdd;
static char g_library[256];
/* OpenBLAS's run-time thread count, where the loaded library exports it (as the FFI loader's threadControl) */
typedef void (*set_threads_t)(int);
typedef int (*get_threads_t)(void);
static set_threads_t p_set_threads;
static get_threads_t p_get_threads;

#define NAPI_CALL(env, call)                                                                                   \
  do {                                                                                                         \
    if ((call) != napi_ok) {                                                                                   \
      napi_throw_error((env), NULL, "nclab_blas: N-API call failed: " #call);                                  \
      return NULL;                                                                                             \
    }                                                                                                          \
  } while (0)

static void *sym(void *blas, void *lapack, const char *name) {
  void *p = blas ? dlsym(blas, name) : NULL;
  if (!p && lapack) p = dlsym(lapack, name);
  return p;
}

static int resolve(void *blas, void *lapack) {
  p_dgemm = (dgemm_t)sym(blas, lapack, "dgemm_");
  p_sgemm = (sgemm_t)sym(blas, lapack, "sgemm_");
  p_dgemv = (dgemv_t)sym(blas, lapack, "dgemv_");
  p_sgemv = (sgemv_t)sym(blas, lapack, "sgemv_");
  p_dsyrk = (dsyrk_t)sym(blas, lapack, "dsyrk_");
  p_ssyrk = (ssyrk_t)sym(blas, lapack, "ssyrk_");
  p_dpotrf = (dpotrf_t)sym(blas, lapack, "dpotrf_");
  p_dpotrs = (dpotrs_t)sym(blas, lapack, "dpotrs_");
  p_spotrf = (spotrf_t)sym(blas, lapack, "spotrf_");
  p_spotrs = (spotrs_t)sym(blas, lapack, "spotrs_");
  p_dgesv = (dgesv_t)sym(blas, lapack, "dgesv_");
  p_dsyevd = (dsyevd_t)sym(blas, lapack, "dsyevd_");
  p_dgesdd = (dgesdd_t)sym(blas, lapack, "dgesdd_");
  return p_dgemm && p_sgemm && p_dgemv && p_sgemv && p_dsyrk && p_ssyrk && p_dpotrf && p_dpotrs && p_spotrf && p_spotrs && p_dgesv && p_dsyevd && p_dgesdd;
}

static napi_value js_load(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  if (g_library[0]) {
    NAPI_CALL(env, napi_create_string_utf8(env, g_library, NAPI_AUTO_LENGTH, &out));
    return out;
  }
  const char *forced = getenv("NCLAB_BLAS_LIBRARY");
  if (forced && forced[0]) {
    void *h = dlopen(forced, RTLD_NOW | RTLD_LOCAL);
    if (h && resolve(h, NULL)) {
      snprintf(g_library, sizeof g_library, "BLAS/LAPACK (%s)", forced);
    } else {
      napi_throw_error(env, NULL, "NCLAB_BLAS_LIBRARY could not be loaded or lacks a routine");
      return NULL;
    }
  } else {
    void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (h && resolve(h, NULL)) {
      snprintf(g_library, sizeof g_library, "OpenBLAS (libopenblas.so.0)");
      p_set_threads = (set_threads_t)dlsym(h, "openblas_set_num_threads");
      p_get_threads = (get_threads_t)dlsym(h, "openblas_get_num_threads");
      if (!p_set_threads || !p_get_threads) p_set_threads = NULL, p_get_threads = NULL;
    } else {
      void *b = dlopen("libblas.so.3", RTLD_NOW | RTLD_GLOBAL);
      void *l = dlopen("liblapack.so.3", RTLD_NOW | RTLD_LOCAL);
      if (b && l && resolve(b, l)) {
        snprintf(g_library, sizeof g_library, "reference BLAS/LAPACK (libblas.so.3, liblapack.so.3)");
      } else {
        napi_throw_error(env, NULL, "none of libopenblas.so.0, libblas.so.3 + liblapack.so.3 could be loaded");
        return NULL;
      }
    }
  }
  NAPI_CALL(env, napi_create_string_utf8(env, g_library, NAPI_AUTO_LENGTH, &out));
  return out;
}

static int get_int(napi_env env, napi_value v) {
  int32_t x = 0;
  napi_get_value_int32(env, v, &x);
  return x;
}

static double get_double(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

/* Data pointer of a typed array of the expected type, or NULL (with a JS exception pending). */
static void *get_array(napi_env env, napi_value v, napi_typedarray_type want, size_t *length) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta) {
    napi_throw_type_error(env, NULL, "nclab_blas: expected a typed array");
    return NULL;
  }
  napi_typedarray_type type;
  size_t len;
  void *data;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, &len, &data, &ab, &off) != napi_ok || type != want) {
    napi_throw_type_error(env, NULL, "nclab_blas: typed array of the wrong element type");
    return NULL;
  }
  if (length) *length = len;
  return data;
}

static napi_value ret_int(napi_env env, int v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

static int loaded(napi_env env) {
  if (!g_library[0]) {
    napi_throw_error(env, NULL, "nclab_blas: load() was not called");
    return 0;
  }
  return 1;
}

#define ARGS(n)                                                                                                \
  size_t argc = (n);                                                                                           \
  napi_value argv[(n)];                                                                                        \
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));                                       \
  if (argc < (n)) {                                                                                            \
    napi_throw_type_error(env, NULL, "nclab_blas: too few arguments");                                        \
    return NULL;                                                                                               \
  }                                                                                                            \
  if (!loaded(env)) return NULL;

static const char *TR(int t) { return t ? "T" : "N"; }
static const char *UL(int u) { return u ? "U" : "L"; }

/* dgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) */
static napi_value js_dgemm(napi_env env, napi_callback_info info) {
  ARGS(13);
  int ta = get_int(env, argv[0]), tb = get_int(env, argv[1]);
  int m = get_int(env, argv[2]), n = get_int(env, argv[3]), k = get_int(env, argv[4]);
  double alpha = get_double(env, argv[5]), beta = get_double(env, argv[10]);
  int lda = get_int(env, argv[7]), ldb = get_int(env, argv[9]), ldc = get_int(env, argv[12]);
  double *a = get_array(env, argv[6], napi_float64_array, NULL);
  double *b = get_array(env, argv[8], napi_float64_array, NULL);
  double *c = get_array(env, argv[11], napi_float64_array, NULL);
  if (!a || !b || !c) return NULL;
  p_dgemm(TR(ta), TR(tb), &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
  return NULL;
}

static napi_value js_sgemm(napi_env env, napi_callback_info info) {
  ARGS(13);
  int ta = get_int(env, argv[0]), tb = get_int(env, argv[1]);
  int m = get_int(env, argv[2]), n = get_int(env, argv[3]), k = get_int(env, argv[4]);
  float alpha = (float)get_double(env, argv[5]), beta = (float)get_double(env, argv[10]);
  int lda = get_int(env, argv[7]), ldb = get_int(env, argv[9]), ldc = get_int(env, argv[12]);
  float *a = get_array(env, argv[6], napi_float32_array, NULL);
  float *b = get_array(env, argv[8], napi_float32_array, NULL);
  float *c = get_array(env, argv[11], napi_float32_array, NULL);
  if (!a || !b || !c) return NULL;
  p_sgemm(TR(ta), TR(tb), &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
  return NULL;
}

/* dgemv(trans, m, n, alpha, A, lda, x, beta, y), unit strides */
static napi_value js_dgemv(napi_env env, napi_callback_info info) {
  ARGS(9);
  int t = get_int(env, argv[0]), m = get_int(env, argv[1]), n = get_int(env, argv[2]), lda = get_int(env, argv[5]), one = 1;
  double alpha = get_double(env, argv[3]), beta = get_double(env, argv[7]);
  double *a = get_array(env, argv[4], napi_float64_array, NULL);
  double *x = get_array(env, argv[6], napi_float64_array, NULL);
  double *y = get_array(env, argv[8], napi_float64_array, NULL);
  if (!a || !x || !y) return NULL;
  p_dgemv(TR(t), &m, &n, &alpha, a, &lda, x, &one, &beta, y, &one);
  return NULL;
}

static napi_value js_sgemv(napi_env env, napi_callback_info info) {
  ARGS(9);
  int t = get_int(env, argv[0]), m = get_int(env, argv[1]), n = get_int(env, argv[2]), lda = get_int(env, argv[5]), one = 1;
  float alpha = (float)get_double(env, argv[3]), beta = (float)get_double(env, argv[7]);
  float *a = get_array(env, argv[4], napi_float32_array, NULL);
  float *x = get_array(env, argv[6], napi_float32_array, NULL);
  float *y = get_array(env, argv[8], napi_float32_array, NULL);
  if (!a || !x || !y) return NULL;
  p_sgemv(TR(t), &m, &n, &alpha, a, &lda, x, &one, &beta, y, &one);
  return NULL;
}

/* dsyrk(upper, trans, n, k, alpha, A, lda, beta, C, ldc) */
static napi_value js_dsyrk(napi_env env, napi_callback_info info) {
  ARGS(10);
  int up = get_int(env, argv[0]), tr = get_int(env, argv[1]);
  int n = get_int(env, argv[2]), k = get_int(env, argv[3]);
  double alpha = get_double(env, argv[4]), beta = get_double(env, argv[7]);
  int lda = get_int(env, argv[6]), ldc = get_int(env, argv[9]);
  double *a = get_array(env, argv[5], napi_float64_array, NULL);
  double *c = get_array(env, argv[8], napi_float64_array, NULL);
  if (!a || !c) return NULL;
  p_dsyrk(UL(up), TR(tr), &n, &k, &alpha, a, &lda, &beta, c, &ldc);
  return NULL;
}

/* ssyrk(upper, trans, n, k, alpha, A, lda, beta, C, ldc): float32 */
static napi_value js_ssyrk(napi_env env, napi_callback_info info) {
  ARGS(10);
  int up = get_int(env, argv[0]), tr = get_int(env, argv[1]);
  int n = get_int(env, argv[2]), k = get_int(env, argv[3]);
  float alpha = (float)get_double(env, argv[4]), beta = (float)get_double(env, argv[7]);
  int lda = get_int(env, argv[6]), ldc = get_int(env, argv[9]);
  float *a = get_array(env, argv[5], napi_float32_array, NULL);
  float *c = get_array(env, argv[8], napi_float32_array, NULL);
  if (!a || !c) return NULL;
  p_ssyrk(UL(up), TR(tr), &n, &k, &alpha, a, &lda, &beta, c, &ldc);
  return NULL;
}

/* dpotrf(upper, n, A, lda) -> info */
static napi_value js_dpotrf(napi_env env, napi_callback_info info) {
  ARGS(4);
  int up = get_int(env, argv[0]), n = get_int(env, argv[1]), lda = get_int(env, argv[3]), inf = 0;
  double *a = get_array(env, argv[2], napi_float64_array, NULL);
  if (!a) return NULL;
  p_dpotrf(UL(up), &n, a, &lda, &inf);
  return ret_int(env, inf);
}

/* dpotrs(upper, n, nrhs, A, lda, B, ldb) -> info */
static napi_value js_dpotrs(napi_env env, napi_callback_info info) {
  ARGS(7);
  int up = get_int(env, argv[0]), n = get_int(env, argv[1]), nrhs = get_int(env, argv[2]);
  int lda = get_int(env, argv[4]), ldb = get_int(env, argv[6]), inf = 0;
  double *a = get_array(env, argv[3], napi_float64_array, NULL);
  double *b = get_array(env, argv[5], napi_float64_array, NULL);
  if (!a || !b) return NULL;
  p_dpotrs(UL(up), &n, &nrhs, a, &lda, b, &ldb, &inf);
  return ret_int(env, inf);
}

/* spotrf(upper, n, A, lda) -> info; float32, in place (only the named triangle is read and written). */
static napi_value js_spotrf(napi_env env, napi_callback_info info) {
  ARGS(4);
  int up = get_int(env, argv[0]), n = get_int(env, argv[1]), lda = get_int(env, argv[3]), inf = 0;
  float *a = get_array(env, argv[2], napi_float32_array, NULL);
  if (!a) return NULL;
  p_spotrf(UL(up), &n, a, &lda, &inf);
  return ret_int(env, inf);
}

/* spotrs(upper, n, nrhs, A, lda, B, ldb) -> info; float32, B overwritten by the solution. */
static napi_value js_spotrs(napi_env env, napi_callback_info info) {
  ARGS(7);
  int up = get_int(env, argv[0]), n = get_int(env, argv[1]), nrhs = get_int(env, argv[2]);
  int lda = get_int(env, argv[4]), ldb = get_int(env, argv[6]), inf = 0;
  float *a = get_array(env, argv[3], napi_float32_array, NULL);
  float *b = get_array(env, argv[5], napi_float32_array, NULL);
  if (!a || !b) return NULL;
  p_spotrs(UL(up), &n, &nrhs, a, &lda, b, &ldb, &inf);
  return ret_int(env, inf);
}

/* dgesv(n, nrhs, A, lda, ipiv, B, ldb) -> info */
static napi_value js_dgesv(napi_env env, napi_callback_info info) {
  ARGS(7);
  int n = get_int(env, argv[0]), nrhs = get_int(env, argv[1]), lda = get_int(env, argv[3]);
  int ldb = get_int(env, argv[6]), inf = 0;
  double *a = get_array(env, argv[2], napi_float64_array, NULL);
  int *ipiv = get_array(env, argv[4], napi_int32_array, NULL);
  double *b = get_array(env, argv[5], napi_float64_array, NULL);
  if (!a || !ipiv || !b) return NULL;
  p_dgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &inf);
  return ret_int(env, inf);
}

/* dsyevd(upper, n, A, lda, W) -> info; eigenvectors overwrite A. */
static napi_value js_dsyevd(napi_env env, napi_callback_info info) {
  ARGS(5);
  int up = get_int(env, argv[0]), n = get_int(env, argv[1]), lda = get_int(env, argv[3]), inf = 0;
  double *a = get_array(env, argv[2], napi_float64_array, NULL);
  double *w = get_array(env, argv[4], napi_float64_array, NULL);
  if (!a || !w) return NULL;
  double wq = 0;
  int iwq = 0, lwork = -1, liwork = -1;
  p_dsyevd("V", UL(up), &n, a, &lda, w, &wq, &lwork, &iwq, &liwork, &inf);
  if (inf != 0) return ret_int(env, inf);
  lwork = (int)wq + 1;
  liwork = iwq + 1;
  double *work = malloc(sizeof(double) * (size_t)lwork);
  int *iwork = malloc(sizeof(int) * (size_t)liwork);
  if (!work || !iwork) {
    free(work);
    free(iwork);
    napi_throw_error(env, NULL, "nclab_blas: out of memory for the dsyevd workspace");
    return NULL;
  }
  p_dsyevd("V", UL(up), &n, a, &lda, w, work, &lwork, iwork, &liwork, &inf);
  free(work);
  free(iwork);
  return ret_int(env, inf);
}

/* dgesdd(m, n, A, lda, S, U, ldu, VT, ldvt) -> info; jobz = 'S' (thin). */
static napi_value js_dgesdd(napi_env env, napi_callback_info info) {
  ARGS(9);
  int m = get_int(env, argv[0]), n = get_int(env, argv[1]), lda = get_int(env, argv[3]);
  int ldu = get_int(env, argv[6]), ldvt = get_int(env, argv[8]), inf = 0;
  double *a = get_array(env, argv[2], napi_float64_array, NULL);
  double *s = get_array(env, argv[4], napi_float64_array, NULL);
  double *u = get_array(env, argv[5], napi_float64_array, NULL);
  double *vt = get_array(env, argv[7], napi_float64_array, NULL);
  if (!a || !s || !u || !vt) return NULL;
  int mn = m < n ? m : n;
  int *iwork = malloc(sizeof(int) * (size_t)(8 * (mn > 0 ? mn : 1)));
  double wq = 0;
  int lwork = -1;
  if (!iwork) {
    napi_throw_error(env, NULL, "nclab_blas: out of memory for the dgesdd workspace");
    return NULL;
  }
  p_dgesdd("S", &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &wq, &lwork, iwork, &inf);
  if (inf != 0) {
    free(iwork);
    return ret_int(env, inf);
  }
  lwork = (int)wq + 1;
  double *work = malloc(sizeof(double) * (size_t)lwork);
  if (!work) {
    free(iwork);
    napi_throw_error(env, NULL, "nclab_blas: out of memory for the dgesdd workspace");
    return NULL;
  }
  p_dgesdd("S", &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &inf);
  free(work);
  free(iwork);
  return ret_int(env, inf);
}

/* setThreads(n): openblas_set_num_threads where the library has it, else nothing */
static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (p_set_threads) p_set_threads(get_int(env, argv[0]));
  return NULL;
}

/* threads(): openblas_get_num_threads where the library has it, else 1 (no control) */
static napi_value js_threads(napi_env env, napi_callback_info info) {
  (void)info;
  return ret_int(env, p_get_threads ? p_get_threads() : 1);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"load", NULL, js_load, NULL, NULL, NULL, napi_default, NULL},
      {"dgemm", NULL, js_dgemm, NULL, NULL, NULL, napi_default, NULL},
      {"sgemm", NULL, js_sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"dgemv", NULL, js_dgemv, NULL, NULL, NULL, napi_default, NULL},
      {"sgemv", NULL, js_sgemv, NULL, NULL, NULL, napi_default, NULL},
      {"dsyrk", NULL, js_dsyrk, NULL, NULL, NULL, napi_default, NULL},
      {"ssyrk", NULL, js_ssyrk, NULL, NULL, NULL, napi_default, NULL},
      {"dpotrf", NULL, js_dpotrf, NULL, NULL, NULL, napi_default, NULL},
      {"dpotrs", NULL, js_dpotrs, NULL, NULL, NULL, napi_default, NULL},
      {"spotrf", NULL, js_spotrf, NULL, NULL, NULL, napi_default, NULL},
      {"spotrs", NULL, js_spotrs, NULL, NULL, NULL, napi_default, NULL},
      {"dgesv", NULL, js_dgesv, NULL, NULL, NULL, napi_default, NULL},
      {"dsyevd", NULL, js_dsyevd, NULL, NULL, NULL, napi_default, NULL},
      {"dgesdd", NULL, js_dgesdd, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, js_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
