#!/bin/sh
# The real-Xen lane, inside dom0 (run by the image's /sbin/xen-lane-init from the payload disk).
# Starts the Xen toolstack, makes a bridge with a DHCP server on it, boots our ISO as an HVM guest with a
# PV vif, and checks from dom0: xenbus state 4 on both ends, ping, UDP echo, TCP echo, HTTP. Every result
# is one line "XEN-LANE CHECK <name> PASS|FAIL <detail>" on the console; the host side reads them.
# Bounded: every wait has a limit, and the lane ends with "XEN-LANE DONE".
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/xen-4.17/bin
say() { echo "XEN-LANE: $*"; }
check() { echo "XEN-LANE CHECK $1 $2 $3"; }
GUEST_TIMEOUT=${GUEST_TIMEOUT:-420}
[ -f /lane/lane.env ] && . /lane/lane.env

say "dom0 up after $(cut -d' ' -f1 /proc/uptime) s"
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback tun bridge; do modprobe $m 2>/dev/null; done
mkdir -p /proc/xen /var/run/xen /var/lib/xen /var/log/xen /var/lib/xenstored /run/xenstored /dev/net
mount -t xenfs xenfs /proc/xen 2>/dev/null
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
xenstored --pid-file /run/xenstored.pid || say "xenstored failed to start"
for i in 1 2 3 4 5 6 7 8 9 10; do xenstore-read /local >/dev/null 2>&1 && break; sleep 1; done
xen-init-dom0 >/dev/null 2>&1 || say "xen-init-dom0 failed"
xenconsoled --pid-file=/run/xenconsoled.pid 2>/dev/null || say "xenconsoled failed to start"
xl info | grep -E "^(xen_version|virt_caps|xen_caps)" | sed 's/^/XEN-LANE: /'

ip link add xenbr0 type bridge
ip addr add 192.168.77.1/24 dev xenbr0
ip link set xenbr0 up
dnsmasq --interface=xenbr0 --bind-interfaces --port=0 --dhcp-range=192.168.77.50,192.168.77.99,1h \
    --dhcp-leasefile=/tmp/dnsmasq.leases --log-dhcp --log-facility=/tmp/dnsmasq.log || say "dnsmasq failed"

GUEST_TYPE=${GUEST_TYPE:-hvm}
if [ "$GUEST_TYPE" = pvh ]; then
    # PVH: Xen loads our ELF through its XEN_ELFNOTE_PHYS32_ENTRY note; the symbol map rides as the ramdisk.
    # There is no UART: the kernel writes to port 0xE9 and Xen prints that as "(dN) ..." in its console.
    cat >/tmp/guest.cfg <<CFG
name = "cosmos"
type = "pvh"
kernel = "/lane/cosmos-net.elf"
ramdisk = "/lane/cosmos-net.sym"
memory = 128
vcpus = 1
vif = [ 'bridge=xenbr0,mac=00:16:3e:c0:5e:01' ]
on_crash = "preserve"
CFG
else
    cat >/tmp/guest.cfg <<CFG
name = "cosmos"
type = "hvm"
memory = 128
vcpus = 1
disk = [ 'file:/lane/cosmos-net.iso,hdc:cdrom,r' ]
boot = "d"
serial = "file:/tmp/guest-serial.log"
vif = [ 'bridge=xenbr0,mac=00:16:3e:c0:5e:01' ]
vnc = 0
sdl = 0
on_crash = "preserve"
CFG
fi
# The guest's log as lines in /tmp/guest.log: its serial file (HVM) or Xen's console ring (PVH).
guest_log() {
    if [ "$GUEST_TYPE" = pvh ]; then xl dmesg 2>/dev/null | sed -n "s/^.*(d$domid) //p" >/tmp/guest.log
    elif [ -f /tmp/guest-serial.log ]; then cp /tmp/guest-serial.log /tmp/guest.log; fi
    touch /tmp/guest.log
}
start=$(date +%s)
if ! xl create /tmp/guest.cfg >/tmp/xl-create.log 2>&1; then
    cat /tmp/xl-create.log | sed 's/^/XEN-LANE: xl: /'
    check guest-created FAIL "xl create failed"
    echo "XEN-LANE DONE"; exit 0
fi
domid=$(xl domid cosmos)
check guest-created PASS "domain $domid (type $GUEST_TYPE)"

