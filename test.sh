#!/usr/bin/env bash
# Runs every test: the host tests (xunit, the kernel's shared sources against the BCL) and the QEMU
# boots of the kernel (cosmos-runner test). Ends with one line "N passed, N failed"; exits non-zero on
# any failure.
set -uo pipefail
cd "$(dirname "$0")"
Build/setup.sh || exit 1
dotnet build Cosmos.sln --nologo --verbosity quiet -p:Configuration=Release || { echo "0 passed, 1 failed"; exit 1; }

# The accelerator is decided once for the whole run (KVM only where a probe boot shows it can run this kernel;
# COSMOS_ACCEL or --accel override) and handed to the runner, the Xen lane and anything else that starts QEMU.
accel_request=()
prev=""
for a in "$@"; do
    case "$a" in --accel=*) accel_request=(--accel "${a#--accel=}") ;; esac
    [ "$prev" = --accel ] && accel_request=(--accel "$a")
    prev=$a
done
accel_line=$(dotnet run --project Tools/TestRunner -c Release --no-build -- accel "${accel_request[@]}") || { echo "$accel_line"; echo "0 passed, 1 failed"; exit 1; }
echo "$accel_line"
COSMOS_ACCEL=$(echo "$accel_line" | sed -n 's/^accelerator: \([a-z]*\) .*/\1/p')
COSMOS_ACCEL_REASON=$(echo "$accel_line" | sed -n 's/^accelerator: [a-z]* (\(.*\))$/\1/p')
export COSMOS_ACCEL COSMOS_ACCEL_REASON

host_log=$(mktemp)
dotnet test Tests/HostTests -c Release --no-build --nologo 2>&1 | tee "$host_log"
host_status=${PIPESTATUS[0]}
host_line=$(grep -E "(Passed|Failed)!  - Failed:" "$host_log" | tail -1)
host_failed=$(echo "$host_line" | sed -E 's/.*Failed: *([0-9]+).*/\1/')
host_passed=$(echo "$host_line" | sed -E 's/.*Passed: *([0-9]+).*/\1/')
[ -n "$host_line" ] || { host_failed=1; host_passed=0; }
[ "$host_status" -eq 0 ] || [ "$host_failed" -gt 0 ] || host_failed=1

qemu_log=$(mktemp)
dotnet run --project Tools/TestRunner -c Release --no-build -- test "$@" 2>&1 | tee "$qemu_log"
qemu_status=${PIPESTATUS[0]}
qemu_line=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$qemu_log" | tail -1)
qemu_passed=$(echo "$qemu_line" | sed -E 's/^([0-9]+) passed.*/\1/')
qemu_failed=$(echo "$qemu_line" | sed -E 's/.* ([0-9]+) failed$/\1/')
[ -n "$qemu_line" ] || { qemu_passed=0; qemu_failed=1; }
[ "$qemu_status" -eq 0 ] || [ "$qemu_failed" -gt 0 ] || qemu_failed=1

# The real-Xen lane: Xen 4.17 and a Linux dom0 inside QEMU (software emulation), our kernel as an HVM guest
# (the ISO, through SeaBIOS and GRUB) and then as a PVH guest (the ELF), each with a PV vif on dom0's
# bridge; dom0 checks xenbus, DHCP, ping, UDP/TCP echo and HTTP. COSMOS_SKIP_XEN=1 leaves it out (it
# needs about 3-4 minutes, plus about 5 the first time to build the dom0 image).
xen_passed=0; xen_failed=0; xen_failures=
if [ "${COSMOS_SKIP_XEN:-0}" != 1 ]; then
    for mode in hvm pvh; do
        xen_log=$(mktemp)
        Tools/XenLane/run-lane.sh $mode 2>&1 | tee "$xen_log"
        xen_line=$(grep -E "^xen-lane: [0-9]+ checks passed, [0-9]+ failed$" "$xen_log" | tail -1)
        xen_failures="$xen_failures$(grep -E "^xen-lane: failed: " "$xen_log" | sed "s/^xen-lane: failed: /real Xen ($mode) failed: /" | cut -c1-300)
"
        if [ -n "$xen_line" ]; then
            xen_passed=$((xen_passed + $(echo "$xen_line" | sed -E 's/^xen-lane: ([0-9]+) checks.*/\1/')))
            xen_failed=$((xen_failed + $(echo "$xen_line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
        else
            xen_failed=$((xen_failed + 1))
        fi
    done
fi

echo
# Which checks failed, at the end where a log's tail shows them (CI keeps only the tail).
grep -E "^ *Failed [A-Za-z]" "$host_log" | tail -20
grep -E "^FAIL " "$qemu_log" | tail -20
printf '%s' "$xen_failures" | grep .
echo "host tests: $host_passed passed, $host_failed failed; QEMU boots: $qemu_passed passed, $qemu_failed failed; real Xen: $xen_passed passed, $xen_failed failed"
echo "$((host_passed + qemu_passed + xen_passed)) passed, $((host_failed + qemu_failed + xen_failed)) failed"
[ "$host_failed" -eq 0 ] && [ "$qemu_failed" -eq 0 ] && [ "$xen_failed" -eq 0 ]
