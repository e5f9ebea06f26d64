/*
 * nclab_cuda: a thin N-API addon that loads the CUDA driver, cuBLAS, cuSOLVER and NVRTC at run time
 * (dlopen) and exposes the few routines @nclab/backend needs. Prototypes are declared by hand from the
 * public C APIs, so no CUDA header or toolkit is needed to build it, and nothing is linked but libdl.
 * Which file to open is decided in TypeScript (src/linalg/cuda/discovery.ts): `open(slot, files)` tries
 * the candidates in order and reports every dlopen error.
 *
 * Memory and kernels use the driver API on the device's primary context (the context the runtime inside
 * cuBLAS/cuSOLVER also uses). Device pointers cross to JavaScript as BigInt. Arrays are column-major;
 * the JavaScript side applies the row-major transpose trick. Everything runs on the legacy default
 * stream, so each call is ordered after the previous one and a device→host copy waits for it.
 */
#include <dlfcn.h>
#include <node_api.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- hand-declared types and prototypes (CUDA driver, cuBLAS v2, cuSOLVER Dn, NVRTC, runtime) ---- */
typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef unsigned long long CUdeviceptr;
typedef void *cublasHandle_t;
typedef void *cusolverDnHandle_t;
typedef void *nvrtcProgram;

typedef CUresult (*cuInit_t)(unsigned int);
typedef CUresult (*cuDriverGetVersion_t)(int *);
typedef CUresult (*cuDeviceGetCount_t)(int *);
typedef CUresult (*cuDeviceGet_t)(CUdevice *, int);
typedef CUresult (*cuDeviceGetName_t)(char *, int, CUdevice);
typedef CUresult (*cuDeviceTotalMem_t)(size_t *, CUdevice);
typedef CUresult (*cuDeviceGetAttribute_t)(int *, int, CUdevice);
typedef CUresult (*cuDevicePrimaryCtxRetain_t)(CUcontext *, CUdevice);
typedef CUresult (*cuCtxSetCurrent_t)(CUcontext);
typedef CUresult (*cuCtxSynchronize_t)(void);
typedef CUresult (*cuMemAlloc_t)(CUdeviceptr *, size_t);
typedef CUresult (*cuMemFree_t)(CUdeviceptr);
typedef CUresult (*cuMemcpyHtoD_t)(CUdeviceptr, const void *, size_t);
typedef CUresult (*cuMemcpyDtoH_t)(void *, CUdeviceptr, size_t);
typedef CUresult (*cuMemcpyDtoD_t)(CUdeviceptr, CUdeviceptr, size_t);
typedef CUresult (*cuMemsetD8_t)(CUdeviceptr, unsigned char, size_t);
typedef CUresult (*cuMemGetInfo_t)(size_t *, size_t *);
typedef CUresult (*cuGetErrorString_t)(CUresult, const char **);
typedef CUresult (*cuModuleLoadData_t)(CUmodule *, const void *);
typedef CUresult (*cuModuleGetFunction_t)(CUfunction *, CUmodule, const char *);
typedef CUresult (*cuLaunchKernel_t)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                                     CUstream, void **, void **);

typedef int (*cudaRuntimeGetVersion_t)(int *);

typedef int (*cublasCreate_t)(cublasHandle_t *);
typedef int (*cublasGetVersion_t)(cublasHandle_t, int *);
typedef int (*cublasSetMathMode_t)(cublasHandle_t, int);
typedef int (*cublasDgemm_t)(cublasHandle_t, int, int, int, int, int, const double *, const double *, int,
                             const double *, int, const double *, double *, int);
typedef int (*cublasSgemm_t)(cublasHandle_t, int, int, int, int, int, const float *, const float *, int,
                             const float *, int, const float *, float *, int);
typedef int (*cublasDsyrk_t)(cublasHandle_t, int, int, int, int, const double *, const double *, int, const double *,
                             double *, int);
typedef int (*cublasSsyrk_t)(cublasHandle_t, int, int, int, int, const float *, const float *, int, const float *,
                             float *, int);
typedef int (*cublasDcopy_t)(cublasHandle_t, int, const double *, int, double *, int);

typedef int (*cusolverGetVersion_t)(int *);
typedef int (*cusolverDnCreate_t)(cusolverDnHandle_t *);
typedef int (*cusolverDnDpotrf_bufferSize_t)(cusolverDnHandle_t, int, int, double *, int, int *);
typedef int (*cusolverDnDpotrf_t)(cusolverDnHandle_t, int, int, double *, int, double *, int, int *);
typedef int (*cusolverDnDpotrs_t)(cusolverDnHandle_t, int, int, int, const double *, int, double *, int, int *);
typedef int (*cusolverDnDgetrf_bufferSize_t)(cusolverDnHandle_t, int, int, double *, int, int *);
typedef int (*cusolverDnDgetrf_t)(cusolverDnHandle_t, int, int, double *, int, double *, int *, int *);
typedef int (*cusolverDnDgetrs_t)(cusolverDnHandle_t, int, int, int, const double *, int, const int *, double *, int,
                                  int *);
typedef int (*cusolverDnDsyevd_bufferSize_t)(cusolverDnHandle_t, int, int, int, const double *, int, const double *,
                                             int *);
typedef int (*cusolverDnDsyevd_t)(cusolverDnHandle_t, int, int, int, double *, int, double *, double *, int, int *);
typedef int (*cusolverDnDgesvd_bufferSize_t)(cusolverDnHandle_t, int, int, int *);
typedef int (*cusolverDnDgesvd_t)(cusolverDnHandle_t, signed char, signed char, int, int, double *, int, double *,
                                  double *, int, double *, int, double *, int, double *, int *);

typedef int (*nvrtcVersion_t)(int *, int *);
typedef int (*nvrtcCreateProgram_t)(nvrtcProgram *, const char *, const char *, int, const char *const *,
                                    const char *const *);
typedef int (*nvrtcCompileProgram_t)(nvrtcProgram, int, const char *const *);
typedef int (*nvrtcGetProgramLogSize_t)(nvrtcProgram, size_t *);
typedef int (*nvrtcGetProgramLog_t)(nvrtcProgram, char *);
typedef int (*nvrtcGetCUBINSize_t)(nvrtcProgram, size_t *);
typedef int (*nvrtcGetCUBIN_t)(nvrtcProgram, char *);
typedef int (*nvrtcDestroyProgram_t)(nvrtcProgram *);
typedef const char *(*nvrtcGetErrorString_t)(int);

