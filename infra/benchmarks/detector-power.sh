#!/usr/bin/env bash
# How well the verification suite's regression detector works, measured: its detection rate for regressions of known
# kind and graded size, and its false-alarm rate on clean runs. A benchmark, not a test: it prints figures and fails only
# when a command fails. Run as root from anywhere in the repository (the local testbed needs root):
#
#   infra/benchmarks/detector-power.sh [runs per cell] [scenario ...]      (defaults: 10, every scenario below)
#
# Each cell runs the performance part of the verification suite (the profile `dotnet test` runs; TESTBED_PROFILE picks
# another) on a stack of its own, `detector`, in a throw-away project whose baseline is
# verification/baselines/<TESTBED_BASELINE, default local>.json of DETECTOR_PROJECT (default this repository; a lab's
# project folder laid out the same way, with that stack, its inventory and baseline). The platform scenarios act on
# the gateways DETECTOR_HOSTS (default "gw-a gw-b") on their data NIC DETECTOR_NIC (default vec0). Scenarios:
#   clean                      the stack as the baseline's reference declares it (the false-alarm rate)
#   benign                     a declaration change that costs nothing (tcp_fin_timeout): the false-alarm rate when the
#                              reference is measured in the same run
#   mtu:<n>                    in the declaration, IPsec only: the link MTU lowered to n (IPsec pays per packet; plain IP
#                              on the guests' wire NIC (UML's vector driver) does not, TSO hands it 64 KiB segments whatever the MTU)
#   wmem:<n>                   in the declaration, all traffic: the send buffer's maximum (tcp_wmem) lowered to n bytes
#   espfilter:<n>              in the platform, IPsec only: a chain of n u32 filters that every ESP packet walks, on both
#                              gateways' data NIC (a firewall rule per protocol 50 packet), outside the declaration
#   busy:<percent>             in the platform, all traffic: a process on both gateways that spins <percent> of each
#                              100 ms at nice 0 (a neighbour on the box)
#   burst:<percent>:<seconds>  the same neighbour for the first <seconds> of the run only, then gone: a passing stretch of
#                              a slower machine, which a run against a recording must not call (its second look passes)
# Per scenario it prints: runs, detection (or false-alarm) rate with its exact 95 % interval (Clopper-Pearson), the size measured (the
# median over runs of the pooled IPsec suites' CPU-per-Mbit/s worsening, and of the ratio's), the smallest worsening each
# run could have detected (median), how many times the samples a run would need to detect DETECTOR_TARGET per cent
# (default 15) on the pooled CPU and ratio, which verdicts fired, and the wall time per run.
# Every run's results folder (samples.tsv, verdicts, results.json) and log are kept under runs/<n>-<scenario> in the
# throw-away project, so a run can be analysed or judged again without measuring it again. Scenarios may repeat, to interleave
# them over the hours of a day: `... 1 benign mtu:1250 benign mtu:1250`.
set -euo pipefail
runs=${1:-10}
shift || true
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(clean benign mtu:1400 mtu:1300 mtu:1100 mtu:900 wmem:262144 wmem:131072 wmem:98304 wmem:65536
             espfilter:100 espfilter:150 espfilter:300 espfilter:600 busy:10 busy:20 busy:35 busy:50)
fi
for s in "${scenarios[@]}"; do
  [[ $s =~ ^(clean|benign|mtu:[0-9]+|wmem:[0-9]+|espfilter:[0-9]+|busy:[0-9]+|burst:[0-9]+:[0-9]+)$ ]] ||
    { echo "unknown scenario '$s': clean, benign, mtu:<n>, wmem:<n>, espfilter:<n>, busy:<percent>, burst:<percent>:<seconds>" >&2; exit 2; }
done
baseline=${TESTBED_BASELINE:-local}
profile=${TESTBED_PROFILE:-quick}
nic=${DETECTOR_NIC:-vec0}
hosts=${DETECTOR_HOSTS:-gw-a gw-b}
target=${DETECTOR_TARGET:-15}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
src=$(cd "${DETECTOR_PROJECT:-$root}" && pwd)
cd "$root"
dotnet build -v q -nologo Provisioning.sln >/dev/null
# The table (infra/benchmarks/DetectorTable: rates with their exact 95 % interval from Perfolizer, medians per scenario)
# checks its target; asked now, on no runs, a wrong DETECTOR_TARGET stops the script before any host is touched.
table=(dotnet run --project infra/benchmarks/DetectorTable --no-build -- --target "$target")
"${table[@]}" /dev/null >/dev/null || { echo "(DETECTOR_TARGET)" >&2; exit 2; }
tb="$root/infra/Testbed/bin/Debug/net10.0/testbed"
[ -f "$src/stacks/Pulumi.$baseline.yaml" ] || { echo "no stacks/Pulumi.$baseline.yaml in $src" >&2; exit 2; }
[ -f "$src/verification/baselines/$baseline.json" ] || { echo "no verification/baselines/$baseline.json in $src: record it first (docs/thresholds.md)" >&2; exit 1; }

