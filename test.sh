#!/usr/bin/env bash
# Runs every test: the host tests (xunit, the kernel's shared sources against the BCL) and the QEMU
# boots of the kernel (cosmos-runner test). Ends with one line "N passed, N failed"; exits non-zero on
# any failure.
set -uo pipefail
cd "$(dirname "$0")"
Build/setup.sh || exit 1
dotnet build Cosmos.sln --nologo --verbosity quiet -p:Configuration=Release || { echo "0 passed, 1 failed"; exit 1; }

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

echo
echo "host tests: $host_passed passed, $host_failed failed; QEMU boots: $qemu_passed passed, $qemu_failed failed"
echo "$((host_passed + qemu_passed)) passed, $((host_failed + qemu_failed)) failed"
[ "$host_failed" -eq 0 ] && [ "$qemu_failed" -eq 0 ]
