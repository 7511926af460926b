#!/bin/sh
# The real-Xen lane, inside dom0 (run by the image's /sbin/xen-lane-init from the payload disk).
# Starts the Xen toolstack, makes a bridge with a DHCP server on it, boots our ISO as an HVM guest (or our ELF
# as a PVH guest) with a PV vif, and checks from dom0: xenbus state 4 on both ends, DHCP, ping, UDP echo,
# TCP echo, HTTP. Every result is one line "XEN-LANE CHECK <name> PASS|FAIL <detail>" on the console; the
# host side reads them and expects all ten. Each check waits for the event it checks, within a limit, and
# says what it saw: a check whose precondition never came FAILs with the reason (it is never skipped), and
# losses and retries are counted and printed. Bounded: every wait has a limit, all of them end by a lane
# deadline, and the lane ends with "XEN-LANE DONE".
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/xen-4.17/bin
say() { echo "XEN-LANE: $*"; }
check() { echo "XEN-LANE CHECK $1 $2 $3"; }
MAC=00:16:3e:c0:5e:01
# Limits (seconds). Under TCG on a loaded 2-core machine an HVM guest took up to ~290 s from xl create to a
# Connected netfront (SeaBIOS, GRUB, a PCI scan whose every access is a round trip to dom0's device model).
GUEST_TIMEOUT=${GUEST_TIMEOUT:-420}   # xl create -> both xenbus ends Connected
DHCP_TIMEOUT=${DHCP_TIMEOUT:-120}     # Connected -> the guest's "DHCP bound" and dnsmasq's DHCPACK
SETTLE_TIMEOUT=${SETTLE_TIMEOUT:-45}  # bound -> the guest's first idle line (its boot log and gateway pings done)
# Per ping / UDP datagram. An HVM guest writes its log through the emulated UART: each character is a round
# trip to the device model in dom0, 15-90 ms here, so one 330-character idle line has kept it from the
# network for up to ~30 s (a datagram sent then was echoed 18.7 s later).
REPLY_WAIT=${REPLY_WAIT:-45}
TRIES=${TRIES:-2}                     # sends per ping / datagram before it counts as lost for good
CHECK_BUDGET=${CHECK_BUDGET:-200}     # all sends and waits of the ping check, and of the UDP check
LANE_BUDGET=${LANE_BUDGET:-1080}      # dom0 start -> XEN-LANE DONE, whatever happens (run-lane.sh allows 1200)
[ -f /lane/lane.env ] && . /lane/lane.env

