#!/usr/bin/env bash
# Installs what building and booting the kernel needs on Debian 12, then restores NuGet packages.
# Safe to run again: apt-get runs only when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The kernel's build and QEMU; then the tap lane's real peers (iproute2 for namespaces and taps, dnsmasq for DHCP
# and DNS, tcpdump for the pcap, ping, curl and wrk as clients; redis-cli and redis-benchmark for the key-value sample).
packages=(nasm binutils grub-common grub-pc-bin xorriso mtools qemu-system-x86 libpcap0.8
          iproute2 dnsmasq-base tcpdump iputils-ping curl wrk redis-tools)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)." >&2
    exit 1
fi
dotnet restore Cosmos.sln --verbosity quiet
