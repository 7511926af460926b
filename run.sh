#!/usr/bin/env bash
# Sets up, builds the kernel ISO, and boots it in QEMU with a virtio-net NIC on QEMU's user network,
# showing the boot log (PCI devices included). Extra arguments go to `cosmos-runner run`
# (e.g. --modern, --keep-running, --cmdline "test=all").
set -euo pipefail
cd "$(dirname "$0")"
Build/setup.sh
dotnet build Cosmos.sln --nologo --verbosity quiet -p:Configuration=Release
dotnet run --project Tools/TestRunner -c Release --no-build -- run "$@"
