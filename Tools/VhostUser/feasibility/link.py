# Used by feasibility/run.sh trials (see ../FEASIBILITY.md): over the human monitor socket given as argument,
# set_link net0 off 20 s after QEMU is up and on again 10 s later (QEMU stops and restarts vhost: GET_VRING_BASE, then a new start).
import socket, time, sys
path = sys.argv[1]
def cmd(c):
    s = socket.socket(socket.AF_UNIX); s.connect(path); time.sleep(0.3); s.recv(4096)
    s.sendall((c + '\n').encode()); time.sleep(0.5); print('monitor:', c, '->', s.recv(4096)[-200:], flush=True); s.close()
for i in range(100):
    try:
        socket.socket(socket.AF_UNIX).connect(path); break
    except OSError: time.sleep(0.2)
time.sleep(20); cmd('set_link net0 off'); time.sleep(10); cmd('set_link net0 on')
