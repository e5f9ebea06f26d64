#!/usr/bin/env bash
# GPU smoke and benchmark of nclab's `cuda` linear-algebra path: lists the GPU, driver and CUDA
# libraries, runs the backend linear-algebra contract tests on `cuda`, times float64/float32/TF32 GEMM
# at 8192³, the kernel block and potrf at N = 20,000, runs the main job and one Deep RFM layer on all
# 60,000 MNIST training points with --linalg cuda, and writes OUT/gpu-smoke.json. Fits one 10-minute run.
#
#   tools/gpu/smoke.sh [OUT]          (OUT defaults to $OUT, else ./gpu-smoke)
#
# Two modes, chosen automatically (NCLAB_SMOKE_MODE=bundle forces the bundle):
#   source  a checkout with node_modules (npm ci) and Node ≥ 20.16: runs the TypeScript sources (tsx, vitest);
#   bundle  no node_modules: runs tools/gpu/bundle/ made by `node tools/gpu/pack.mjs [--node]` on a
#           machine that has them (carry tools/gpu/bundle along; it is git-ignored).
# Node is taken from $NODE, else PATH, else tools/gpu/bundle/node.tar.xz (pack.mjs --node), else a
# shared/node*/bin/node or shared/node-*.tar.{xz,gz} (an official Node tarball) next to the repository.
# CUDA libraries: the driver's libcuda.so.1 from the system; cuBLAS/cuSOLVER/NVRTC from
# NCLAB_CUDA_LIB_DIR, LD_LIBRARY_PATH, the system, /usr/local/cuda*, or Python nvidia-* wheels (this
# script adds the wheel folders of `python3`'s site-packages to NCLAB_CUDA_LIB_DIR).
set -u
start=$(date +%s)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-${OUT:-$repo/gpu-smoke}}
mkdir -p "$out"
log() { echo "gpu-smoke: $*" >&2; }

# --- Node ---------------------------------------------------------------------------------------
node=${NODE:-}
[ -z "$node" ] && node=$(command -v node || true)
unpack() { mkdir -p /tmp/nclab-node && tar -C /tmp/nclab-node -xf "$1" && find /tmp/nclab-node -path '*/bin/node' -type f | head -n 1; }
if [ -z "$node" ] && [ -f "$here/bundle/node.tar.xz" ]; then node=$(unpack "$here/bundle/node.tar.xz"); fi
if [ -z "$node" ]; then
  for cand in "$repo"/shared/node*/bin/node; do [ -x "$cand" ] && node=$cand && break; done
fi
if [ -z "$node" ]; then
  for tarball in "$repo"/shared/node-*.tar.xz "$repo"/shared/node-*.tar.gz; do [ -f "$tarball" ] && node=$(unpack "$tarball") && break; done
fi
if [ -z "$node" ] || ! "$node" --version >/dev/null 2>&1; then
  log "no Node found: set NODE, put node on PATH, or pack one with 'node tools/gpu/pack.mjs --node'"
  echo '{"ok":false,"error":"no Node"}' > "$out/gpu-smoke.json"
  exit 2
fi
export PATH="$(dirname "$node"):$PATH"
log "node $("$node" --version) ($node)"

# --- what the machine has -----------------------------------------------------------------------
{ nvidia-smi || echo "nvidia-smi not available"; } > "$out/nvidia-smi.txt" 2>&1
{
  echo "# libcuda"; ls -l /usr/lib/x86_64-linux-gnu/libcuda.so* /usr/lib64/libcuda.so* 2>/dev/null
  echo "# toolkits"; ls -d /usr/local/cuda* 2>/dev/null
  echo "# python wheels"
} > "$out/libraries.txt"
if command -v python3 >/dev/null 2>&1; then
  sites=$(python3 -c 'import site, sys; print("\n".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null | sort -u)
  extra=""
  for s in $sites; do
    for d in "$s"/nvidia/cu13/lib "$s"/nvidia/cublas/lib "$s"/nvidia/cusolver/lib "$s"/nvidia/cuda_nvrtc/lib "$s"/nvidia/cuda_runtime/lib; do
      [ -d "$d" ] && extra="$extra:$d" && ls -l "$d" >> "$out/libraries.txt" 2>&1
    done
  done
  [ -n "$extra" ] && export NCLAB_CUDA_LIB_DIR="${NCLAB_CUDA_LIB_DIR:-}${extra}" && NCLAB_CUDA_LIB_DIR=${NCLAB_CUDA_LIB_DIR#:}
fi
log "NCLAB_CUDA_LIB_DIR=${NCLAB_CUDA_LIB_DIR:-}"

# --- mode ---------------------------------------------------------------------------------------
if [ "${NCLAB_SMOKE_MODE:-}" != bundle ] && [ -d "$repo/node_modules/tsx" ] && [ -d "$repo/node_modules/vitest" ]; then
  mode=source
  [ -f "$("$node" "$repo/packages/backend/native/build.mjs" --print-dir)/nclab_cuda.node" ] || "$node" "$repo/packages/backend/native/build.mjs" --force
  script="$here/smoke.mjs"
  runner=("$node" --conditions=@nclab/source --import tsx)
elif [ -f "$here/bundle/smoke.mjs" ]; then
  mode=bundle
  export NCLAB_CUDA_ADDON="$here/bundle/nclab_cuda.node" NCLAB_NATIVE_ADDON="$here/bundle/nclab_blas.node"
  export NCLAB_MNIST_DIR="$here/bundle/mnist" NCLAB_REPO="$repo"
  script="$here/bundle/smoke.mjs"
  runner=("$node")
else
  log "neither node_modules nor tools/gpu/bundle: run 'npm ci' or 'node tools/gpu/pack.mjs' first"
  echo '{"ok":false,"error":"nothing to run"}' > "$out/gpu-smoke.json"
  exit 2
fi
export NCLAB_QUIET=1
budget=$(( 570 - ($(date +%s) - start) ))
log "mode $mode, budget ${budget}s, report $out/gpu-smoke.json"
cd "$repo" && "${runner[@]}" "$script" --out "$out" --mode "$mode" --budget "$budget"
