#!/usr/bin/env bash
# Wall times of the provisioning engine on a stack (default: local). A benchmark, not a test: it prints
# figures and fails only if a command fails. Run as root from anywhere in the repository:
#   infra/benchmarks/provisioning-times.sh [stack] [no-op repeats]
# It ends with the stack destroyed, whatever state it found it in.
set -euo pipefail
stack=${1:-local}
repeats=${2:-5}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
dotnet build -v q -nologo infra/Testbed >/dev/null
tb="$root/infra/Testbed/bin/Debug/net10.0/testbed"

# Seconds a command takes (the tool's own output goes to a log, shown only when it fails).
log=$(mktemp)
engine=$(mktemp)
trap 'rm -f "$log" "$engine"' EXIT
timed() {
  local start end
  start=$(date +%s.%N)
  if ! "$@" >"$log" 2>&1; then cat "$log" >&2; echo "failed: $*" >&2; exit 1; fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

"$tb" destroy --stack "$stack" --yes >/dev/null 2>&1 || true

first=$(timed "$tb" up --stack "$stack" --yes)

# Guests running, nothing provisioned: reboot both kernels behind the tool's back, wait for sshd.
for host in gw-a gw-b; do
  "$tb" ssh "$host" --stack "$stack" -- '(sleep 0.3; echo b > /proc/sysrq-trigger) >/dev/null 2>&1 &' >/dev/null
done
sleep 2
until "$tb" ssh gw-a --stack "$stack" -- true >/dev/null 2>&1 && "$tb" ssh gw-b --stack "$stack" -- true >/dev/null 2>&1; do sleep 1; done
cold=$(timed "$tb" up --stack "$stack" --yes)
grep -q "changed" "$log" || { echo "cold up changed nothing: the reboot did not reset the guests" >&2; exit 1; }

# Each no-op run also gives the engine's own figure, without the .NET start-up: the "Duration:" line it prints.
noop=$(for _ in $(seq "$repeats"); do
  timed "$tb" up --stack "$stack" --yes
  grep -q "no changes" "$log" || { echo "a no-op up changed something" >&2; exit 1; }
  sed -n 's/^Duration: \([0-9.]*\)s/\1/p' "$log" >>"$engine"
done | median)
noop_engine=$(median <"$engine")

destroy=$(timed "$tb" destroy --stack "$stack" --yes)

printf '%-58s %8s\n' "stack $stack, $(nproc) cores" "seconds"
printf '%-58s %8.2f\n' "first up (boot two guests + provision both)" "$first"
printf '%-58s %8.2f\n' "cold up (guests running, nothing provisioned)" "$cold"
printf '%-58s %8.2f\n' "no-op up, whole command (median of $repeats)" "$noop"
printf '%-58s %8.2f\n' "no-op up, engine time both hosts (median of $repeats; goal < 1)" "$noop_engine"
printf '%-58s %8.2f\n' "destroy" "$destroy"
