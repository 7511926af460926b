#!/bin/sh
# An experiment on the emulated machine, not a lane: inside dom0, two loops compute one digest of the same work (sort,
# sed, grep and awk over the guest's symbol map) again and again while our PVH guest is created and destroyed beside
# them. Every round must give the digest computed before any guest existed; a different or empty one means dom0's
# programs lost state. Run by run-stress.sh in place of dom0-test.sh; prints "XEN-LANE STRESS <rounds> <wrong>".
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/xen-4.17/bin
say() { echo "XEN-LANE: $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
say "dom0 up after $(uptime_s) s"
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback tun bridge; do modprobe $m 2>/dev/null; done
mkdir -p /proc/xen /var/run/xen /var/lib/xen /var/log/xen /var/lib/xenstored /run/xenstored /dev/net
mount -t xenfs xenfs /proc/xen 2>/dev/null
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
xenstored --pid-file /run/xenstored.pid || say "xenstored failed to start"
for i in 1 2 3 4 5 6 7 8 9 10; do timeout 30 xenstore-read /local >/dev/null 2>&1 && break; sleep 1; done
timeout 60 xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1 || say "xen-init-dom0 failed: $(tr '\n' ' ' </tmp/xen-init-dom0.log)"
xenconsoled --pid-file=/run/xenconsoled.pid 2>/dev/null || say "xenconsoled failed to start"
ip link add xenbr0 type bridge; ip addr add 192.168.77.1/24 dev xenbr0; ip link set xenbr0 up
cat >/tmp/guest.cfg <<CFG
name = "cosmos"
type = "pvh"
kernel = "/lane/cosmos-net.elf"
ramdisk = "/lane/cosmos-net.sym"
memory = 128
vcpus = 1
vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:42' ]
on_crash = "preserve"
on_reboot = "preserve"
CFG
# glibc picks its string functions by CPU feature (AVX2 ones here), so this work runs SSE/AVX registers hard. A round
# takes about 10 s; one that has not ended in 120 s (a program hung) counts as wrong, with an empty digest.
work() {
    timeout -k 5 120 sh -c '{ sort /lane/cosmos-net.sym | head -c 3000000; sed "s/[0-9a-f]\{4\}/<&>/g" /lane/cosmos-net.sym
      grep -c Cosmos /lane/cosmos-net.sym
      awk "{ n[length(\$0)]++ } END { for (k in n) print k, n[k] }" /lane/cosmos-net.sym | sort -n; } | sha256sum | cut -c1-16'
}
reference=$(work)
say "reference digest $reference (no guest yet)"
end=$(( $(cut -d. -f1 /proc/uptime) + 300 ))
guests() {
    g=0
    while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
        g=$((g + 1))
        timeout 300 xl create /tmp/guest.cfg >/tmp/xl.log 2>&1 || say "guest $g: xl create failed: $(tail -c 200 /tmp/xl.log | tr '\n' ' ')"
        say "guest $g created at $(uptime_s)"
        sleep 25
        timeout 60 xl destroy cosmos; say "guest $g destroyed at $(uptime_s)"
        sleep 3
    done
}
loop() { # <name>: rounds until the end; one line per wrong round, then the counts in a file
    rounds=0; wrong=0
    while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
        digest=$(work); rounds=$((rounds + 1))
        [ "$digest" = "$reference" ] || { wrong=$((wrong + 1)); say "loop $1 round $rounds: digest '$digest' at $(uptime_s)"; }
    done
    echo "$rounds $wrong" >/tmp/loop-$1
}
guests & creator=$!
loop 1 & first=$!; loop 2 & second=$!
wait $first $second
wait $creator
read -r r1 w1 </tmp/loop-1; read -r r2 w2 </tmp/loop-2
echo "XEN-LANE STRESS $((r1 + r2)) $((w1 + w2))"
echo "XEN-LANE DONE"
