#!/usr/bin/env bash
# Builds the dom0 image of the real-Xen lane from Debian packages and caches it:
#   <cache>/xen.elf      Xen 4.17, uncompressed (QEMU's multiboot loader wants an ELF)
#   <cache>/vmlinuz      dom0 kernel, <cache>/initrd.img its initramfs
#   <cache>/dom0.img     raw ext4 root file system (debootstrap minbase + Xen tools + dnsmasq + socat, and
#                        tcpdump + ethtool for the lane's account of where frames went)
# The image's init (/sbin/xen-lane-init) only mounts the basics and runs the test script that the lane
# puts on a second disk, so changing the test does not rebuild the image. ../shared/XEN-LANE.md has the facts.
# Usage: build-dom0-image.sh <cache-dir>. Takes about 5-10 minutes once; prints the cache dir when done.
set -euo pipefail
cache=${1:?usage: build-dom0-image.sh <cache-dir>}
# debootstrap and the chroot's package scripts need root.
if [ "$(id -u)" -ne 0 ] && [ ! -f "$cache/complete" ]; then exec sudo "$0" "$@"; fi
mkdir -p "$cache"
if [ -f "$cache/complete" ]; then echo "$cache"; exit 0; fi

packages_host=(debootstrap e2fsprogs)
missing=()
for p in "${packages_host[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "xen-lane: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

root=$(mktemp -d /var/tmp/xen-dom0-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
include=xen-hypervisor-4.17-amd64,xen-utils-4.17,qemu-system-xen,linux-image-amd64,iproute2,bridge-utils,kmod,dnsmasq-base,socat,iputils-ping,procps,initramfs-tools,udev,tcpdump,ethtool
echo "xen-lane: debootstrap bookworm into $root (a few minutes)" >&2
DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase --include="$include" bookworm "$root" \
    http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
    || { tail -30 "$cache/debootstrap.log" >&2; exit 1; }

cat >"$root/sbin/xen-lane-init" <<'INIT'
#!/bin/sh
# dom0's init in the lane: mount the basics, unpack the lane's payload disk (/dev/vdb, a tar) and run it.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /run /tmp /lane; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
modprobe virtio_blk 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vdb ] && break; sleep 0.5; done
tar -xf /dev/vdb -C /lane || echo "XEN-LANE: cannot read the payload disk /dev/vdb"
if [ -x /lane/dom0-test.sh ]; then /lane/dom0-test.sh; else echo "XEN-LANE: no /lane/dom0-test.sh"; fi
echo "XEN-LANE: dom0 powering off"
sync; echo o > /proc/sysrq-trigger; sleep 5; poweroff -f
INIT
chmod +x "$root/sbin/xen-lane-init"
echo xen-lane-dom0 >"$root/etc/hostname"

gunzip -c "$root"/boot/xen-4.17-amd64.gz >"$cache/xen.elf"
cp "$(ls "$root"/boot/vmlinuz-* | head -1)" "$cache/vmlinuz"
cp "$(ls "$root"/boot/initrd.img-* | head -1)" "$cache/initrd.img"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/usr/share/doc "$root"/usr/share/man
mke2fs -q -t ext4 -d "$root" -L dom0 "$cache/dom0.img" 1600M
touch "$cache/complete"
echo "$cache"
