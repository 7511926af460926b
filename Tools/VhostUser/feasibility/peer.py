import socket, struct, time, sys
# Used by feasibility/run.sh (see ../FEASIBILITY.md): ARP for 10.0.2.15, then a UDP datagram to its echo port every 2 s.
# A host-side Ethernet peer over UDP datagrams (one frame per datagram), for the back end's UdpDatagramEndpoint.
dur = float(sys.argv[1]) if len(sys.argv) > 1 else 60
pad = int(sys.argv[2]) if len(sys.argv) > 2 else 0  # extra payload bytes per datagram
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 40002)); s.settimeout(0.5)
dst = ('127.0.0.1', 40001)
mymac = bytes.fromhex('525400123499'); myip = socket.inet_aton('10.0.2.2'); gip = socket.inet_aton('10.0.2.15')
def csum(b):
    if len(b) % 2: b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b)//2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
    return (~t) & 0xffff
arp = b'\xff'*6 + mymac + b'\x08\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + mymac + myip + b'\0'*6 + gip
gmac = None; end = time.time() + dur; last = 0; echoes = 0; sent = 0
while time.time() < end:
    if time.time() - last > 2:
        last = time.time()
        if gmac is None:
            s.sendto(arp, dst); print('peer: sent ARP request', flush=True)
        else:
            payload = (b'hello-vhost-%d ' % sent) + b'x' * pad; sent += 1
            udp = struct.pack('!HHHH', 40000, 7, 8 + len(payload), 0) + payload
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, myip, gip)
            ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
            s.sendto(gmac + mymac + b'\x08\x00' + ip + udp, dst); print('peer: sent UDP to port 7:', payload[:20], len(payload), 'bytes', flush=True)
    try:
        f, _ = s.recvfrom(70000)
    except socket.timeout:
        continue
    et = struct.unpack('!H', f[12:14])[0]
    if et == 0x0806 and struct.unpack('!H', f[20:22])[0] == 2:
        gmac = f[22:28]; print('peer: ARP reply, guest MAC', gmac.hex(':'), flush=True)
    elif et == 0x0800 and f[23] == 17:
        print('peer: UDP from guest:', f[42:62], len(f) - 42, 'bytes', flush=True); echoes += 1
    else:
        print('peer: frame ethertype 0x%04x len %d' % (et, len(f)), flush=True)
print('peer: done, echoes', echoes, 'sent', sent, flush=True)
