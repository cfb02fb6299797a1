#!/usr/bin/env bash
# A no-op `up` against its floor, side by side in one run. A benchmark, not a test: it prints figures and fails only
# if a command fails (or a run it times is not what it claims to be). Run as root from anywhere in the repository:
#   infra/benchmarks/noop-up-vs-floor.sh [stack] [pairs] [native|jit]        (defaults: local, 15, native)
#
#   A = a no-op `up --stack S --yes`: the whole command, as a user runs it, by the native executable that
#       infra/publish-native.sh makes (Native AOT; published first, which rebuilds only what changed), or with `jit`
#       by the apphost of `dotnet build` (JIT). The script prints which file it times.
#   B = the floor: one OpenSSH session per gateway, both at once, each running the very read script `up` composes
#       for that gateway (captured with TESTBED_TRACE_DIR), through the same endpoint, key and pinned host key.
# A and B alternate, so drift in the machine's load hits both alike; the verdict is on the median of the pairwise
# ratios A/B against 1.2. Wall and CPU (user+sys of the command and its children) come from /usr/bin/time.
# The stack is left as found: one that was running stays running; one this script had to bring up is destroyed.
set -euo pipefail
stack=${1:-local}
pairs=${2:-15}
build=${3:-native}
goal=1.2
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
case "$build" in
  native) tb=$(infra/publish-native.sh); what="native executable (Native AOT)" ;;
  jit) dotnet build -v q -nologo infra/Testbed >/dev/null; tb="$root/infra/Testbed/bin/Debug/net10.0/testbed"; what="apphost of dotnet build (JIT)" ;;
  *) echo "the build to time is native or jit, not '$build'" >&2; exit 2 ;;
esac
echo "A times ${tb#"$root"/}: $what, built $(date -r "$tb" '+%Y-%m-%d %H:%M:%S') from $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- infra/Testbed || echo ' with changes')"

work=$(mktemp -d)
brought_up=0
finish() {
  if [ "$brought_up" = 1 ]; then
    "$tb" destroy --stack "$stack" --yes >"$work/destroy.log" 2>&1 || { cat "$work/destroy.log" >&2; echo "destroy --stack $stack failed" >&2; }
  fi
  rm -rf "$work"
}
trap finish EXIT

# The gateways of the stack and whether each is running, from `status --json` (its "hosts" list).
hosts_running() {
  "$tb" status --stack "$stack" --json 2>/dev/null | awk '
    /^  "hosts": \[/ { inside = 1; next }
    inside && /^  \]/ { inside = 0 }
    inside && /"name":/ { gsub(/[",]/, "", $2); name = $2 }
    inside && /"running":/ { gsub(/,/, "", $2); print name, $2 }'
}
if hosts_running | awk '$2 != "true" { bad = 1 } END { exit (NR == 0 || bad) }'; then
  echo "stack $stack is running; it stays running"
else
  echo "stack $stack is not running; bringing it up (it is destroyed at the end)"
  brought_up=1
fi

# Bring it up (or to what it declares), and capture the read script each gateway gets.
if ! TESTBED_TRACE_DIR="$work/scripts" "$tb" up --stack "$stack" --yes >"$work/up.log" 2>&1; then
  cat "$work/up.log" >&2; echo "up --stack $stack failed" >&2; exit 1
fi
gateways=$(hosts_running | awk '{ print $1 }')
for gw in $gateways; do
  [ -s "$work/scripts/$gw.read.sh" ] || { echo "no read script captured for $gw" >&2; exit 1; }
done

# B: every gateway's session at once, each with its own read script as the remote command; B is done when all are.
# `testbed ssh HOST` without a command prints the ssh(1) command line for the host (endpoint, key, known_hosts; a
# stack without a known_hosts file adds a comment, cut here: ssh then needs the key in the user's own known_hosts).
# Each session is a fresh one (no multiplexing) and never prompts.
for gw in $gateways; do
  line=$("$tb" ssh "$gw" --stack "$stack")
  read -r -a cmd <<<"${line%%#*}"
  [ "${cmd[0]:-}" = ssh ] || { echo "no ssh command line for $gw: $line" >&2; exit 1; }
  printf '%q ' ssh -o BatchMode=yes -o ControlMaster=no -o ControlPath=none "${cmd[@]:1}"
  printf '%q >%q 2>&1 &\n' "$(cat "$work/scripts/$gw.read.sh")" "$work/$gw.out"
done >"$work/floor.sh"
echo wait >>"$work/floor.sh"

# One timed run: "wall user+sys" in seconds; the command's output goes to a log that is checked.
timed() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; echo "failed: $*" >&2; exit 1; }
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time"
}
run_a() {
  timed "$tb" up --stack "$stack" --yes
  grep -q "no changes" "$work/log" || { cat "$work/log" >&2; echo "an up that should change nothing changed something" >&2; exit 1; }
}
run_b() {
  timed bash "$work/floor.sh"
  for gw in $gateways; do
    # Every read script ends by printing its end marker: a session that did not get there did not do all the reads.
    tail -n 1 "$work/$gw.out" | grep -q -- ' end$' || { cat "$work/$gw.out" >&2; echo "the floor's read on $gw did not finish" >&2; exit 1; }
  done
}

run_a >/dev/null; run_b >/dev/null   # one of each untimed: caches warm for both
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/pairs"
for i in $(seq "$pairs"); do
  a=$(run_a); b=$(run_b)
  echo "$a $b" >>"$work/pairs"   # wallA cpuA wallB cpuB
done

# Median, min and max of one column of the pairs file.
stats() { awk -v c="$1" '{ print $c }' "$work/pairs" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%7.3f %7.3f %7.3f", m, v[1], v[NR] }'; }
ratio=$(awk '{ print $1 / $3 }' "$work/pairs" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')

echo
echo "stack $stack, $(nproc) cores, load average $load_start at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end, $pairs pairs A,B in turn"
printf '%-52s %23s   %23s\n' "" "wall s (median min max)" "cpu s (median min max)"
printf '%-52s %s   %s\n' "A  no-op up, whole command ($build)" "$(stats 1)" "$(stats 2)"
printf '%-52s %s   %s\n' "B  floor: one OpenSSH session per gateway, same reads" "$(stats 3)" "$(stats 4)"
verdict=$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r <= g ? "within" : "NOT within") }')
echo "median of pairwise wall ratios A/B: $ratio ($verdict ${goal}x of the floor)"