# The throw-away project: the source project's file, inventories, profiles, thresholds and baseline (profiles and
# thresholds from this repository where the source project has none), and the stack under test written below.
proj=$(mktemp -d /tmp/ipsec-testbed-detector-XXXXXX)
mkdir -p "$proj/stacks" "$proj/inventory" "$proj/verification/baselines" "$proj/verification/profiles"
cp "$src/Pulumi.yaml" "$proj/"; cp "$src"/inventory/*.yaml "$proj/inventory/"
cp verification/profiles/*.json "$proj/verification/profiles/"; cp verification/thresholds.json "$proj/verification/"
if [ -d "$src/verification/profiles" ]; then cp "$src"/verification/profiles/*.json "$proj/verification/profiles/" 2>/dev/null || true; fi
if [ -f "$src/verification/thresholds.json" ]; then cp "$src/verification/thresholds.json" "$proj/verification/"; fi
cp "$src/verification/baselines/$baseline.json" "$proj/verification/baselines/$baseline.json"
out="$proj/runs.tsv"
log="$proj/run.log"
finish() {
  platform_off >/dev/null 2>&1 || true
  (cd "$proj" && "$tb" destroy --stack detector --yes >/dev/null 2>&1) || echo "destroy --stack detector failed; run it in $proj" >&2
  echo "raw results: $out, each run's samples and verdicts in $proj/runs/<n>-<scenario>"
}
trap finish EXIT

# The stack file of a scenario: the repository's stack named by the baseline, with the declaration change if any.
write_stack() {
  local scenario=$1 kind=${1%%:*} value=${1#*:}
  cp "$src/stacks/Pulumi.$baseline.yaml" "$proj/stacks/Pulumi.detector.yaml"
  case $kind in
    mtu) sed -i "s/^\(  ipsec-testbed:mtu:\).*/\1 $value/" "$proj/stacks/Pulumi.detector.yaml" ;;
    wmem) printf '  ipsec-testbed:sysctl:\n    net.ipv4.tcp_wmem: 87380 %s %s\n' "$value" "$value" >>"$proj/stacks/Pulumi.detector.yaml" ;;
    benign) printf '  ipsec-testbed:sysctl:\n    net.ipv4.tcp_fin_timeout: "45"\n' >>"$proj/stacks/Pulumi.detector.yaml" ;;
  esac
}

ssh_both() { for h in $hosts; do (cd "$proj" && "$tb" ssh --stack detector "$h" -- "$1") >/dev/null; done; }

# Platform regressions go in after the stack is up, behind the tool's back; they come out after the run.
platform_on() {
  local kind=${1%%:*} value=${1#*:}
  case $kind in
    espfilter)
      # One u32 classifier with n nodes matching ESP and continuing; chain 0 jumps to it. Built with one tc -batch.
      ssh_both "modprobe -a sch_ingress cls_u32 act_gact; tc qdisc del dev $nic clsact 2>/dev/null; tc qdisc add dev $nic clsact && {
        for d in ingress egress; do echo \"filter add dev $nic \$d chain 7 prio 1 protocol ip u32\";
          i=1; while [ \$i -le $value ]; do echo \"filter add dev $nic \$d chain 7 prio 1 protocol ip u32 match ip protocol 50 0xff action continue\"; i=\$((i+1)); done;
          echo \"filter add dev $nic \$d prio 1 protocol ip u32 match u32 0 0 action goto chain 7\"; done; } > /tmp/tb-esp.batch && tc -batch /tmp/tb-esp.batch" ;;
    busy|burst)
      # perl (in every Debian, perl-base) with Time::HiRes: busy for <percent> of each 100 ms, asleep the rest; a burst
      # stops after its seconds (from now: the run's first look starts some 10 s later).
      local percent=${value%%:*} seconds=0
      [ "$kind" = burst ] && seconds=${value#*:}
      ssh_both "nohup perl -MTime::HiRes=time,sleep -e '(\$d, \$s) = @ARGV; \$end = \$s ? time + \$s : 9e99; while (time < \$end) { \$t = time; 1 while time - \$t < 0.1 * \$d / 100; sleep 0.1 * (100 - \$d) / 100 }' $percent $seconds </dev/null >/dev/null 2>&1 & echo \$! > /tmp/tb-busy.pid" ;;
  esac
}
platform_off() {
  ssh_both "tc qdisc del dev $nic clsact 2>/dev/null; [ -f /tmp/tb-busy.pid ] && kill \$(cat /tmp/tb-busy.pid) 2>/dev/null; rm -f /tmp/tb-busy.pid /tmp/tb-esp.batch; true"
}

