#!/usr/bin/env bash
# The dom0 stress experiment (dom0-stress.sh) on the lane's emulated machine, in place of the lane's checks: about
# 6 minutes. Prints how many of its rounds gave a wrong digest; exit status 0 only if none did. XEN_LANE_FPU=lazy runs
# Xen with its own default FPU switching instead of the lane's eager one, to see the loss that eager-fpu cures
# (README, "Known issues"). Usage: run-stress.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
XEN_LANE_DOM0_SCRIPT=Tools/XenLane/dom0-stress.sh XEN_LANE_ATTEMPTS=1 XEN_LANE_SILENCE=900 \
    Tools/XenLane/run-lane.sh pvh 900 >/dev/null 2>&1
log=results/xen-lane-pvh.log
grep -a "^XEN-LANE: \(loop\|guest\|reference\)" "$log" | tr -d '\r' | sed 's/^XEN-LANE: /dom0 stress: /'
result=$(grep -a "^XEN-LANE STRESS " "$log" | tr -d '\r' | tail -1)
fpu=eager; [ "${XEN_LANE_FPU:-eager}" = lazy ] && fpu=lazy
if [ -z "$result" ]; then echo "dom0 stress (Xen's FPU switching: $fpu): no result; the console is in $log"; exit 1; fi
set -- $result
echo "dom0 stress (Xen's FPU switching: $fpu): $3 rounds, $4 wrong"
[ "$4" -eq 0 ]
