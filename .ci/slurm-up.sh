#!/usr/bin/env bash
# Starts a single-node Slurm cluster (munge + slurmctld + slurmd) in a scratch directory, as root and
# without systemd (recipe: shared/slurm-single-node.md). Idempotent: a running cluster is left as it is.
# Writes the config to $S/slurm.conf; callers export SLURM_CONF=$S/slurm.conf themselves (nothing global).
# Usage: .ci/slurm-up.sh [STATE_DIR]   (default: $NCLAB_SLURM_DIR, else /tmp/nclab-slurm)
set -euo pipefail
S="${1:-${NCLAB_SLURM_DIR:-/tmp/nclab-slurm}}"
export SLURM_CONF="$S/slurm.conf"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

for bin in munged slurmctld slurmd sinfo; do
  command -v "$bin" >/dev/null 2>&1 || { echo "slurm-up: $bin not found (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 1; }
done

mkdir -p "$S/munge" "$S/spool" "$S/save" "$S/log"
chmod 700 "$S/munge"
if [ ! -f "$S/munge/munge.key" ]; then
  head -c 1024 /dev/urandom > "$S/munge/munge.key"
  chmod 400 "$S/munge/munge.key"
fi

host="$(hostname -s)"
cat > "$S/slurm.conf.new" <<CONF
ClusterName=nclab-ci
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge/munge.socket
StateSaveLocation=$S/save
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
# test all pending jobs every 2 s (default 60): a requeued task whose begin time passes starts at once
SchedulerParameters=sched_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
MaxArraySize=1001
MinJobAge=600
NodeName=${host} NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
mv "$S/slurm.conf.new" "$S/slurm.conf"

if ! alive "$S/munge/munged.pid"; then
  munged --force --key-file="$S/munge/munge.key" --socket="$S/munge/munge.socket" \
    --pid-file="$S/munge/munged.pid" --log-file="$S/log/munged.log" --seed-file="$S/munge/seed"
fi
if ! alive "$S/slurmctld.pid"; then slurmctld -i; fi
if ! alive "$S/slurmd.pid"; then slurmd; fi

for _ in $(seq 1 100); do
  state="$(sinfo -h -o %T 2>/dev/null | head -n 1 || true)"
  case "$state" in idle|mixed|allocated) break ;; esac
  sleep 0.2
done
echo "slurm-up: SLURM_CONF=$SLURM_CONF"
sinfo -o '%P %a %D %T %c %N'
case "${state:-}" in idle|mixed|allocated) ;; *) echo "slurm-up: the node did not become idle (state: ${state:-none}); logs in $S/log" >&2; exit 1 ;; esac
