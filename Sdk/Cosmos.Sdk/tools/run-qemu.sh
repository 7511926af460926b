#!/usr/bin/env bash
# Boots an application image (what `dotnet run` does for a project on Cosmos.Sdk):
#   run-qemu.sh ISO HOSTFWD MEMORY_MIB KERNEL_OPTIONS [program arguments...]
# A virtio-net NIC on QEMU's user network (the guest gets 10.0.2.15 by DHCP), HOSTFWD as QEMU hostfwd rules
# (comma-separated, e.g. tcp::8080-:80), the serial console here, the program's arguments after "--" on the kernel
# command line (given through fw_cfg, which the kernel prefers to GRUB's line). Ctrl-A X ends QEMU. The exit code is
# the program's: 0 when Main returned 0, 1 otherwise (QEMU's isa-debug-exit gives 33 and 35).
set -uo pipefail
iso=$1; forwards=$2; memory=$3; options=$4; shift 4
[ -f "$iso" ] || { echo "run-qemu.sh: no image at $iso (build the project first)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "run-qemu.sh: qemu-system-x86_64 not found (sudo apt-get install -y qemu-system-x86)" >&2; exit 2; }
netdev="user,id=net0"
IFS=',' read -ra rules <<< "$forwards"
for rule in "${rules[@]}"; do [ -n "$rule" ] && netdev="$netdev,hostfwd=$rule"; done
cmdline="$options"
if [ $# -gt 0 ]; then cmdline="$cmdline -- $*"; fi
echo "booting $iso (accelerator ${COSMOS_ACCEL:-tcg}; forwarded: ${forwards:-none}; Ctrl-A X quits)" >&2
fwcfg=()
# QEMU's option parser splits at commas: a literal comma is written twice. An empty line is left out (QEMU refuses it).
[ -n "${cmdline// /}" ] && fwcfg=(-fw_cfg "name=opt/kernel/cmdline,string=${cmdline//,/,,}")
qemu-system-x86_64 -accel "${COSMOS_ACCEL:-tcg}" -m "$memory" -cdrom "$iso" -boot d -display none -no-reboot \
    -serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -netdev "$netdev" -device virtio-net-pci,netdev=net0 "${fwcfg[@]}"
code=$?
case $code in
    33) exit 0 ;;
    35) exit 1 ;;
    *) exit $code ;;
esac