/* cuBLAS / cuSOLVER enumerators used (values from the public headers). */
enum { OP_N = 0, OP_T = 1, FILL_LOWER = 0, FILL_UPPER = 1, EIG_MODE_VECTOR = 1 };
enum { ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76 };

/* ---- library slots ---- */
enum { SLOT_CUDA, SLOT_CUDART, SLOT_CUBLASLT, SLOT_CUBLAS, SLOT_CUSOLVER, SLOT_NVRTC, SLOT_COUNT };
static const char *SLOT_NAMES[SLOT_COUNT] = {"cuda", "cudart", "cublasLt", "cublas", "cusolver", "nvrtc"};
static void *g_lib[SLOT_COUNT];
static char g_file[SLOT_COUNT][1024];

static struct {
  cuInit_t init;
  cuDriverGetVersion_t driverGetVersion;
  cuDeviceGetCount_t deviceGetCount;
  cuDeviceGet_t deviceGet;
  cuDeviceGetName_t deviceGetName;
  cuDeviceTotalMem_t deviceTotalMem;
  cuDeviceGetAttribute_t deviceGetAttribute;
  cuDevicePrimaryCtxRetain_t primaryCtxRetain;
  cuCtxSetCurrent_t ctxSetCurrent;
  cuCtxSynchronize_t ctxSynchronize;
  cuMemAlloc_t memAlloc;
  cuMemFree_t memFree;
  cuMemcpyHtoD_t memcpyHtoD;
  cuMemcpyDtoH_t memcpyDtoH;
  cuMemcpyDtoD_t memcpyDtoD;
  cuMemsetD8_t memsetD8;
  cuMemGetInfo_t memGetInfo;
  cuGetErrorString_t getErrorString;
  cuModuleLoadData_t moduleLoadData;
  cuModuleGetFunction_t moduleGetFunction;
  cuLaunchKernel_t launchKernel;
} cu;

static struct {
  cublasCreate_t create;
  cublasGetVersion_t getVersion;
  cublasSetMathMode_t setMathMode;
  cublasDgemm_t dgemm;
  cublasSgemm_t sgemm;
  cublasDsyrk_t dsyrk;
  cublasSsyrk_t ssyrk;
  cublasDcopy_t dcopy;
} blas;

static struct {
  cusolverGetVersion_t getVersion;
  cusolverDnCreate_t create;
  cusolverDnDpotrf_bufferSize_t potrfBuf;
  cusolverDnDpotrf_t potrf;
  cusolverDnDpotrs_t potrs;
  cusolverDnDgetrf_bufferSize_t getrfBuf;
  cusolverDnDgetrf_t getrf;
  cusolverDnDgetrs_t getrs;
  cusolverDnDsyevd_bufferSize_t syevdBuf;
  cusolverDnDsyevd_t syevd;
  cusolverDnDgesvd_bufferSize_t gesvdBuf;
  cusolverDnDgesvd_t gesvd;
} sol;

static struct {
  nvrtcVersion_t version;
  nvrtcCreateProgram_t create;
  nvrtcCompileProgram_t compile;
  nvrtcGetProgramLogSize_t logSize;
  nvrtcGetProgramLog_t log;
  nvrtcGetCUBINSize_t cubinSize;
  nvrtcGetCUBIN_t cubin;
  nvrtcDestroyProgram_t destroy;
  nvrtcGetErrorString_t errorString;
} rtc;

static int g_driver_ready;
static int g_blas_ready;
static int g_rtc_ready;
static CUdevice g_device;
static CUcontext g_context;
static cublasHandle_t g_blas;
static cusolverDnHandle_t g_solver;
static int g_cc_major, g_cc_minor;

/* ---- N-API helpers ---- */
#define NAPI_CALL(env, call)                                                                                   \
  do {                                                                                                         \
    if ((call) != napi_ok) {                                                                                   \
      napi_throw_error((env), NULL, "nclab_cuda: N-API call failed: " #call);                                  \
      return NULL;                                                                                             \
    }                                                                                                          \
  } while (0)

#define ARGS(n)                                                                                                \
  size_t argc = (n);                                                                                           \
  napi_value argv[(n) > 0 ? (n) : 1];                                                                          \
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));                                       \
  if (argc < (size_t)(n)) {                                                                                    \
    napi_throw_type_error(env, NULL, "nclab_cuda: too few arguments");                                        \
    return NULL;                                                                                               \
  }

static void throwf(napi_env env, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void throwf(napi_env env, const char *code, const char *fmt, ...) {
  char msg[1536];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  napi_throw_error(env, code, msg);
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

/* A device pointer or byte count passed as a BigInt (or a safe-integer Number). */
static uint64_t get_u64(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    uint64_t x = 0;
    bool lossless = true;
    napi_get_value_bigint_uint64(env, v, &x, &lossless);
    return x;
  }
  return (uint64_t)get_double(env, v);
}

static napi_value make_u64(napi_env env, uint64_t x) {
  napi_value out;
  napi_create_bigint_uint64(env, x, &out);
  return out;
}

static napi_value make_int(napi_env env, int v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

static napi_value make_str(napi_env env, const char *s) {
  napi_value out;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
  return out;
}

static void set(napi_env env, napi_value obj, const char *key, napi_value v) { napi_set_named_property(env, obj, key, v); }

static const char *cu_error(CUresult r) {
  const char *s = NULL;
  if (cu.getErrorString && cu.getErrorString(r, &s) == 0 && s) return s;
  return "unknown CUDA driver error";
}

#define CU_CHECK(env, what, call)                                                                              \
  do {                                                                                                         \
    CUresult r_ = (call);                                                                                      \
    if (r_ != 0) {                                                                                             \
      throwf((env), "CUDA_DRIVER", "nclab_cuda: %s failed: CUresult %d (%s)", (what), r_, cu_error(r_));      \
      return NULL;                                                                                             \
    }                                                                                                          \
  } while (0)

#define LIB_CHECK(env, lib, what, call)                                                                        \
  do {                                                                                                         \
    int s_ = (call);                                                                                           \
    if (s_ != 0) {                                                                                             \
      throwf((env), "CUDA_LIBRARY", "nclab_cuda: %s failed: %s status %d", (what), (lib), s_);                \
      return NULL;                                                                                             \
    }                                                                                                          \
  } while (0)

/* Host data pointer and byte length of any typed array. */
static void *host_bytes(napi_env env, napi_value v, size_t *bytes) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta) {
    napi_throw_type_error(env, NULL, "nclab_cuda: expected a typed array");
    return NULL;
  }
  napi_typedarray_type type;
  size_t len, off;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &len, &data, &ab, &off) != napi_ok) {
    napi_throw_type_error(env, NULL, "nclab_cuda: unreadable typed array");
    return NULL;
  }
  size_t elem = 1;
  switch (type) {
  case napi_float64_array:
  case napi_bigint64_array:
  case napi_biguint64_array: elem = 8; break;
  case napi_float32_array:
  case napi_int32_array:
  case napi_uint32_array: elem = 4; break;
  case napi_int16_array:
  case napi_uint16_array: elem = 2; break;
  default: elem = 1;
  }
  *bytes = len * elem;
  return data;
}

