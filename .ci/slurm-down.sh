#!/usr/bin/env bash
# Stops the cluster started by slurm-up.sh: slurmd, slurmctld, munged (by their pid files only).
# Usage: .ci/slurm-down.sh [STATE_DIR]   (default: $NCLAB_SLURM_DIR, else /tmp/nclab-slurm)
set -uo pipefail
S="${1:-${NCLAB_SLURM_DIR:-/tmp/nclab-slurm}}"
for pidfile in "$S/slurmd.pid" "$S/slurmctld.pid" "$S/munge/munged.pid"; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done
echo "slurm-down: stopped the cluster in $S"