# Milliseconds since dom0 booted, from /proc/uptime (monotonic; dom0's wall clock was seen to jump by minutes
# early in a run, which once ended a 420 s wait after 50 s). No process is started: loops poll it often.
now_ms() { read -r up _ </proc/uptime; f=${up#*.}; f=${f#0}; echo $(( ${up%.*} * 1000 + ${f:-0} * 10 )); }
boot_ms=0
deadline_ms=$(( LANE_BUDGET * 1000 ))
# Seconds since xl create (or since dom0 started, before it), with tenths: every timing line uses it.
since() { ms=$(( $(now_ms) - ${start_ms:-$boot_ms} )); echo "$((ms / 1000)).$((ms % 1000 / 100))"; }
# The end of a wait of $1 seconds from now, cut to the lane deadline.
until_ms() { e=$(( $(now_ms) + $1 * 1000 )); [ $e -gt $deadline_ms ] && e=$deadline_ms; echo $e; }

# The toolstack can hang or crash under load: every call of it has a limit (xl create and dump-core more).
XL=$(command -v xl); XENSTORE_READ=$(command -v xenstore-read)
xl() { timeout -k 5 "${XL_LIMIT:-60}" "$XL" "$@"; }
xenstore_read() { timeout -k 5 30 "$XENSTORE_READ" "$@"; }
# What the script is doing, for the heartbeat: a lane that stops shows where.
# Which step of a wait is running, for the heartbeat too (a builtin echo, no process): a wait whose heartbeat names the
# same step for minutes is stuck in that step's program (a process in the kernel outlives timeout's signals). A new
# phase starts with no step.
step() { echo "$1" >/tmp/step; }
phase() { echo "$* (since t+$(since) s)" >/tmp/phase; step "none"; }

say "dom0 up after $(cut -d' ' -f1 /proc/uptime) s"
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback tun bridge; do modprobe $m 2>/dev/null; done
mkdir -p /proc/xen /var/run/xen /var/lib/xen /var/log/xen /var/lib/xenstored /run/xenstored /dev/net
mount -t xenfs xenfs /proc/xen 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
xenstored --pid-file /run/xenstored.pid || say "xenstored failed to start"
for i in 1 2 3 4 5 6 7 8 9 10; do xenstore_read /local >/dev/null 2>&1 && break; sleep 1; done
# xen-init-dom0 names dom0 and Pool-0 in xenstore; without the pool's name every xl create fails ("Illegal pool
# specified: (null)", seen in an experiment whose script failed to run it). Run it until both names
# read back, a few times: like any program of this dom0 it can die now and then.
for i in 1 2 3 4 5; do
    timeout -k 5 60 xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1
    xenstore_read /local/pool/0/name >/dev/null 2>&1 && xenstore_read /local/domain/0/name >/dev/null 2>&1 && break
    say "xen-init-dom0, try $i: dom0's or Pool-0's name not in xenstore; it said: $(tail -c 200 /tmp/xen-init-dom0.log | tr '\n' ' ')"
    sleep 2
done
xenconsoled --pid-file=/run/xenconsoled.pid 2>/dev/null || say "xenconsoled failed to start"
xl info | grep -E "^(xen_version|virt_caps|xen_caps)" | sed 's/^/XEN-LANE: /'

# No IPv6 on the bridge and the vifs: dom0's router solicitations and multicast reports only woke the guest,
# which then writes an idle line (slow on HVM, see REPLY_WAIT) at moments the checks do not choose.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || say "IPv6 not disabled"
ip link add xenbr0 type bridge
ip addr add 192.168.77.1/24 dev xenbr0
ip link set xenbr0 up
# dom0's neighbour entry for the guest: an HVM guest can be deaf for tens of seconds (see REPLY_WAIT), and
# Linux's defaults (3 unicast probes 1 s apart, then FAILED, queued packets dropped, sends refused) would turn
# that into lost datagrams and a socket error. Probe 9 times 5 s apart; keep a confirmed entry 60-180 s.
sysctl -qw net.ipv4.neigh.xenbr0.ucast_solicit=9 net.ipv4.neigh.xenbr0.mcast_solicit=9 \
    net.ipv4.neigh.xenbr0.retrans_time_ms=5000 net.ipv4.neigh.xenbr0.base_reachable_time_ms=120000 || say "neighbour settings not taken"
dnsmasq --interface=xenbr0 --bind-interfaces --port=0 --dhcp-range=192.168.77.50,192.168.77.99,1h \
    --dhcp-leasefile=/tmp/dnsmasq.leases --log-dhcp --log-facility=/tmp/dnsmasq.log || say "dnsmasq failed"
# Every frame on the bridge, for the account of losses at the end (headers only).
tcpdump -i xenbr0 -n -s 128 -U -w /tmp/bridge.pcap >/dev/null 2>/tmp/tcpdump-bridge.err &
dumps=$!

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
vif = [ 'bridge=xenbr0,mac=$MAC' ]
on_crash = "preserve"
on_reboot = "preserve"
CFG
else
    cat >/tmp/guest.cfg <<CFG
name = "cosmos"
type = "hvm"
memory = 128
vcpus = 1
disk = [ 'file:/lane/cosmos-net.iso,hdc:cdrom,r' ]
boot = "d"
serial = "none"
vif = [ 'bridge=xenbr0,mac=$MAC' ]
vga = "none"
vnc = 0
sdl = 0
on_crash = "preserve"
on_reboot = "preserve"
CFG
fi
# Xen's console ring (16 KiB) is read and cleared into /tmp/xen-console.log: read whole, it wrapped in a PVH
# run and the guest's lines slid out under the relay.
xen_console() { xl dmesg -c >>/tmp/xen-console.log 2>/dev/null; }
# The guest's log as lines in /tmp/guest.log: its lines in Xen's console. Neither guest has a UART (the HVM guest's
# config says serial = "none"), so the kernel writes whole lines to Xen's debug port 0xE9, which Xen handles itself:
# an HVM guest's UART is QEMU in dom0, two exits and a round trip to dom0 per character (xenbus Connected after
# 200-270 s with it, 135 s without). Xen cuts lines longer than its buffer into pieces, each its own "(dN)" line:
# checks that read a long line read it through guest_lines (below), which joins them.
guest_log() {
    xen_console; sed -n "s/^.*(d$domid) //p" /tmp/xen-console.log >/tmp/guest.log
    touch /tmp/guest.log
}
# Relays the guest's new whole lines, each with the lane time at which dom0 saw it.
lines=0
relay() {
    guest_log
    n=$(wc -l </tmp/guest.log)
    if [ "$n" -gt "$lines" ]; then t=$(since); sed -n "$((lines + 1)),${n}p" /tmp/guest.log | sed "s/^/GUEST| [t+$t] /"; lines=$n; fi
}
# Why the guest can no longer get anywhere, or nothing. A guest that resets (a triple fault is a reset) or
# crashes is kept as it is (on_reboot/on_crash "preserve"): a silent restart would run the checks against a
# second boot. xl renames a preserved domain, so it is named by its id from here on.
# Whether the HVM guest's device model runs. pgrep alone said "gone" under load while the device model ran
# (two runs: its tap vif<N>.0-emu still UP and LOWER_UP, which a tap is only while a process holds it, and in
# one the guest went on to connect): it is asked three times, and /proc is read before giving up.
device_model_alive() {
    # libxl records the device model's pid in xenstore (libxl_dm.c: image/device-model-pid, the QEMU process itself);
    # a signal 0 to it reads nothing of the process. pgrep reads every process's cmdline, which blocks on a process
    # whose memory map is locked; it stays for a toolstack that wrote no pid.
    step "device model pid"
    dm_pid=$(xenstore_read /local/domain/$domid/image/device-model-pid 2>/dev/null)
    case "$dm_pid" in
        ''|*[!0-9]*) ;;
        *) kill -0 "$dm_pid" 2>/dev/null; return ;;
    esac
    step "pgrep device model"
    for try in 1 2 3; do
        pgrep -f -- "-xen-domid $domid " >/dev/null && return 0
        sleep 1
    done
    for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$f" 2>/dev/null | grep -q -- "-xen-domid $domid " && return 0; done
    return 1
}
guest_stuck() {
    # xl itself has crashed here under load (a glibc robust-mutex assertion, a segfault): only its own
    # "invalid domain" answer means the domain is gone; a crash is asked again and otherwise ignored.
    state=
    for try in 1 2 3; do
        step "xl list"
        out=$(xl list $domid 2>&1) && { state=$(echo "$out" | awk 'NR == 2 { print $5 }'); break; }
        case "$out" in *"invalid domain"*) echo "the guest domain is gone"; return ;; esac
        sleep 1
    done
    case "$state" in
        *s*|*c*|*d*)
            xen_console
            echo "the guest domain stopped (xl state $state; Xen: $(grep -E "d${domid}v?[0-9]* " /tmp/xen-console.log | grep -v "save:" | tail -2 | tr '\n' ' '))"
            post_mortem
            return ;;
    esac
    # An HVM guest's devices (disk, serial port) are QEMU in dom0: without it the guest waits forever.
    if [ "$GUEST_TYPE" = hvm ] && ! device_model_alive; then
        echo "the guest's device model (QEMU in dom0) is gone: $(tail -3 /var/log/xen/qemu-dm-cosmos.log 2>/dev/null | tr '\n' ' ')"
        return
    fi
    # A boot whose netfront never connected is stuck; after a detach the kernel tries a new vif again by itself
    # (XenReattach, up to 3 times on one node), so its "not connected" lines from then on end no wait.
    l=$(grep -a -m1 "PANIC" /tmp/guest.log 2>/dev/null)
    [ -z "$l" ] && ! grep -aq "vif detached:" /tmp/guest.log 2>/dev/null && l=$(grep -a -m1 "not connected:" /tmp/guest.log 2>/dev/null)
    [ -n "$l" ] && echo "the guest said: $l"
}
# Once, for a guest that stopped: its registers, and the tables a CPU needs to deliver an interrupt (IDT, GDT,
# TSS, the first page-table levels; addresses from the guest's symbol map) read by xenctx through the
# guest's own page tables and compared with a copy from when it was healthy, and the stack at RSP.
# With DUMP_CORE=1 and a third disk, its whole memory goes there too (xl dump-core: minutes under TCG).
cpu_tables() {
    for sym in idt:4096 gdt64:48 tss:112 pml4:16 pdpt:32 page_directories:64 page_table0:64; do
        addr=$(awk -v n=${sym%%:*} '$3 == n { print $1; exit }' /lane/cosmos-net.sym)
        [ -n "$addr" ] || continue
        echo "${sym%%:*} at 0x$addr, ${sym#*:} bytes:"
        # Asked again when it comes back short (xenctx, like other programs here, sometimes crashes).
        for try in 1 2 3; do
            out=$(timeout 30 xenctx -m 0x$addr -b 16 -l $(( ${sym#*:} / 16 )) $domid 0 2>&1 | sed -n '/^Memory/,$p' | tail -n +2 | grep .)
            [ "$(echo "$out" | wc -l)" -ge $(( ${sym#*:} / 16 )) ] && break
        done
        echo "$out"
    done
}
post_mortem() {
    [ ! -f /tmp/post-mortem-done ] || return 0
    touch /tmp/post-mortem-done
    timeout 30 xenctx -a $domid 0 >/tmp/xenctx.out 2>&1; sed 's/^/XEN-LANE: xenctx: /' /tmp/xenctx.out >&2
    # Compared with the copy taken while the guest was healthy (after DHCP).
    cpu_tables >/tmp/tables-after
    if [ ! -s /tmp/tables-healthy ]; then
        echo "XEN-LANE: guest CPU tables, now (no healthy copy to compare: XEN_LANE_CORE=1 takes one after DHCP):" >&2
        sed 's/^/XEN-LANE:   /' /tmp/tables-after >&2
    elif cmp -s /tmp/tables-healthy /tmp/tables-after; then
        echo "XEN-LANE: guest CPU tables (IDT, GDT, TSS, page tables) unchanged since $(cat /tmp/tables-healthy-at)" >&2
    else
        echo "XEN-LANE: guest CPU tables, now (differences from the healthy copy of $(cat /tmp/tables-healthy-at 2>/dev/null) first):" >&2
        diff /tmp/tables-healthy /tmp/tables-after 2>&1 | head -40 | sed 's/^/XEN-LANE:   /' >&2
        sed 's/^/XEN-LANE:   /' /tmp/tables-after >&2
    fi
    rsp=$(sed -n 's/^rsp: \([0-9a-f]*\).*/\1/p' /tmp/xenctx.out | head -1)
    [ -n "$rsp" ] && echo "XEN-LANE: guest stack at 0x$rsp:" >&2 && timeout 30 xenctx -m 0x$rsp -b 16 -l 8 $domid 0 2>&1 | sed -n '/^Memory/,$p' | tail -n +2 | sed 's/^/XEN-LANE:   /' >&2
    [ "${DUMP_CORE:-0}" = 1 ] && [ -b /dev/vdc ] || return 0
    if XL_LIMIT=600 xl dump-core $domid /tmp/core >/tmp/dump-core.log 2>&1 && dd if=/tmp/core of=/dev/vdc bs=1M 2>>/tmp/dump-core.log && sync; then
        echo "XEN-LANE: core of domain $domid written to /dev/vdc ($(stat -c %s /tmp/core) bytes)" >&2
    else
        echo "XEN-LANE: xl dump-core of domain $domid failed: $(tail -c 300 /tmp/dump-core.log | tr '\n' ' ')" >&2
    fi
    rm -f /tmp/core
}
# For a failed check: why the guest may not have answered, if it is stuck.
guest_state() { st=$(guest_stuck); [ -n "$st" ] && echo "; $st"; }
# True (and $guest_dead says why) once the guest can no longer answer: later checks then fail at once.
guest_dead=
guest_dead_now() { [ -n "$guest_dead" ] && return 0; guest_dead=$(guest_stuck); [ -n "$guest_dead" ]; }
# wait_for <seconds> <condition command...>: polls the condition every second, relaying the guest's log;
# returns 0 when it holds, 1 at the limit (or the lane deadline), 2 when the guest is stuck (reason in $stuck).
wait_for() {
    end=$(until_ms "$1"); shift
    stuck=
    while :; do
        step "relay (xl dmesg)"; relay
        step "probe $1"; "$@" && return 0
        stuck=$(guest_stuck); [ -n "$stuck" ] && return 2
        [ "$(now_ms)" -ge "$end" ] && return 1
        step "sleep"; sleep 1
    done
}

start_ms=$(now_ms)
phase "xl create"
# Its exit status, time and last words go into the check's line: CI keeps only the end of the output, where run-lane.sh
# repeats the failed checks (CI, 1 December: a PVH lane failed on a bare "xl create failed", its reason cut away).
XL_LIMIT=300 xl create /tmp/guest.cfg >/tmp/xl-create.log 2>&1; rc=$?
if [ $rc != 0 ]; then
    sed 's/^/XEN-LANE: xl: /' /tmp/xl-create.log
    check guest-created FAIL "xl create failed: exit $rc$( [ $rc = 124 ] && echo " (its 300 s limit)"; [ $rc -gt 128 ] && echo " (signal $((rc - 128)))") after $(since) s; xl's last words: $(grep -v '^Parsing config' /tmp/xl-create.log | tail -c 300 | tr '\n' ' ')"
    for c in xenbus-connected dhcp ping udp-echo tcp-echo http offloads vif-detach vif-attach; do check $c FAIL "no guest (xl create failed)"; done
    echo "XEN-LANE DONE"; exit 0
fi
# xl domid once crashed right after a successful create (glibc: "__pthread_mutex_lock_full: Assertion
# `e != ESRCH || !robust' failed"): ask again, within a limit.
domid=
for i in 1 2 3 4 5 6 7 8 9 10; do domid=$(xl domid cosmos 2>/dev/null) && [ -n "$domid" ] && break; sleep 1; done
if [ -z "$domid" ]; then
    check guest-created FAIL "xl create succeeded but xl domid names no domain 'cosmos' after 10 s: $(xl list 2>&1 | tr '\n' ' ')"
    for c in xenbus-connected dhcp ping udp-echo tcp-echo http offloads vif-detach vif-attach; do check $c FAIL "no guest domain"; done
    xl destroy cosmos 2>/dev/null
    echo "XEN-LANE DONE"; exit 0
fi
vif=vif$domid.0
check guest-created PASS "domain $domid (type $GUEST_TYPE)"
# A sign of life every 30 s (not shown on the host's screen): run-lane.sh stops a lane whose console is
# silent for much longer, so a stopped dom0 or Xen ends the run with its last words instead of a timeout.
( while sleep 30; do echo "xen-lane heartbeat t+$(since) s: $(cat /tmp/phase 2>/dev/null) [step: $(cat /tmp/step 2>/dev/null)]"; done ) &
heartbeat=$!

# ---- xenbus: both ends Connected (4) ----
fe=/local/domain/$domid/device/vif/0
be=/local/domain/0/backend/vif/$domid/0
both_connected() {
    fs=$(xenstore_read $fe/state 2>/dev/null); bs=$(xenstore_read $be/state 2>/dev/null)
    [ "$fs" = 4 ] && [ "$bs" = 4 ]
}
phase "waiting for xenbus Connected"
wait_for "$GUEST_TIMEOUT" both_connected; r=$?
connected=0
if [ $r = 0 ]; then
    connected=1
    check xenbus-connected PASS "frontend $fe state $fs, backend $be state $bs after $(since) s"
    tcpdump -i "$vif" -n -s 128 -U -w /tmp/vif.pcap >/dev/null 2>/tmp/tcpdump-vif.err &
    dumps="$dumps $!"
else
    why=${stuck:-"not within $GUEST_TIMEOUT s"}
    check xenbus-connected FAIL "frontend state '$fs', backend state '$bs' after $(since) s: $why"
fi
say "xenstore, guest side:"; timeout 30 xenstore-ls -f $fe 2>&1 | sed 's/^/XEN-LANE:   /'
say "xenstore, backend side:"; timeout 30 xenstore-ls -f $be 2>&1 | sed 's/^/XEN-LANE:   /'

# ---- DHCP: the guest says it is bound AND dnsmasq logged the DHCPACK for its MAC and that address ----
ip=
dhcp_done() {
    [ -z "$guest_ip" ] && guest_ip=$(sed -n 's/.*net: DHCP bound \(192\.168\.77\.[0-9]*\)\/.*/\1/p' /tmp/guest.log | head -1) && [ -n "$guest_ip" ] && guest_bound_at=$(since)
    [ -n "$guest_ip" ] || return 1
    [ -z "$ack_at" ] && grep -q "DHCPACK(xenbr0) $guest_ip $MAC" /tmp/dnsmasq.log 2>/dev/null && ack_at=$(since)
    [ -n "$ack_at" ]
}
guest_ip=; guest_bound_at=; ack_at=
if [ $connected = 1 ]; then
    phase "waiting for DHCP"
    wait_for "$DHCP_TIMEOUT" dhcp_done; r=$?
    acks=$(grep -o "DHCPACK(xenbr0) [0-9.]* $MAC" /tmp/dnsmasq.log 2>/dev/null | awk '{print $2}' | sort -u | tr '\n' ' ')
    if [ $r = 0 ]; then
        ip=$guest_ip
        # The lease file is dnsmasq's own record; it may be written after the reply went out: look, do not require.
        lease=$(grep "$MAC" /tmp/dnsmasq.leases 2>/dev/null | grep -o "192\.168\.77\.[0-9]*" | head -1)
        check dhcp PASS "lease $ip: guest bound at t+$guest_bound_at s, dnsmasq DHCPACK $ip $MAC logged at t+$ack_at s, lease file: ${lease:-not written yet}"
        # The guest's CPU tables while it is healthy, for a post-mortem if it stops later: only when a core is
        # asked for (a debugging run). xenctx pauses the guest while it reads, and in this dom0 it has crashed
        # and hung: a run sat 4 minutes here, the guest paused, before the ping check could start.
        if [ "${DUMP_CORE:-0}" = 1 ]; then
            phase "copying the guest's CPU tables"
            cpu_tables >/tmp/tables-healthy; echo "t+$(since) s" >/tmp/tables-healthy-at
        fi
    elif [ -z "$guest_ip" ]; then
        check dhcp FAIL "the guest never logged 'DHCP bound' within $DHCP_TIMEOUT s of Connected${stuck:+ ($stuck)}; dnsmasq ACKed: ${acks:-nothing}; dnsmasq log: $(grep -o 'DHCP[A-Z]*([^)]*) .*' /tmp/dnsmasq.log 2>/dev/null | tail -4 | tr '\n' ' ')"
    else
        check dhcp FAIL "the guest logged 'DHCP bound $guest_ip' at t+$guest_bound_at s but dnsmasq logged no DHCPACK of $guest_ip to $MAC within the limit${stuck:+ ($stuck)}; dnsmasq ACKed: ${acks:-nothing}"
    fi
else
    check dhcp FAIL "no DHCP: the netfront never connected"
fi

if [ -n "$ip" ]; then
    # What the checks send, made now: starting a process can take half a second in this dom0, and a guest
    # that sees 1.5 s without traffic writes an idle line to its serial port, which on HVM makes it deaf for
    # as long as the line takes (see REPLY_WAIT). The UDP datagrams (every try of each, one line each whose
    # newline is its last byte, random letters) come from one awk; the sizes are checked, not assumed.
    phase "making the checks' data"
    udp_sizes="32 200 600 1000 1472"
    awk -v sizes="$udp_sizes" -v tries=$TRIES -v seed="$(now_ms)" 'BEGIN {
        srand(seed); n = split(sizes, size, " ")
        abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        for (i = 1; i <= n; i++) for (a = 1; a <= tries; a++) {
            line = sprintf("xen-lane udp %d try %d ", i, a)
            while (length(line) < size[i] - 1) line = line substr(abc, int(rand() * 64) + 1, 1)
            f = sprintf("/tmp/udp-%d-%d", i, a); print line > f; close(f)
        } }'
    made=$(for i in 1 2 3 4 5; do wc -c </tmp/udp-$i-1; done | tr '\n' ' ')
    [ "$made" = "$udp_sizes " ] || say "UDP datagrams made with sizes '$made', not '$udp_sizes'"
    head -c 65536 /dev/urandom >/tmp/tcp-payload
    # Let the guest finish its boot-time log and its own pings of the gateway: its first idle line comes after.
    # Not a check; the checks below wait long enough for a guest that is still writing a line.
    phase "waiting for the guest's first idle line"
    wait_for "$SETTLE_TIMEOUT" grep -q "net: idle:" /tmp/guest.log || say "no idle line from the guest within $SETTLE_TIMEOUT s (going on)"
    say "checks begin at t+$(since) s"
fi
# Why a check cannot run: no address, or a guest that stopped (found by an earlier check or now).
can_run() { [ -n "$ip" ] && ! guest_dead_now; }
why_not() { if [ -n "$guest_dead" ]; then echo "the guest can no longer answer: $guest_dead"; else echo "no address (the DHCP check failed)"; fi; }

# ---- ping: 5 echo requests each answered; a request without a reply in REPLY_WAIT s is sent again ----
if can_run; then
    phase "ping check"
    check_end=$(until_ms "$CHECK_BUDGET")
    answered=0; sent=0; lost=; rtts=
    for i in 1 2 3 4 5; do
        a=0
        while [ $a -lt $TRIES ] && [ "$(now_ms)" -lt $check_end ]; do
            a=$((a + 1)); sent=$((sent + 1))
            t0=$(now_ms)
            out=$(ping -n -c 1 -W "$REPLY_WAIT" "$ip" 2>&1); st=$?
            rtt=$(echo "$out" | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | head -1)
            if [ -n "$rtt" ]; then answered=$((answered + 1)); rtts="$rtts $rtt"; break; fi
            # How this try ended: ping's exit status (>128: it was killed, here by a crash) and last words.
            lost="$lost $i/$a (after $(( ($(now_ms) - t0) / 1000 )) s, exit $st$(echo "$out" | grep -v -e '^PING' -e '^$' -e 'statistics' | head -1 | sed 's/^/: /'))"
            guest_dead_now && break 2
        done
    done
    summary="$answered of 5 answered; $sent requests sent, $((sent - answered)) without a reply in $REPLY_WAIT s${lost:+ (request/try:$lost)}; rtt ms:$rtts"
    if [ $answered = 5 ] && [ $sent = 5 ]; then check ping PASS "$summary"
    elif [ $answered = 5 ]; then check ping PASS "$summary; needed $((sent - 5)) retries"
    else check ping FAIL "$summary$( [ "$(now_ms)" -ge $check_end ] && echo "; the check's $CHECK_BUDGET s were up")$( [ -n "$guest_dead" ] && echo "; $guest_dead" || guest_state)"; fi
    relay
else
    check ping FAIL "$(why_not)"
fi

# ---- UDP echo: 5 datagrams of 32..1472 bytes, each back byte for byte; one socket for all of them ----
if can_run; then
    phase "UDP check"
    rm -f /tmp/udp.fifo; mkfifo /tmp/udp.fifo; : >/tmp/udp-echoes; : >/tmp/udp-sent
    socat -T 900 - UDP:$ip:7 </tmp/udp.fifo >/tmp/udp-echoes 2>/tmp/udp-socat.err &
    socat_pid=$!
    # Held open read-write: socat sees no end of input between datagrams, the open cannot block (a lane hung
    # here for 475 s, probably with socat's start crashed), and a dead socat cannot kill this shell by SIGPIPE.
    exec 5<>/tmp/udp.fifo
    check_end=$(until_ms "$CHECK_BUDGET")
    echoed=0; sent=0; lost=; rtts=; sizes=
    for i in 1 2 3 4 5; do
        a=0; : >/tmp/udp-want
        while [ $a -lt $TRIES ] && [ "$(now_ms)" -lt $check_end ]; do
            a=$((a + 1)); sent=$((sent + 1))
            read -r msg </tmp/udp-$i-$a   # shell builtins only from here to the send: no pause of ours
            printf '%s\n' "$msg" >>/tmp/udp-sent
            printf '%s\n' "$msg" >>/tmp/udp-want
            t0=$(now_ms); end=$(( t0 + REPLY_WAIT * 1000 ))
            printf '%s\n' "$msg" >&5
            [ $a = 1 ] && sizes="$sizes $(( ${#msg} + 1 ))"
            got=0
            # The echo of any try of this datagram counts (a retry does not give up on the first).
            while [ "$(now_ms)" -lt $end ]; do
                if timeout 10 grep -qxF -f /tmp/udp-want /tmp/udp-echoes; then got=1; break; fi
                sleep 0.05
            done
            if [ $got = 1 ]; then echoed=$((echoed + 1)); rtts="$rtts $(( $(now_ms) - t0 ))"; break; fi
            lost="$lost $i/$a"
            guest_dead_now && break 2
        done
    done
    sleep 1   # an echo that comes just after its wait is reported as late, not silently dropped
    exec 5>&-
    socat_gone=; kill -0 $socat_pid 2>/dev/null || socat_gone="; the socket's socat had ended: $(head -c 200 /tmp/udp-socat.err | tr '\n' ' ')"
    kill $socat_pid 2>/dev/null; wait $socat_pid 2>/dev/null
    # Sends that were echoed after all (late, or an earlier try answered during a retry's wait), and lines
    # that are no datagram we sent (damaged echoes).
    # (grep has aborted here, "grep: program error": a count is asked again, and "?" if it never comes.)
    count() { for try in 1 2 3; do n=$(timeout 10 grep -c "$@" 2>/dev/null); [ $? -le 1 ] && { echo "$n"; return; }; done; echo "?"; }
    back=$(count -xF -f /tmp/udp-echoes /tmp/udp-sent)
    bad=$(count -vxF -f /tmp/udp-sent /tmp/udp-echoes)
    sizes=${sizes# }
    summary="$echoed of 5 datagrams (bytes: $sizes) echoed byte for byte; $sent sent, ${back:-0} of them echoed, $((sent - echoed)) waits of $REPLY_WAIT s without an echo${lost:+ (datagram/try:$lost)}, ${bad:-0} damaged; round trips ms (from the last try):$rtts$socat_gone"
    if [ $echoed = 5 ] && [ "$sizes" != "$udp_sizes" ]; then check udp-echo FAIL "datagrams of the wrong sizes were sent (not $udp_sizes): $summary"
    elif [ $echoed = 5 ] && [ $sent = 5 ] && { [ "${bad:-0}" = 0 ] || [ "$bad" = "?" ]; }; then check udp-echo PASS "$summary"
    elif [ $echoed = 5 ] && { [ "${bad:-0}" = 0 ] || [ "$bad" = "?" ]; }; then check udp-echo PASS "$summary; needed $((sent - 5)) retries"
    else check udp-echo FAIL "$summary$( [ "$(now_ms)" -ge $check_end ] && echo "; the check's $CHECK_BUDGET s were up")$( [ -n "$guest_dead" ] && echo "; $guest_dead" || guest_state)"; fi
    relay
else
    check udp-echo FAIL "$(why_not)"
fi

# ---- TCP echo: 64 KiB back byte for byte; the guest closes after echoing all (socat ends on both EOFs) ----
tcp_retrans() { awk '/^Tcp:/ { if (h) print $13; h = 1 }' /proc/net/snmp; }
if can_run; then
    phase "TCP check"
    r0=$(tcp_retrans); t0=$(now_ms)
    # -t: after our side's end of data, wait this long for the rest of the echo (socat's default is 0.5 s);
    # -T: give up after this long without traffic either way (longer than a deaf HVM guest, see REPLY_WAIT).
    timeout 150 socat -T 60 -t 60 - TCP:$ip:7 </tmp/tcp-payload >/tmp/tcp-echo 2>/tmp/tcp-socat.err
    took=$(( $(now_ms) - t0 )); r1=$(tcp_retrans)
    detail="in $took ms, dom0 retransmitted $(( r1 - r0 )) segments"
    if cmp -s /tmp/tcp-payload /tmp/tcp-echo; then check tcp-echo PASS "65536 bytes echoed byte for byte $detail"
    else check tcp-echo FAIL "$(stat -c %s /tmp/tcp-echo 2>/dev/null) of 65536 bytes back$(cmp /tmp/tcp-payload /tmp/tcp-echo 2>&1 | grep -o ', differ.*') $detail; socat: $(head -c 200 /tmp/tcp-socat.err)$( [ -n "$guest_dead" ] && echo "; $guest_dead" || guest_state)"; fi
    relay
else
    check tcp-echo FAIL "$(why_not)"
fi

# ---- HTTP: GET / answers 200 (the status page, with the guest's counters) ----
if can_run; then
    phase "HTTP check"
    t0=$(now_ms)
    printf 'GET / HTTP/1.0\r\nHost: cosmos\r\n\r\n' | timeout 150 socat -T 60 -t 60 - TCP:$ip:80 >/tmp/http.out 2>/tmp/http-socat.err
    took=$(( $(now_ms) - t0 ))
    first=$(head -1 /tmp/http.out | tr -d '\r')
    if echo "$first" | grep -q "^HTTP/1\.[01] 200 "; then check http PASS "$first, $(wc -c </tmp/http.out) bytes in $took ms"
    else check http FAIL "no HTTP 200 in $took ms: '$first' ($(wc -c </tmp/http.out) bytes; socat: $(head -c 200 /tmp/http-socat.err))$( [ -n "$guest_dead" ] && echo "; $guest_dead" || guest_state)"; fi
    sed -n '/^\r*$/,$p' /tmp/http.out | tr -d '\r' | grep . | sed 's/^/XEN-LANE: status| /'
    relay
else
    check http FAIL "$(why_not)"
fi

# ---- vif-detach, vif-attach (issue 17 item 4): `xl network-detach` during traffic, then `xl network-attach` with the
# vif's own options. libxl's detach writes the backend's online=0 and state=Closing, waits up to 10 s for netback to say
# Closed (netback does once the frontend says Closed), then removes both directories; a guest that did not follow is
# removed anyway after those 10 s, so the check asks the guest how its teardown ended: "backend Closed" only when it
# followed. The attach writes device/vif/<id> anew (libxl's next id is one past the last it lists: 0 again); the guest
# must connect it and answer ping, UDP echo, TCP echo and HTTP again, and its status page must count the detach and the
# reattach. A ping every 0.2 s runs from before the detach to after the attach: what it lost is the outage.
# They come before the offloads check, which reads what the earlier checks left (the status page, the old vif's
# capture) and has stalled in this dom0; on the new vif (the same id) its xenstore keys and counters are the same kind.
DETACH_WAIT=${DETACH_WAIT:-120}   # xl network-detach -> the guest's "vif detached" line (an HVM guest's serial line is slow)
ATTACH_WAIT=${ATTACH_WAIT:-240}   # xl network-attach -> both xenbus ends Connected and the guest's "vif reattached" line
# The guest's log with each line whole: Xen's console cuts a PVH guest's long lines into pieces (each its own
# "(dN)" line, the cut mid-word), and a piece does not start with the kernel's "[  seconds]" stamp.
guest_lines() { tr -d '\r' </tmp/guest.log | awk '/^\[ *[0-9]+\.[0-9]+\]/ { if (l != "") print l; l = $0; next } { l = l $0 } END { if (l != "") print l }'; }
guest_says() { guest_log; guest_lines | grep -aq "$1"; }
vif_removed() { ! xenstore_read $be/state >/dev/null 2>&1 && ! xenstore_read $fe/state >/dev/null 2>&1; }
detached=0; traffic=
if can_run; then
    phase "vif-detach check"
    ping -n -D -i 0.2 -W 2 "$ip" >/tmp/detach-ping.log 2>&1 &
    traffic=$!
    # Traffic first (an HVM guest writing a log line is deaf for a while: see REPLY_WAIT), then the detach.
    wait_for 60 grep -q "bytes from" /tmp/detach-ping.log
    sleep 2
    before=$(grep -c "bytes from" /tmp/detach-ping.log)
    t0=$(now_ms)
    XL_LIMIT=120 xl network-detach $domid 0 >/tmp/xl-detach.log 2>&1; rc=$?
    detach_took=$(( $(now_ms) - t0 ))
    wait_for "$DETACH_WAIT" guest_says "vif detached:"; r=$?
    line=$(guest_lines | grep -a -o 'net[0-9]*: vif detached:.*' | head -1)
    wait_for 30 vif_removed; gone=$?
    vif_left=no; ip link show "$vif" >/dev/null 2>&1 && vif_left=yes
    detail="xl network-detach exit $rc in $detach_took ms$( [ $rc != 0 ] && echo " ($(tail -c 200 /tmp/xl-detach.log | tr '\n' ' '))"); pings answered before it: $before; guest: '${line:-no detach line within $DETACH_WAIT s}'; $be and $fe removed: $( [ $gone = 0 ] && echo yes || echo no); $vif still there: $vif_left"
    missing=
    [ $rc = 0 ] || missing="$missing, xl network-detach failed"
    [ "$before" -gt 0 ] || missing="$missing, no ping answered before the detach (no traffic to interrupt)"
    [ -n "$line" ] || missing="$missing, the guest never logged the detach"
    echo "$line" | grep -q "(backend Closed)" || missing="$missing, the guest's teardown did not end with the backend Closed (it did not follow the backend)"
    echo "$line" | grep -q "still mapped by the backend 0;" || missing="$missing, grants left mapped"
    [ $gone = 0 ] || missing="$missing, the vif's xenstore directories were not removed"
    [ $vif_left = no ] || missing="$missing, $vif still exists"
    if [ -z "$missing" ]; then detached=1; check vif-detach PASS "$detail"
    else check vif-detach FAIL "${missing#, }: $detail${stuck:+; $stuck}"; fi
    relay
else
    check vif-detach FAIL "$(why_not)"
fi

attach_ok=0
if [ $detached = 1 ] && ! guest_dead_now; then
    phase "vif-attach: xl network-attach"
    t0=$(now_ms)
    XL_LIMIT=180 xl network-attach $domid bridge=xenbr0 mac=$MAC >/tmp/xl-attach.log 2>&1; rc=$?
    attach_took=$(( $(now_ms) - t0 ))
    newid=$(timeout 30 xenstore-list /local/domain/$domid/device/vif 2>/dev/null | head -1)
    fe=/local/domain/$domid/device/vif/${newid:-0}; be=/local/domain/0/backend/vif/$domid/${newid:-0}; vif=vif$domid.${newid:-0}
    phase "vif-attach: waiting for the guest"
    reattached() { both_connected && guest_says "vif reattached:"; }
    wait_for "$ATTACH_WAIT" reattached; r=$?
    line=$(guest_lines | grep -a -o 'net[0-9]*: vif reattached:.*' | head -1)
    back_line=$(guest_lines | grep -a -o 'back on a new device:.*' | head -1)
    detail="xl network-attach exit $rc in $attach_took ms$( [ $rc != 0 ] && echo " ($(tail -c 200 /tmp/xl-attach.log | tr '\n' ' '))"); new vif id ${newid:-none}; frontend state '$fs', backend state '$bs' at t+$(since) s; guest: '${line:-no reattach line}' '${back_line}'"
    phase "vif-attach: service again"
    # Service again: pings (each sent up to TRIES times), one UDP datagram of 1000 bytes, 64 KiB of TCP echo, the page;
    # not tried at all when the guest never reconnected or can no longer answer (each would wait out its limit).
    answered=0; sent=0; udp_ok=0; tcp_ok=0; : >/tmp/http-again.out
    [ $r = 0 ] || guest_dead=${guest_dead:-$stuck}
    [ $r = 0 ] && for i in 1 2 3; do
        for a in $(seq 1 $TRIES); do
            sent=$((sent + 1))
            ping -n -c 1 -W "$REPLY_WAIT" "$ip" >/dev/null 2>&1 && { answered=$((answered + 1)); break; }
        done
    done
    head -c 999 /dev/urandom | base64 -w 0 | head -c 999 >/tmp/udp-again; echo >>/tmp/udp-again
    [ $r = 0 ] && for a in $(seq 1 $TRIES); do
        timeout $((REPLY_WAIT + 5)) socat -T "$REPLY_WAIT" - UDP:$ip:7 </tmp/udp-again >/tmp/udp-again.echo 2>/dev/null
        cmp -s /tmp/udp-again /tmp/udp-again.echo && { udp_ok=1; break; }
    done
    if [ $r = 0 ]; then
        timeout 150 socat -T 60 -t 60 - TCP:$ip:7 </tmp/tcp-payload >/tmp/tcp-echo-again 2>/tmp/tcp-socat-again.err
        cmp -s /tmp/tcp-payload /tmp/tcp-echo-again && tcp_ok=1
        printf 'GET / HTTP/1.0\r\nHost: cosmos\r\n\r\n' | timeout 150 socat -T 60 -t 60 - TCP:$ip:80 >/tmp/http-again.out 2>/dev/null
    fi
    # Read up to three times: under this emulated machine a dom0 process now and then dies (see "malloc(): unsorted
    # double linked list corrupted" in the README), and a command substitution whose pipeline died reads as empty. A
    # line really missing from the page stays missing.
    page() { for t in 1 2 3; do v=$(sed -n "s/^$1: *//p" /tmp/http-again.out | tr -d '\r' | head -1); [ -n "$v" ] && break; done; echo "$v"; }
    detaches=$(page xen_detaches); reattaches=$(page xen_reattaches); dstate=$(page device_state); xvif=$(page xen_vif)
    returned=$(page xen_memory_returned_kib)
    kill -INT $traffic 2>/dev/null; wait $traffic 2>/dev/null
    ptx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/detach-ping.log); prx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/detach-ping.log)
    # The outage as the pinger saw it: the longest gap between two answers (ping -D stamps each).
    gap=$(sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' /tmp/detach-ping.log | awk 'NR > 1 && $1 - p > g { g = $1 - p } { p = $1 } END { printf "%.1f", g }')
    dhcp_again=$(grep -c "DHCPACK(xenbr0) $ip $MAC" /tmp/dnsmasq.log 2>/dev/null)
    detail="$detail; pings $answered of 3 answered ($sent sent); UDP 1000 bytes echoed: $( [ $udp_ok = 1 ] && echo yes || echo no); TCP 65536 bytes echoed: $( [ $tcp_ok = 1 ] && echo yes || echo "no ($(stat -c %s /tmp/tcp-echo-again 2>/dev/null) bytes)"); status page: xen_detaches ${detaches:-?}, xen_reattaches ${reattaches:-?}, device_state '${dstate:-?}', xen_vif '${xvif:-?}', xen_memory_returned_kib ${returned:-?}; background ping: ${ptx:-?} sent, ${prx:-?} answered, $(( ${ptx:-0} - ${prx:-0} )) lost, longest gap between answers $gap s; dnsmasq DHCPACKs to $MAC: $dhcp_again"
    missing=
    [ $rc = 0 ] || missing="$missing, xl network-attach failed"
    [ $r = 0 ] || missing="$missing, not reconnected within $ATTACH_WAIT s${stuck:+ ($stuck)}"
    [ $answered = 3 ] || missing="$missing, pings unanswered"
    [ $udp_ok = 1 ] || missing="$missing, no UDP echo"
    [ $tcp_ok = 1 ] || missing="$missing, no TCP echo"
    [ "$detaches" = 1 ] && [ "$reattaches" = 1 ] || missing="$missing, the status page does not count one detach and one reattach (its $(wc -c </tmp/http-again.out) bytes, xen lines: $(grep -a '^xen_' /tmp/http-again.out | tr -d '\r' | tr '\n' ';'))"
    [ "$dstate" = running ] || missing="$missing, device_state not running"
    # The replaced netfront's rings and pages went back to the allocator (every grant ended, no frame of it held).
    [ "${returned:-0}" -gt 0 ] 2>/dev/null || missing="$missing, the replaced netfront's memory was not returned"
    echo "$xvif" | grep -q "(connected)" || missing="$missing, xen_vif not connected"
    if [ -z "$missing" ]; then attach_ok=1; check vif-attach PASS "$detail"
    else check vif-attach FAIL "${missing#, }: $detail$(guest_state)"; fi
    relay
else
    [ -n "$traffic" ] && { kill -INT $traffic 2>/dev/null; wait $traffic 2>/dev/null; }
    check vif-attach FAIL "$( [ -n "$ip" ] && [ -z "$guest_dead" ] && echo "no detach to recover from (the vif-detach check failed)" || why_not)"
fi

# ---- offloads: negotiated on both ends (xenstore, the guest's log and status page) and used by the TCP echo ----
# netif.h: the frontend's feature-gso-tcpv4=1 lets netback hand it coalesced TCP packets; feature-no-csum-offload=0
# lets it hand partial checksums. The guest sends TSO packets (a GSO extra) when netback offers feature-gso-tcpv4.
# Used, not just negotiated: the vif saw frames larger than the MTU's 1,514 bytes both ways (tcpdump counts the
# original length; the capture keeps 128 bytes of each), the guest's counters say it sent segmented packets and
# took coalesced ones, and dom0's stack counted no checksum errors (TCP and UDP InCsumErrors since boot).
csum_errors() { awk '/^(Tcp|Udp):/ { if (seen[$1]++) { for (i = 2; i <= NF; i++) if (name[$1, i] == "InCsumErrors") s += $i } else for (i = 2; i <= NF; i++) name[$1, i] = $i } END { print s + 0 }' /proc/net/snmp; }
if [ $connected = 1 ]; then
    phase "offloads check"
    guest_log
    fe_gso=$(xenstore_read $fe/feature-gso-tcpv4 2>/dev/null); fe_nocsum=$(xenstore_read $fe/feature-no-csum-offload 2>/dev/null)
    be_gso=$(xenstore_read $be/feature-gso-tcpv4 2>/dev/null)
    guest_line=$(guest_lines | grep -a -o 'offloads: tx-csum.*' | head -1)
    # Up to three reads, as page() above: an empty answer may be a dom0 process that died, not a missing line.
    status_value() { for t in 1 2 3; do v=$(sed -n "s/^$1: *\([0-9]*\).*/\1/p" /tmp/http.out 2>/dev/null | tr -d '\r' | head -1); [ -n "$v" ] && break; done; echo "$v"; }
    offl=$(sed -n 's/^xen_offloads: *//p' /tmp/http.out 2>/dev/null | tr -d '\r' | head -1)
    segmented=$(status_value tx_segmented_frames); coalesced=$(status_value rx_coalesced_frames)
    tx_largest=$(status_value tx_largest_frame); rx_largest=$(status_value rx_largest_frame); offload_errors=$(status_value rx_offload_errors)
    big_from=?; big_to=?
    # No capture: say why (tcpdump's own words), as "?" alone does not.
    [ -s /tmp/vif.pcap ] || big_from="? (no capture of $vif: $(head -c 160 /tmp/tcpdump-vif.err 2>/dev/null | tr '\n' ' '))"
    if [ -s /tmp/vif.pcap ]; then
        big_from=$(timeout 30 tcpdump -r /tmp/vif.pcap -n "tcp and src host $ip and greater 1515" 2>/dev/null | wc -l)
        big_to=$(timeout 30 tcpdump -r /tmp/vif.pcap -n "tcp and dst host $ip and greater 1515" 2>/dev/null | wc -l)
    fi
    errors=$(csum_errors)
    fixups=$(timeout 30 ethtool -S "$vif" 2>/dev/null | sed -n 's/^ *rx_gso_checksum_fixup: *//p' | head -1)
    detail="frontend feature-gso-tcpv4=${fe_gso:-absent} feature-no-csum-offload=${fe_nocsum:-absent}, backend feature-gso-tcpv4=${be_gso:-absent}; guest: '${guest_line:-no offloads line}'; status page: xen_offloads '${offl:-?}', tx_segmented_frames ${segmented:-?} (largest ${tx_largest:-?} B), rx_coalesced_frames ${coalesced:-?} (largest ${rx_largest:-?} B), rx_offload_errors ${offload_errors:-?}; vif frames > 1514 B: from the guest $big_from, to the guest $big_to; dom0 InCsumErrors (TCP+UDP) $errors; netback rx_gso_checksum_fixup ${fixups:-?}"
    # What is missing, by name (nothing when all holds).
    missing=
    [ "$fe_gso" = 1 ] || missing="$missing, frontend feature-gso-tcpv4 not 1"
    [ "$fe_nocsum" = 0 ] || missing="$missing, frontend feature-no-csum-offload not 0"
    [ "$guest_line" = "offloads: tx-csum on, rx-csum on, tx-gso on, rx-gso on" ] || missing="$missing, not every offload on in the guest's line"
    [ "${segmented:-0}" -gt 0 ] 2>/dev/null || missing="$missing, no segmented sends counted"
    [ "${coalesced:-0}" -gt 0 ] 2>/dev/null || missing="$missing, no coalesced receives counted"
    [ "$offload_errors" = 0 ] || missing="$missing, offload errors in the guest"
    case "$big_from" in [0-9]*) [ "$big_from" -gt 0 ] ;; *) false ;; esac || missing="$missing, no frame > 1514 B from the guest on the vif"
    [ "$big_to" != "?" ] && [ "$big_to" -gt 0 ] || missing="$missing, no frame > 1514 B to the guest on the vif"
    [ "$errors" = 0 ] || missing="$missing, checksum errors in dom0"
    [ "${fixups:-0}" = 0 ] || missing="$missing, netback fixed up GSO checksums"
    if [ -z "$missing" ]; then check offloads PASS "$detail"
    else check offloads FAIL "${missing#, }: $detail"; fi
else
    check offloads FAIL "the netfront never connected"
fi

# ---- bench (XEN_LANE_BENCH=1; PVH only; not a check): a TCP echo of BENCH_BYTES timed with offloads on, here,
# and later the same with a second guest booted with xen.offloads-off=all; one BENCH line with both and the ratio ----
BENCH_BYTES=${BENCH_BYTES:-1048576}
bench_echo() { # <label>: times an echo of /tmp/bench-payload; prints "<ms>" or "failed: <why>"
    t0=$(now_ms)
    timeout 240 socat -T 60 -t 60 - TCP:$ip:7 </tmp/bench-payload >/tmp/bench-echo 2>/tmp/bench-socat.err
    took=$(( $(now_ms) - t0 ))
    if cmp -s /tmp/bench-payload /tmp/bench-echo; then echo "$took"; else echo "failed: $(stat -c %s /tmp/bench-echo 2>/dev/null) of $BENCH_BYTES bytes back after $took ms; $(head -c 150 /tmp/bench-socat.err)"; fi
}
bench_on=
if [ "${XEN_LANE_BENCH:-0}" = 1 ] && [ "$GUEST_TYPE" = pvh ] && can_run; then
    phase "bench, offloads on"
    head -c "$BENCH_BYTES" /dev/urandom >/tmp/bench-payload
    bench_on=$(bench_echo); relay
    say "bench: offloads on: $bench_on ms for $BENCH_BYTES bytes each way"
fi

# ---- the account: where frames went, on every hop dom0 can see ----
phase "the account"
# A diagnostic command of the account, given up after $1 seconds and left behind (its output so far is printed): in two
# runs on 1 December dom0's script sat in the account for 7 minutes after every check had passed, once right after the
# bridge's counters, where `timeout 30 ethtool` came next. A process stuck in the kernel outlives timeout's signals;
# the account need not wait for it.
bounded() {
    secs=$1; shift
    "$@" >/tmp/bounded.out 2>&1 &
    pid=$!; waited=0
    while kill -0 $pid 2>/dev/null && [ $waited -lt "$secs" ]; do sleep 1; waited=$((waited + 1)); done
    cat /tmp/bounded.out
    if kill -0 $pid 2>/dev/null; then kill -9 $pid 2>/dev/null; echo "(given up after $secs s: $*)"; fi
}
sleep 2
relay
say "lane checks ended at t+$(since) s"
if [ -n "$domid" ]; then
    say "counters of $vif (netback: its tx is toward the guest) and the bridge:"
    bounded 10 ip -s -s link show dev "$vif" | sed 's/^/XEN-LANE:   /'
    [ "$GUEST_TYPE" = hvm ] && bounded 10 ip -s link show dev "$vif-emu" | sed 's/^/XEN-LANE:   /'
    bounded 10 ip -s link show dev xenbr0 | sed 's/^/XEN-LANE:   /'
    bounded 20 ethtool -S "$vif" | grep -v ": 0$" | sed 's/^/XEN-LANE:   ethtool: /'
    for f in /sys/kernel/debug/xen-netback/$vif/io_ring_q*; do [ -f "$f" ] && bounded 10 cat "$f" | sed "s|^|XEN-LANE:   ${f##*/}: |"; done
    bounded 10 bridge fdb show br xenbr0 | grep -i "$MAC" | sed 's/^/XEN-LANE:   fdb: /'
    grep -E "^(Udp|Icmp):" /proc/net/snmp | sed 's/^/XEN-LANE:   dom0 /'
    # Programs in dom0 have crashed here now and then (xl, grep, this shell: the emulated machine's doing,
    # not the guest's); the kernel names each.
    bounded 10 dmesg | tr -cd '[:print:]\n' | grep -E "segfault at|traps:|general protection|invalid opcode" | tail -10 | sed 's/^ */XEN-LANE:   dom0 crash: /'
    grep -o 'DHCP[A-Z]*([^)]*) .*' /tmp/dnsmasq.log 2>/dev/null | sed 's/^/XEN-LANE:   dnsmasq: /'
fi
kill -INT $dumps 2>/dev/null; sleep 1
# Every frame on the bridge but TCP data in mid-stream, with the lane time; then, for the bridge and for the
# guest's vif (what netback was given and gave back), how many frames of each kind.
for p in bridge vif; do
    [ -s /tmp/$p.pcap ] || continue
    [ $p = bridge ] && say "frames on the bridge (t+ seconds since xl create; TCP data segments left out):"
    # tcpdump stamps frames with the wall clock: xl create's moment on it, taken now.
    tcpdump -r /tmp/$p.pcap -n -tt -e 2>/dev/null | awk -v p=$p -v s=$(( $(date +%s%N) / 1000000 - $(now_ms) + start_ms )) '
        { t = $1 - s / 1000; $1 = ""; k = "other" }
        / ARP,/ { k = "arp" } /ICMP echo request/ { k = "icmp-request" } /ICMP echo reply/ { k = "icmp-reply" }
        /\.67 > |\.68 > / { k = "dhcp" } /\.7: UDP|\.7 > .*: UDP/ { k = "udp-echo" } /: Flags / { k = "tcp" }
        { n[k]++ }
        p == "bridge" && (k != "tcp" || !/length [1-9]/) { printf "XEN-LANE:   t+%.3f%s\n", t, $0 }
        END { printf "XEN-LANE:   frames on the %s:", p; for (k in n) printf " %s=%d", k, n[k]; printf "\n" }'
done
xl destroy $domid 2>/dev/null
if [ -n "$bench_on" ]; then
    phase "bench, offloads off (a second guest)"
    bench_off="no second guest"
    sed -i '/^name/a cmdline = "xen.offloads-off=all"' /tmp/guest.cfg
    for i in 1 2 3 4 5 6 7 8 9 10; do xl list cosmos >/dev/null 2>&1 || break; sleep 1; done
    if XL_LIMIT=300 xl create /tmp/guest.cfg >/tmp/xl-create2.log 2>&1 && domid=$(xl domid cosmos 2>/dev/null) && [ -n "$domid" ]; then
        vif=vif$domid.0; lines=0; guest_ip=; guest_dead=
        bound() { guest_log; grep -aq "net: DHCP bound $ip/" /tmp/guest.log; }
        if wait_for 180 bound; then
            line=$(grep -a -o 'offloads: tx-csum.*' /tmp/guest.log | head -1)
            bench_off=$(bench_echo)
            say "bench: offloads off ('$line'): $bench_off ms for $BENCH_BYTES bytes each way"
        else bench_off="the second guest did not get its address within 180 s${stuck:+ ($stuck)}"; fi
        xl destroy $domid 2>/dev/null
    else bench_off="xl create of the second guest failed: $(tail -c 200 /tmp/xl-create2.log | tr '\n' ' ')"; fi
    case "$bench_on$bench_off" in
        *[!0-9]*) echo "XEN-LANE BENCH tcp-echo $BENCH_BYTES bytes each way: not measured (offloads on: $bench_on; off: $bench_off)" ;;
        *) echo "XEN-LANE BENCH tcp-echo $BENCH_BYTES bytes each way: offloads on $bench_on ms ($(( BENCH_BYTES * 16 / bench_on )) kbit/s), off $bench_off ms ($(( BENCH_BYTES * 16 / bench_off )) kbit/s), on/off throughput ratio $(awk -v a=$bench_off -v b=$bench_on 'BEGIN { printf "%.2f", a / b }')" ;;
    esac
fi
kill $heartbeat 2>/dev/null
say "lane took $(since) s from xl create"
echo "XEN-LANE DONE"