/* ---- library opening ---- */

static int slot_of(const char *name) {
  for (int i = 0; i < SLOT_COUNT; i++)
    if (strcmp(name, SLOT_NAMES[i]) == 0) return i;
  return -1;
}

/*
 * open(slot, files[]) -> { file: string | null, errors: string[] }: dlopen the candidates in order, keep the
 * first that loads (RTLD_GLOBAL, so cuBLAS finds the cuBLASLt opened before it), and report every failure.
 */
static napi_value js_open(napi_env env, napi_callback_info info) {
  ARGS(2);
  char name[32];
  size_t nlen = 0;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], name, sizeof name, &nlen));
  int slot = slot_of(name);
  if (slot < 0) {
    throwf(env, NULL, "nclab_cuda: unknown library slot '%s'", name);
    return NULL;
  }
  uint32_t count = 0;
  NAPI_CALL(env, napi_get_array_length(env, argv[1], &count));
  napi_value result, errors;
  NAPI_CALL(env, napi_create_object(env, &result));
  NAPI_CALL(env, napi_create_array(env, &errors));
  uint32_t nerr = 0;
  if (!g_lib[slot]) {
    for (uint32_t i = 0; i < count; i++) {
      napi_value item;
      char file[1024];
      size_t flen = 0;
      NAPI_CALL(env, napi_get_element(env, argv[1], i, &item));
      NAPI_CALL(env, napi_get_value_string_utf8(env, item, file, sizeof file, &flen));
      void *h = dlopen(file, RTLD_NOW | RTLD_GLOBAL);
      if (h) {
        g_lib[slot] = h;
        snprintf(g_file[slot], sizeof g_file[slot], "%s", file);
        break;
      }
      const char *e = dlerror();
      char msg[1400];
      snprintf(msg, sizeof msg, "%s", e ? e : "dlopen failed");
      NAPI_CALL(env, napi_set_element(env, errors, nerr++, make_str(env, msg)));
    }
  }
  napi_value file;
  if (g_lib[slot]) file = make_str(env, g_file[slot]);
  else NAPI_CALL(env, napi_get_null(env, &file));
  set(env, result, "file", file);
  set(env, result, "errors", errors);
  return result;
}

/* Resolve `name` from `slot` into `*dst`; on failure records the first missing symbol in `missing`. */
static void need(int slot, const char *name, void *dst, char *missing, size_t cap) {
  void *p = g_lib[slot] ? dlsym(g_lib[slot], name) : NULL;
  memcpy(dst, &p, sizeof p);
  if (!p && !missing[0]) snprintf(missing, cap, "%s (in %s)", name, SLOT_NAMES[slot]);
}

#define NEED(slot, field, name) need((slot), (name), (void *)&(field), missing, sizeof missing)

/*
 * initDriver() -> { driverVersion, deviceCount, name, totalMemory, computeCapability }: cuInit, the first
 * device, its primary context made current. Throws when libcuda is not open or has no usable device.
 */