echo -e "scenario\trun\twall_s\tdetected\tfired\tcpu_pooled\tratio_pooled\tdetectable_cpu\tdetectable_ratio\tsame_run\tretries\tnot_judged\tthreshold_cpu\tthreshold_ratio\tlooks\tfirst_look_fired" >"$out"
kept=0
for scenario in "${scenarios[@]}"; do
  write_stack "$scenario"
  for i in $(seq "$runs"); do
    (cd "$proj" && "$tb" up --stack detector --yes >>"$log" 2>&1) || { tail -20 "$log" >&2; echo "up failed ($scenario)" >&2; exit 1; }
    platform_on "$scenario"
    start=$(date +%s)
    set +e
    TESTBED_ROOT="$proj" TESTBED_STACK=detector TESTBED_BASELINE="$baseline" TESTBED_PROFILE="$profile" TESTBED_KEEP=1 \
      TESTBED_FAULTS=0 TESTBED_BENCH=0 TESTBED_STANDIN=0 \
      dotnet test verification/Verification.csproj --no-build -nologo \
        --filter "FullyQualifiedName~Verification.Performance&FullyQualifiedName!~Wire" \
        --results-directory "$proj/verification/results" >"$log.run" 2>&1
    set -e
    wall=$(( $(date +%s) - start ))
    platform_off
    # Each run's results folder and its own log are kept under runs/, whatever came of the run.
    kept=$((kept + 1)); dir="$proj/runs/$kept-$scenario"; mkdir -p "$dir"
    tsv=$(ls -t "$proj"/verification/results/*-detector-*/verdicts.tsv 2>/dev/null | head -1)
    if [ -n "$tsv" ]; then mv "$(dirname "$tsv")"/* "$dir/" && rmdir "$(dirname "$tsv")"; tsv="$dir/verdicts.tsv"; fi
    cat "$log.run" >>"$log"; mv "$log.run" "$dir/run.log"
    if [ -z "$tsv" ] || grep -q '^Setup failed for test fixture' "$dir/run.log"; then
      # The measuring itself failed (a netperf that failed, a gateway that stopped answering), whatever verdicts the
      # samples before it allowed: CI would fail such a run, so it counts as failed, not as "not called". The next run
      # gets fresh guests, so one wedged guest does not spoil the rest of the table.
      printf '%s\t%d\t%d\t0\t-\t\t\t\t\t\t\t0\t\t\t\t\n' "$scenario" "$i" "$wall" >>"$out"
      tail -1 "$out"; echo "run $kept ($scenario) failed to measure: $(grep -m1 -o 'Exception : .*' "$dir/run.log" | cut -c1-160)" >&2
      (cd "$proj" && "$tb" destroy --stack detector --yes >>"$log" 2>&1) || true
      continue
    fi
    awk -F'\t' -v s="$scenario" -v i="$i" -v w="$wall" '
      /^# / { for (f = 2; f <= NF; f++) ; split($0, h, " "); for (k in h) { if (h[k] ~ /^same_run_reference=/) sr = substr(h[k], 20); if (h[k] ~ /^retries=/) rt = substr(h[k], 9)
                                                  if (h[k] ~ /^looks=/) lk = substr(h[k], 7); if (h[k] ~ /^first_look_fired=/) ff = substr(h[k], 18) } next }
      $1 == "protection" { next }
      { if ($5 == "yes") { det = 1; fired = fired (fired ? "," : "") $1 ":" $4 }
        if ($5 == "not-judged") nj++
        if ($1 == "ipsec (pooled)" && $4 == "cpu") { cpu = $6; dcpu = $11; tcpu = $9 }
        if ($1 == "ipsec (pooled)" && $4 == "ratio") { ratio = $6; dratio = $11; tratio = $9 } }
      END { printf "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", s, i, w, det, (fired ? fired : "-"), cpu, ratio, dcpu, dratio, sr, rt, nj, tcpu, tratio, lk, ff }' "$tsv" >>"$out"
    tail -1 "$out"
  done
done

echo
printf '%s\n' "profile $profile on $(nproc) cores, baseline $baseline, $runs runs per scenario; $(date -u +%Y-%m-%dT%H:%MZ)"
"${table[@]}" "$out"
