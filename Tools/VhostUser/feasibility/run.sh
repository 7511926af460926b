#!/bin/bash
# One vhost-user trial as recorded in ../FEASIBILITY.md: our back end on a Unix socket, then QEMU (TCG) booting the
# project's ISO with a virtio-net-pci device on -netdev vhost-user. Logs go to $OUT/NAME/.
# usage: run.sh NAME QEMU_BINARY DEVICE_EXTRA BACKEND_EXTRA
#   DEVICE_EXTRA: appended to -device virtio-net-pci (e.g. ",vectors=0"); BACKEND_EXTRA: e.g. --no-protocol-features
# QEMU_EXTRA (environment): more QEMU arguments, e.g. a -monitor for set_link.
# Run feasibility/peer.py alongside for traffic (it talks UDP 127.0.0.1:40002 <-> 40001).
# Build first: dotnet build Tools/VhostUser -c Release
set -u
NAME=$1; QEMU=$2; DEVX=$3; BEX=$4
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/vhost-user-feasibility}
ISO=${ISO:-/work/main/iso/cosmos-net.iso}
D=$OUT/$NAME; mkdir -p "$D"; SOCK=$D/vu.sock
dotnet "$HERE/../bin/Release/net10.0/Cosmos.VhostUser.dll" "$SOCK" 40001 40002 63 $BEX 2> "$D/backend.log" &
BPID=$!; echo "backend pid $BPID" > "$D/pids"
for i in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.2; done
CMD=(timeout 60 $QEMU -accel tcg -m 128M -no-reboot -display none -serial stdio
  -object memory-backend-memfd,id=mem,size=128M,share=on -numa node,memdev=mem
  -chardev socket,id=chr0,path=$SOCK -netdev vhost-user,id=net0,chardev=chr0
  -device virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56$DEVX
  -device isa-debug-exit,iobase=0xf4,iosize=0x04
  -fw_cfg name=opt/kernel/cmdline,string=net.ip=10.0.2.15/24
  -cdrom "$ISO" ${QEMU_EXTRA:-})
echo "${CMD[*]}" > "$D/cmdline"
"${CMD[@]}" > "$D/serial.log" 2> "$D/qemu.err" &
QPID=$!; echo "qemu (timeout) pid $QPID" >> "$D/pids"
wait $QPID; echo "qemu exit $?" >> "$D/pids"
wait $BPID