static napi_value js_init_driver(napi_env env, napi_callback_info info) {
  (void)info;
  char missing[256] = "";
  if (!g_lib[SLOT_CUDA]) {
    throwf(env, "CUDA_MISSING", "nclab_cuda: libcuda is not open");
    return NULL;
  }
  NEED(SLOT_CUDA, cu.init, "cuInit");
  NEED(SLOT_CUDA, cu.driverGetVersion, "cuDriverGetVersion");
  NEED(SLOT_CUDA, cu.deviceGetCount, "cuDeviceGetCount");
  NEED(SLOT_CUDA, cu.deviceGet, "cuDeviceGet");
  NEED(SLOT_CUDA, cu.deviceGetName, "cuDeviceGetName");
  NEED(SLOT_CUDA, cu.deviceTotalMem, "cuDeviceTotalMem_v2");
  NEED(SLOT_CUDA, cu.deviceGetAttribute, "cuDeviceGetAttribute");
  NEED(SLOT_CUDA, cu.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
  NEED(SLOT_CUDA, cu.ctxSetCurrent, "cuCtxSetCurrent");
  NEED(SLOT_CUDA, cu.ctxSynchronize, "cuCtxSynchronize");
  NEED(SLOT_CUDA, cu.memAlloc, "cuMemAlloc_v2");
  NEED(SLOT_CUDA, cu.memFree, "cuMemFree_v2");
  NEED(SLOT_CUDA, cu.memcpyHtoD, "cuMemcpyHtoD_v2");
  NEED(SLOT_CUDA, cu.memcpyDtoH, "cuMemcpyDtoH_v2");
  NEED(SLOT_CUDA, cu.memcpyDtoD, "cuMemcpyDtoD_v2");
  NEED(SLOT_CUDA, cu.memsetD8, "cuMemsetD8_v2");
  NEED(SLOT_CUDA, cu.memGetInfo, "cuMemGetInfo_v2");
  NEED(SLOT_CUDA, cu.getErrorString, "cuGetErrorString");
  NEED(SLOT_CUDA, cu.moduleLoadData, "cuModuleLoadData");
  NEED(SLOT_CUDA, cu.moduleGetFunction, "cuModuleGetFunction");
  NEED(SLOT_CUDA, cu.launchKernel, "cuLaunchKernel");
  if (missing[0]) {
    throwf(env, "CUDA_SYMBOL", "nclab_cuda: the driver library lacks %s", missing);
    return NULL;
  }
  napi_value out;
  NAPI_CALL(env, napi_create_object(env, &out));
  int version = 0, count = 0;
  CU_CHECK(env, "cuInit", cu.init(0));
  CU_CHECK(env, "cuDriverGetVersion", cu.driverGetVersion(&version));
  CU_CHECK(env, "cuDeviceGetCount", cu.deviceGetCount(&count));
  set(env, out, "driverVersion", make_int(env, version));
  set(env, out, "deviceCount", make_int(env, count));
  if (count < 1) {
    throwf(env, "CUDA_NO_DEVICE", "nclab_cuda: the driver (CUDA %d.%d) sees no GPU", version / 1000, (version % 1000) / 10);
    return NULL;
  }
  char name[256] = "";
  size_t total = 0;
  CU_CHECK(env, "cuDeviceGet", cu.deviceGet(&g_device, 0));
  CU_CHECK(env, "cuDeviceGetName", cu.deviceGetName(name, sizeof name, g_device));
  CU_CHECK(env, "cuDeviceTotalMem_v2", cu.deviceTotalMem(&total, g_device));
  CU_CHECK(env, "cuDeviceGetAttribute", cu.deviceGetAttribute(&g_cc_major, ATTR_CC_MAJOR, g_device));
  CU_CHECK(env, "cuDeviceGetAttribute", cu.deviceGetAttribute(&g_cc_minor, ATTR_CC_MINOR, g_device));
  if (!g_context) {
    CU_CHECK(env, "cuDevicePrimaryCtxRetain", cu.primaryCtxRetain(&g_context, g_device));
  }
  CU_CHECK(env, "cuCtxSetCurrent", cu.ctxSetCurrent(g_context));
  g_driver_ready = 1;
  char cc[16];
  snprintf(cc, sizeof cc, "%d.%d", g_cc_major, g_cc_minor);
  set(env, out, "name", make_str(env, name));
  napi_value mem;
  NAPI_CALL(env, napi_create_double(env, (double)total, &mem));
  set(env, out, "totalMemory", mem);
  set(env, out, "computeCapability", make_str(env, cc));
  return out;
}

/*
 * initLibraries() -> { cublas, cusolver, nvrtc, cudart } versions (0 where the library is not open):
 * resolves cuBLAS and cuSOLVER (both required) and NVRTC (optional: kernels only), creates the handles.
 */
static napi_value js_init_libraries(napi_env env, napi_callback_info info) {
  (void)info;
  char missing[256] = "";
  if (!g_driver_ready) {
    throwf(env, "CUDA_MISSING", "nclab_cuda: initDriver() has not succeeded");
    return NULL;
  }
  NEED(SLOT_CUBLAS, blas.create, "cublasCreate_v2");
  NEED(SLOT_CUBLAS, blas.getVersion, "cublasGetVersion_v2");
  NEED(SLOT_CUBLAS, blas.setMathMode, "cublasSetMathMode");
  NEED(SLOT_CUBLAS, blas.dgemm, "cublasDgemm_v2");
  NEED(SLOT_CUBLAS, blas.sgemm, "cublasSgemm_v2");
  NEED(SLOT_CUBLAS, blas.dsyrk, "cublasDsyrk_v2");
  NEED(SLOT_CUBLAS, blas.ssyrk, "cublasSsyrk_v2");
  NEED(SLOT_CUBLAS, blas.dcopy, "cublasDcopy_v2");
  NEED(SLOT_CUSOLVER, sol.getVersion, "cusolverGetVersion");
  NEED(SLOT_CUSOLVER, sol.create, "cusolverDnCreate");
  NEED(SLOT_CUSOLVER, sol.potrfBuf, "cusolverDnDpotrf_bufferSize");
  NEED(SLOT_CUSOLVER, sol.potrf, "cusolverDnDpotrf");
  NEED(SLOT_CUSOLVER, sol.potrs, "cusolverDnDpotrs");
  NEED(SLOT_CUSOLVER, sol.getrfBuf, "cusolverDnDgetrf_bufferSize");
  NEED(SLOT_CUSOLVER, sol.getrf, "cusolverDnDgetrf");
  NEED(SLOT_CUSOLVER, sol.getrs, "cusolverDnDgetrs");
  NEED(SLOT_CUSOLVER, sol.syevdBuf, "cusolverDnDsyevd_bufferSize");
  NEED(SLOT_CUSOLVER, sol.syevd, "cusolverDnDsyevd");
  NEED(SLOT_CUSOLVER, sol.gesvdBuf, "cusolverDnDgesvd_bufferSize");
  NEED(SLOT_CUSOLVER, sol.gesvd, "cusolverDnDgesvd");
  if (missing[0]) {
    throwf(env, "CUDA_SYMBOL", "nclab_cuda: missing %s", missing);
    return NULL;
  }
  napi_value out;
  NAPI_CALL(env, napi_create_object(env, &out));
  CU_CHECK(env, "cuCtxSetCurrent", cu.ctxSetCurrent(g_context));
  if (!g_blas) LIB_CHECK(env, "cuBLAS", "cublasCreate_v2", blas.create(&g_blas));
  if (!g_solver) LIB_CHECK(env, "cuSOLVER", "cusolverDnCreate", sol.create(&g_solver));
  g_blas_ready = 1;
  int v = 0;
  LIB_CHECK(env, "cuBLAS", "cublasGetVersion_v2", blas.getVersion(g_blas, &v));
  set(env, out, "cublas", make_int(env, v));
  v = 0;
  LIB_CHECK(env, "cuSOLVER", "cusolverGetVersion", sol.getVersion(&v));
  set(env, out, "cusolver", make_int(env, v));
  v = 0;
  if (g_lib[SLOT_CUDART]) {
    cudaRuntimeGetVersion_t rv = (cudaRuntimeGetVersion_t)dlsym(g_lib[SLOT_CUDART], "cudaRuntimeGetVersion");
    if (rv) rv(&v);
  }
  set(env, out, "cudart", make_int(env, v));
  v = 0;
  missing[0] = 0;
  if (g_lib[SLOT_NVRTC]) {
    NEED(SLOT_NVRTC, rtc.version, "nvrtcVersion");
    NEED(SLOT_NVRTC, rtc.create, "nvrtcCreateProgram");
    NEED(SLOT_NVRTC, rtc.compile, "nvrtcCompileProgram");
    NEED(SLOT_NVRTC, rtc.logSize, "nvrtcGetProgramLogSize");
    NEED(SLOT_NVRTC, rtc.log, "nvrtcGetProgramLog");
    NEED(SLOT_NVRTC, rtc.cubinSize, "nvrtcGetCUBINSize");
    NEED(SLOT_NVRTC, rtc.cubin, "nvrtcGetCUBIN");
    NEED(SLOT_NVRTC, rtc.destroy, "nvrtcDestroyProgram");
    NEED(SLOT_NVRTC, rtc.errorString, "nvrtcGetErrorString");
    if (!missing[0]) {
      int major = 0, minor = 0;
      rtc.version(&major, &minor);
      v = major * 1000 + minor * 10;
      g_rtc_ready = 1;
    }
  }
  set(env, out, "nvrtc", make_int(env, v));
  return out;
}

static int ready(napi_env env, int need_blas) {
  if (!g_driver_ready || (need_blas && !g_blas_ready)) {
    throwf(env, "CUDA_MISSING", "nclab_cuda: the CUDA libraries are not initialised");
    return 0;
  }
  return 1;
}

/* ---- memory ---- */

/* malloc(bytes) -> BigInt device pointer (0n for 0 bytes). */
static napi_value js_malloc(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (!ready(env, 0)) return NULL;
  uint64_t bytes = get_u64(env, argv[0]);
  CUdeviceptr p = 0;
  if (bytes > 0) CU_CHECK(env, "cuMemAlloc_v2", cu.memAlloc(&p, (size_t)bytes));
  return make_u64(env, p);
}

static napi_value js_free(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (!ready(env, 0)) return NULL;
  uint64_t p = get_u64(env, argv[0]);
  if (p) CU_CHECK(env, "cuMemFree_v2", cu.memFree((CUdeviceptr)p));
  return NULL;
}

/* upload(devicePtr, byteOffset, typedArray): copies the whole array to devicePtr + byteOffset. */
static napi_value js_upload(napi_env env, napi_callback_info info) {
  ARGS(3);
  if (!ready(env, 0)) return NULL;
  uint64_t p = get_u64(env, argv[0]) + get_u64(env, argv[1]);
  size_t bytes = 0;
  void *src = host_bytes(env, argv[2], &bytes);
  if (!src && bytes) return NULL;
  if (bytes) CU_CHECK(env, "cuMemcpyHtoD_v2", cu.memcpyHtoD((CUdeviceptr)p, src, bytes));
  return NULL;
}

/* download(devicePtr, byteOffset, typedArray): fills the whole array from devicePtr + byteOffset. */
static napi_value js_download(napi_env env, napi_callback_info info) {
  ARGS(3);
  if (!ready(env, 0)) return NULL;
  uint64_t p = get_u64(env, argv[0]) + get_u64(env, argv[1]);
  size_t bytes = 0;
  void *dst = host_bytes(env, argv[2], &bytes);
  if (!dst && bytes) return NULL;
  if (bytes) CU_CHECK(env, "cuMemcpyDtoH_v2", cu.memcpyDtoH(dst, (CUdeviceptr)p, bytes));
  return NULL;
}

/* copy(dst, src, bytes) device to device; memset0(ptr, bytes). */
static napi_value js_copy(napi_env env, napi_callback_info info) {
  ARGS(3);
  if (!ready(env, 0)) return NULL;
  uint64_t bytes = get_u64(env, argv[2]);
  if (bytes) CU_CHECK(env, "cuMemcpyDtoD_v2", cu.memcpyDtoD((CUdeviceptr)get_u64(env, argv[0]), (CUdeviceptr)get_u64(env, argv[1]), (size_t)bytes));
  return NULL;
}

static napi_value js_memset0(napi_env env, napi_callback_info info) {
  ARGS(2);
  if (!ready(env, 0)) return NULL;
  uint64_t bytes = get_u64(env, argv[1]);
  if (bytes) CU_CHECK(env, "cuMemsetD8_v2", cu.memsetD8((CUdeviceptr)get_u64(env, argv[0]), 0, (size_t)bytes));
  return NULL;
}

/* memInfo() -> [free, total] bytes. */
static napi_value js_mem_info(napi_env env, napi_callback_info info) {
  (void)info;
  if (!ready(env, 0)) return NULL;
  size_t fr = 0, tot = 0;
  CU_CHECK(env, "cuMemGetInfo_v2", cu.memGetInfo(&fr, &tot));
  napi_value out, a, b;
  NAPI_CALL(env, napi_create_array_with_length(env, 2, &out));
  napi_create_double(env, (double)fr, &a);
  napi_create_double(env, (double)tot, &b);
  napi_set_element(env, out, 0, a);
  napi_set_element(env, out, 1, b);
  return out;
}

static napi_value js_synchronize(napi_env env, napi_callback_info info) {
  (void)info;
  if (!ready(env, 0)) return NULL;
  CU_CHECK(env, "cuCtxSynchronize", cu.ctxSynchronize());
  return NULL;
}

/* ---- cuBLAS (column-major, device pointers) ---- */

/* setMathMode(mode): 0 default, 3 TF32 tensor-op math (cublasMath_t). */
static napi_value js_set_math_mode(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (!ready(env, 1)) return NULL;
  LIB_CHECK(env, "cuBLAS", "cublasSetMathMode", blas.setMathMode(g_blas, get_int(env, argv[0])));
  return NULL;
}

/* dgemm / sgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) */
static napi_value js_dgemm(napi_env env, napi_callback_info info) {
  ARGS(13);
  if (!ready(env, 1)) return NULL;
  double alpha = get_double(env, argv[5]), beta = get_double(env, argv[10]);
  LIB_CHECK(env, "cuBLAS", "cublasDgemm_v2",
            blas.dgemm(g_blas, get_int(env, argv[0]) ? OP_T : OP_N, get_int(env, argv[1]) ? OP_T : OP_N,
                       get_int(env, argv[2]), get_int(env, argv[3]), get_int(env, argv[4]), &alpha,
                       (const double *)(uintptr_t)get_u64(env, argv[6]), get_int(env, argv[7]),
                       (const double *)(uintptr_t)get_u64(env, argv[8]), get_int(env, argv[9]), &beta,
                       (double *)(uintptr_t)get_u64(env, argv[11]), get_int(env, argv[12])));
  return NULL;
}

static napi_value js_sgemm(napi_env env, napi_callback_info info) {
  ARGS(13);
  if (!ready(env, 1)) return NULL;
  float alpha = (float)get_double(env, argv[5]), beta = (float)get_double(env, argv[10]);
  LIB_CHECK(env, "cuBLAS", "cublasSgemm_v2",
            blas.sgemm(g_blas, get_int(env, argv[0]) ? OP_T : OP_N, get_int(env, argv[1]) ? OP_T : OP_N,
                       get_int(env, argv[2]), get_int(env, argv[3]), get_int(env, argv[4]), &alpha,
                       (const float *)(uintptr_t)get_u64(env, argv[6]), get_int(env, argv[7]),
                       (const float *)(uintptr_t)get_u64(env, argv[8]), get_int(env, argv[9]), &beta,
                       (float *)(uintptr_t)get_u64(env, argv[11]), get_int(env, argv[12])));
  return NULL;
}

/* dsyrk / ssyrk(upper, trans, n, k, alpha, A, lda, beta, C, ldc) */
static napi_value js_dsyrk(napi_env env, napi_callback_info info) {
  ARGS(10);
  if (!ready(env, 1)) return NULL;
  double alpha = get_double(env, argv[4]), beta = get_double(env, argv[7]);
  LIB_CHECK(env, "cuBLAS", "cublasDsyrk_v2",
            blas.dsyrk(g_blas, get_int(env, argv[0]) ? FILL_UPPER : FILL_LOWER, get_int(env, argv[1]) ? OP_T : OP_N,
                       get_int(env, argv[2]), get_int(env, argv[3]), &alpha,
                       (const double *)(uintptr_t)get_u64(env, argv[5]), get_int(env, argv[6]), &beta,
                       (double *)(uintptr_t)get_u64(env, argv[8]), get_int(env, argv[9])));
  return NULL;
}

static napi_value js_ssyrk(napi_env env, napi_callback_info info) {
  ARGS(10);
  if (!ready(env, 1)) return NULL;
  float alpha = (float)get_double(env, argv[4]), beta = (float)get_double(env, argv[7]);
  LIB_CHECK(env, "cuBLAS", "cublasSsyrk_v2",
            blas.ssyrk(g_blas, get_int(env, argv[0]) ? FILL_UPPER : FILL_LOWER, get_int(env, argv[1]) ? OP_T : OP_N,
                       get_int(env, argv[2]), get_int(env, argv[3]), &alpha,
                       (const float *)(uintptr_t)get_u64(env, argv[5]), get_int(env, argv[6]), &beta,
                       (float *)(uintptr_t)get_u64(env, argv[8]), get_int(env, argv[9])));
  return NULL;
}

/* dcopy(n, x, incx, y, incy), e.g. the diagonal of an LU factor (incx = lda + 1). */
static napi_value js_dcopy(napi_env env, napi_callback_info info) {
  ARGS(5);
  if (!ready(env, 1)) return NULL;
  LIB_CHECK(env, "cuBLAS", "cublasDcopy_v2",
            blas.dcopy(g_blas, get_int(env, argv[0]), (const double *)(uintptr_t)get_u64(env, argv[1]),
                       get_int(env, argv[2]), (double *)(uintptr_t)get_u64(env, argv[3]), get_int(env, argv[4])));
  return NULL;
}

/* ---- cuSOLVER (column-major, device pointers; returns LAPACK-style info) ---- */

/* Workspace (doubles) and devInfo scratch for one solver call. */
static int scratch(napi_env env, int lwork, CUdeviceptr *work, CUdeviceptr *dinfo) {
  *work = 0;
  *dinfo = 0;
  CUresult r = cu.memAlloc(dinfo, sizeof(int));
  if (r == 0 && lwork > 0) r = cu.memAlloc(work, sizeof(double) * (size_t)lwork);
  if (r != 0) {
    if (*dinfo) cu.memFree(*dinfo);
    throwf(env, "CUDA_DRIVER", "nclab_cuda: cuMemAlloc_v2 (solver workspace of %d doubles) failed: %s", lwork, cu_error(r));
    return 0;
  }
  return 1;
}

/* Reads devInfo, frees the scratch; returns info, or INT32_MIN after throwing. */
static int finish(napi_env env, int status, const char *what, CUdeviceptr work, CUdeviceptr dinfo) {
  int inf = 0;
  CUresult r = status == 0 ? cu.memcpyDtoH(&inf, dinfo, sizeof inf) : 0;
  if (work) cu.memFree(work);
  if (dinfo) cu.memFree(dinfo);
  if (status != 0) {
    throwf(env, "CUDA_LIBRARY", "nclab_cuda: %s failed: cuSOLVER status %d", what, status);
    return INT32_MIN;
  }
  if (r != 0) {
    throwf(env, "CUDA_DRIVER", "nclab_cuda: reading the %s info failed: %s", what, cu_error(r));
    return INT32_MIN;
  }
  return inf;
}

#define RETURN_INFO(env, v)                                                                                    \
  do {                                                                                                         \
    int v_ = (v);                                                                                              \
    return v_ == INT32_MIN ? NULL : make_int((env), v_);                                                       \
  } while (0)

/* dpotrf(upper, n, A, lda) -> info */
static napi_value js_dpotrf(napi_env env, napi_callback_info info) {
  ARGS(4);
  if (!ready(env, 1)) return NULL;
  int uplo = get_int(env, argv[0]) ? FILL_UPPER : FILL_LOWER, n = get_int(env, argv[1]), lda = get_int(env, argv[3]);
  double *a = (double *)(uintptr_t)get_u64(env, argv[2]);
  int lwork = 0;
  LIB_CHECK(env, "cuSOLVER", "cusolverDnDpotrf_bufferSize", sol.potrfBuf(g_solver, uplo, n, a, lda, &lwork));
  CUdeviceptr work, dinfo;
  if (!scratch(env, lwork, &work, &dinfo)) return NULL;
  int s = sol.potrf(g_solver, uplo, n, a, lda, (double *)(uintptr_t)work, lwork, (int *)(uintptr_t)dinfo);
  RETURN_INFO(env, finish(env, s, "cusolverDnDpotrf", work, dinfo));
}

/* dpotrs(upper, n, nrhs, A, lda, B, ldb) -> info */
static napi_value js_dpotrs(napi_env env, napi_callback_info info) {
  ARGS(7);
  if (!ready(env, 1)) return NULL;
  CUdeviceptr work, dinfo;
  if (!scratch(env, 0, &work, &dinfo)) return NULL;
  int s = sol.potrs(g_solver, get_int(env, argv[0]) ? FILL_UPPER : FILL_LOWER, get_int(env, argv[1]), get_int(env, argv[2]),
                    (const double *)(uintptr_t)get_u64(env, argv[3]), get_int(env, argv[4]),
                    (double *)(uintptr_t)get_u64(env, argv[5]), get_int(env, argv[6]), (int *)(uintptr_t)dinfo);
  RETURN_INFO(env, finish(env, s, "cusolverDnDpotrs", work, dinfo));
}

/* dgetrf(n, A, lda, ipiv) -> info (square, partial pivoting; ipiv: device int32[n]) */
static napi_value js_dgetrf(napi_env env, napi_callback_info info) {
  ARGS(4);
  if (!ready(env, 1)) return NULL;
  int n = get_int(env, argv[0]), lda = get_int(env, argv[2]);
  double *a = (double *)(uintptr_t)get_u64(env, argv[1]);
  int lwork = 0;
  LIB_CHECK(env, "cuSOLVER", "cusolverDnDgetrf_bufferSize", sol.getrfBuf(g_solver, n, n, a, lda, &lwork));
  CUdeviceptr work, dinfo;
  if (!scratch(env, lwork, &work, &dinfo)) return NULL;
  int s = sol.getrf(g_solver, n, n, a, lda, (double *)(uintptr_t)work, (int *)(uintptr_t)get_u64(env, argv[3]),
                    (int *)(uintptr_t)dinfo);
  RETURN_INFO(env, finish(env, s, "cusolverDnDgetrf", work, dinfo));
}

/* dgetrs(n, nrhs, A, lda, ipiv, B, ldb) -> info (no transpose) */
static napi_value js_dgetrs(napi_env env, napi_callback_info info) {
  ARGS(7);
  if (!ready(env, 1)) return NULL;
  CUdeviceptr work, dinfo;
  if (!scratch(env, 0, &work, &dinfo)) return NULL;
  int s = sol.getrs(g_solver, OP_N, get_int(env, argv[0]), get_int(env, argv[1]),
                    (const double *)(uintptr_t)get_u64(env, argv[2]), get_int(env, argv[3]),
                    (const int *)(uintptr_t)get_u64(env, argv[4]), (double *)(uintptr_t)get_u64(env, argv[5]),
                    get_int(env, argv[6]), (int *)(uintptr_t)dinfo);
  RETURN_INFO(env, finish(env, s, "cusolverDnDgetrs", work, dinfo));
}

/* dsyevd(upper, n, A, lda, W) -> info; eigenvectors overwrite A, ascending eigenvalues in W (device). */
static napi_value js_dsyevd(napi_env env, napi_callback_info info) {
  ARGS(5);
  if (!ready(env, 1)) return NULL;
  int uplo = get_int(env, argv[0]) ? FILL_UPPER : FILL_LOWER, n = get_int(env, argv[1]), lda = get_int(env, argv[3]);
  double *a = (double *)(uintptr_t)get_u64(env, argv[2]);
  double *w = (double *)(uintptr_t)get_u64(env, argv[4]);
  int lwork = 0;
  LIB_CHECK(env, "cuSOLVER", "cusolverDnDsyevd_bufferSize", sol.syevdBuf(g_solver, EIG_MODE_VECTOR, uplo, n, a, lda, w, &lwork));
  CUdeviceptr work, dinfo;
  if (!scratch(env, lwork, &work, &dinfo)) return NULL;
  int s = sol.syevd(g_solver, EIG_MODE_VECTOR, uplo, n, a, lda, w, (double *)(uintptr_t)work, lwork, (int *)(uintptr_t)dinfo);
  RETURN_INFO(env, finish(env, s, "cusolverDnDsyevd", work, dinfo));
}

/* dgesvd(m, n, A, lda, S, U, ldu, VT, ldvt) -> info; jobu = jobvt = 'S' (thin); needs m >= n. */
static napi_value js_dgesvd(napi_env env, napi_callback_info info) {
  ARGS(9);
  if (!ready(env, 1)) return NULL;
  int m = get_int(env, argv[0]), n = get_int(env, argv[1]);
  int lwork = 0;
  LIB_CHECK(env, "cuSOLVER", "cusolverDnDgesvd_bufferSize", sol.gesvdBuf(g_solver, m, n, &lwork));
  CUdeviceptr work, dinfo;
  if (!scratch(env, lwork, &work, &dinfo)) return NULL;
  int s = sol.gesvd(g_solver, 'S', 'S', m, n, (double *)(uintptr_t)get_u64(env, argv[2]), get_int(env, argv[3]),
                    (double *)(uintptr_t)get_u64(env, argv[4]), (double *)(uintptr_t)get_u64(env, argv[5]),
                    get_int(env, argv[6]), (double *)(uintptr_t)get_u64(env, argv[7]), get_int(env, argv[8]),
                    (double *)(uintptr_t)work, lwork, NULL, (int *)(uintptr_t)dinfo);
  RETURN_INFO(env, finish(env, s, "cusolverDnDgesvd", work, dinfo));
}

/* ---- NVRTC kernels ---- */

/* compile(source, kernelName) -> BigInt CUfunction: NVRTC to a CUBIN for this device's sm_XY, then loaded. */
static napi_value js_compile(napi_env env, napi_callback_info info) {
  ARGS(2);
  if (!ready(env, 0)) return NULL;
  if (!g_rtc_ready) {
    throwf(env, "CUDA_MISSING", "nclab_cuda: NVRTC is not loaded");
    return NULL;
  }
  size_t len = 0;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
  char *src = malloc(len + 1);
  char kname[128];
  size_t klen = 0;
  if (!src) {
    throwf(env, NULL, "nclab_cuda: out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, argv[0], src, len + 1, &len);
  napi_get_value_string_utf8(env, argv[1], kname, sizeof kname, &klen);
  nvrtcProgram prog = NULL;
  int s = rtc.create(&prog, src, "nclab_kernel.cu", 0, NULL, NULL);
  free(src);
  if (s != 0) {
    throwf(env, "CUDA_LIBRARY", "nclab_cuda: nvrtcCreateProgram failed: %s", rtc.errorString(s));
    return NULL;
  }
  char arch[48];
  snprintf(arch, sizeof arch, "--gpu-architecture=sm_%d%d", g_cc_major, g_cc_minor);
  const char *opts[] = {arch};
  s = rtc.compile(prog, 1, opts);
  if (s != 0) {
    size_t lsize = 0;
    rtc.logSize(prog, &lsize);
    char *logtext = malloc(lsize + 1);
    if (logtext) {
      logtext[0] = 0;
      rtc.log(prog, logtext);
      logtext[lsize] = 0;
    }
    throwf(env, "CUDA_LIBRARY", "nclab_cuda: nvrtcCompileProgram failed: %s: %.1000s", rtc.errorString(s), logtext ? logtext : "");
    free(logtext);
    rtc.destroy(&prog);
    return NULL;
  }
  size_t csize = 0;
  rtc.cubinSize(prog, &csize);
  char *cubin = malloc(csize ? csize : 1);
  if (!cubin) {
    rtc.destroy(&prog);
    throwf(env, NULL, "nclab_cuda: out of memory");
    return NULL;
  }
  rtc.cubin(prog, cubin);
  rtc.destroy(&prog);
  CUmodule mod = NULL;
  CUfunction fn = NULL;
  CUresult r = cu.moduleLoadData(&mod, cubin);
  free(cubin);
  CU_CHECK(env, "cuModuleLoadData", r);
  CU_CHECK(env, "cuModuleGetFunction", cu.moduleGetFunction(&fn, mod, kname));
  return make_u64(env, (uint64_t)(uintptr_t)fn);
}

/*
 * launch(fn, gridX, gridY, blockX, blockY, signature, args[]): one kernel launch. `signature` has one
 * letter per argument: p = device pointer (BigInt), i = int32, l = int64, d = double, f = float.
 */
static napi_value js_launch(napi_env env, napi_callback_info info) {
  ARGS(7);
  if (!ready(env, 0)) return NULL;
  CUfunction fn = (CUfunction)(uintptr_t)get_u64(env, argv[0]);
  unsigned gx = (unsigned)get_u64(env, argv[1]), gy = (unsigned)get_u64(env, argv[2]);
  unsigned bx = (unsigned)get_u64(env, argv[3]), by = (unsigned)get_u64(env, argv[4]);
  char sig[33];
  size_t slen = 0;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[5], sig, sizeof sig, &slen));
  uint32_t count = 0;
  NAPI_CALL(env, napi_get_array_length(env, argv[6], &count));
  if (count != slen || slen > 32) {
    throwf(env, NULL, "nclab_cuda: launch signature '%s' does not match %u arguments", sig, count);
    return NULL;
  }
  union { uint64_t u; int32_t i; int64_t l; double d; float f; } store[32];
  void *params[32];
  for (uint32_t k = 0; k < count; k++) {
    napi_value v;
    NAPI_CALL(env, napi_get_element(env, argv[6], k, &v));
    switch (sig[k]) {
    case 'p': store[k].u = get_u64(env, v); break;
    case 'i': store[k].i = get_int(env, v); break;
    case 'l': store[k].l = (int64_t)get_double(env, v); break;
    case 'd': store[k].d = get_double(env, v); break;
    case 'f': store[k].f = (float)get_double(env, v); break;
    default: throwf(env, NULL, "nclab_cuda: unknown launch signature letter '%c'", sig[k]); return NULL;
    }
    params[k] = &store[k];
  }
  CU_CHECK(env, "cuLaunchKernel", cu.launchKernel(fn, gx, gy, 1, bx, by, 1, 0, NULL, params, NULL));
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"initDriver", NULL, js_init_driver, NULL, NULL, NULL, napi_default, NULL},
      {"initLibraries", NULL, js_init_libraries, NULL, NULL, NULL, napi_default, NULL},
      {"malloc", NULL, js_malloc, NULL, NULL, NULL, napi_default, NULL},
      {"free", NULL, js_free, NULL, NULL, NULL, napi_default, NULL},
      {"upload", NULL, js_upload, NULL, NULL, NULL, napi_default, NULL},
      {"download", NULL, js_download, NULL, NULL, NULL, napi_default, NULL},
      {"copy", NULL, js_copy, NULL, NULL, NULL, napi_default, NULL},
      {"memset0", NULL, js_memset0, NULL, NULL, NULL, napi_default, NULL},
      {"memInfo", NULL, js_mem_info, NULL, NULL, NULL, napi_default, NULL},
      {"synchronize", NULL, js_synchronize, NULL, NULL, NULL, napi_default, NULL},
      {"setMathMode", NULL, js_set_math_mode, NULL, NULL, NULL, napi_default, NULL},
      {"dgemm", NULL, js_dgemm, NULL, NULL, NULL, napi_default, NULL},
      {"sgemm", NULL, js_sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"dsyrk", NULL, js_dsyrk, NULL, NULL, NULL, napi_default, NULL},
      {"ssyrk", NULL, js_ssyrk, NULL, NULL, NULL, napi_default, NULL},
      {"dcopy", NULL, js_dcopy, NULL, NULL, NULL, napi_default, NULL},
      {"dpotrf", NULL, js_dpotrf, NULL, NULL, NULL, napi_default, NULL},
      {"dpotrs", NULL, js_dpotrs, NULL, NULL, NULL, napi_default, NULL},
      {"dgetrf", NULL, js_dgetrf, NULL, NULL, NULL, napi_default, NULL},
      {"dgetrs", NULL, js_dgetrs, NULL, NULL, NULL, napi_default, NULL},
      {"dsyevd", NULL, js_dsyevd, NULL, NULL, NULL, napi_default, NULL},
      {"dgesvd", NULL, js_dgesvd, NULL, NULL, NULL, napi_default, NULL},
      {"compile", NULL, js_compile, NULL, NULL, NULL, napi_default, NULL},
      {"launch", NULL, js_launch, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