fe=/local/domain/$domid/device/vif/0
be=/local/domain/0/backend/vif/$domid/0
connected=0; lines=0
while [ $(( $(date +%s) - start )) -lt $GUEST_TIMEOUT ]; do
    # Relay the guest's log as it comes (whole lines only).
    guest_log
    n=$(wc -l </tmp/guest.log)
    if [ "$n" -gt "$lines" ]; then sed -n "$((lines + 1)),${n}p" /tmp/guest.log | sed 's/^/GUEST| /'; lines=$n; fi
    fs=$(xenstore-read $fe/state 2>/dev/null); bs=$(xenstore-read $be/state 2>/dev/null)
    if [ "$fs" = 4 ] && [ "$bs" = 4 ] && [ $connected = 0 ]; then
        connected=1
        check xenbus-connected PASS "frontend $fe state $fs, backend $be state $bs after $(( $(date +%s) - start )) s"
    fi
    if [ $connected = 1 ] && grep -q "00:16:3e:c0:5e:01" /tmp/dnsmasq.leases 2>/dev/null && grep -q "net: ping .* seq" /tmp/guest.log 2>/dev/null; then break; fi
    if grep -q -E "PANIC|not connected:" /tmp/guest.log 2>/dev/null; then sleep 1; break; fi
    xl list cosmos >/dev/null 2>&1 || { say "the guest is gone"; break; }
    sleep 2
done
guest_log; n=$(wc -l </tmp/guest.log); [ "$n" -gt "$lines" ] && sed -n "$((lines + 1)),${n}p" /tmp/guest.log | sed 's/^/GUEST| /'; lines=$n
[ $connected = 1 ] || check xenbus-connected FAIL "frontend state '${fs}', backend state '${bs}' after $(( $(date +%s) - start )) s"

say "xenstore, guest side:"; xenstore-ls -f $fe 2>&1 | sed 's/^/XEN-LANE:   /'
say "xenstore, backend side:"; xenstore-ls -f $be 2>&1 | sed 's/^/XEN-LANE:   /'

# The leased address, by its pattern (a lease line once came back whole from awk: take no chances).
ip=$(grep "00:16:3e:c0:5e:01" /tmp/dnsmasq.leases 2>/dev/null | grep -o "192\.168\.77\.[0-9]*" | head -1)
if [ -n "$ip" ]; then check dhcp PASS "lease $ip"; else check dhcp FAIL "no lease (dnsmasq log: $(tail -3 /tmp/dnsmasq.log 2>/dev/null | tr '\n' ' '))"; fi

if [ -n "$ip" ]; then
    out=$(ping -c 5 -W 2 $ip 2>&1); rx=$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
    if [ "${rx:-0}" -ge 4 ]; then check ping PASS "$rx of 5 replies: $(echo "$out" | tail -1)"; else check ping FAIL "$rx of 5 replies"; fi

    ok=0
    for i in 1 2 3 4 5; do
        msg="xen-lane udp echo $i $(date +%s%N)"
        got=$(printf '%s' "$msg" | timeout 5 socat -T 2 - UDP:$ip:7 2>/dev/null)
        [ "$got" = "$msg" ] && ok=$((ok + 1))
    done
    if [ $ok -ge 4 ]; then check udp-echo PASS "$ok of 5 datagrams echoed byte for byte"; else check udp-echo FAIL "$ok of 5 datagrams echoed"; fi

    head -c 65536 /dev/urandom >/tmp/tcp-payload
    timeout 30 socat -T 5 - TCP:$ip:7 </tmp/tcp-payload >/tmp/tcp-echo 2>/dev/null
    if cmp -s /tmp/tcp-payload /tmp/tcp-echo; then check tcp-echo PASS "65536 bytes echoed byte for byte"
    else check tcp-echo FAIL "$(stat -c %s /tmp/tcp-echo 2>/dev/null) of 65536 bytes back"; fi

    page=$(printf 'GET / HTTP/1.0\r\nHost: cosmos\r\n\r\n' | timeout 15 socat -T 5 - TCP:$ip:80 2>/dev/null)
    if echo "$page" | head -1 | grep -q "200"; then check http PASS "$(echo "$page" | head -1 | tr -d '\r'), $(echo "$page" | wc -c) bytes"
    else check http FAIL "no HTTP 200: $(echo "$page" | head -1)"; fi
fi

sleep 2
guest_log; n=$(wc -l </tmp/guest.log); [ "$n" -gt "$lines" ] && sed -n "$((lines + 1)),${n}p" /tmp/guest.log | sed 's/^/GUEST| /'
xl destroy cosmos 2>/dev/null
say "lane took $(( $(date +%s) - start )) s from xl create"
echo "XEN-LANE DONE"
