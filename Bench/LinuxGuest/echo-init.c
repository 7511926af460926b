/*
 * The Linux side of the benchmark: PID 1 of a tiny initramfs. It loads the virtio-net modules, gives eth0
 * the address from the kernel command line (echoip=a.b.c.d), and serves UDP and TCP echo on port 7
 * (RFC 862) and HTTP/1.1 on port 80 (GET /hello: "Hello, world!\n", the body our kernel serves there;
 * persistent connections, pipelined requests, Connection: close honoured) from one epoll loop, as the
 * Cosmos-net kernel does. Built static: gcc -static -O2.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

static const char *modules[] = {
    /* dependency order (each module's depends= field) */
    "virtio_ring.ko", "virtio.ko", "virtio_pci_modern_dev.ko", "virtio_pci_legacy_dev.ko", "virtio_pci.ko",
    "failover.ko", "net_failover.ko", "virtio_net.ko",
};

/* Per-connection state, indexed by file descriptor: what the socket serves, and an HTTP request head in progress. */
enum { KIND_NONE, KIND_ECHO, KIND_HTTP };
#define MAX_FDS 4096
#define HEAD_LIMIT 4096
static unsigned char kind[MAX_FDS];
static char *head[MAX_FDS];
static int head_len[MAX_FDS];

static const char hello_body[] = "Hello, world!\n";

static void die(const char *what) {
    printf("linux-echo: %s failed: %s\n", what, strerror(errno));
    fflush(stdout);
    sleep(1);
    reboot(RB_POWER_OFF);
    _exit(1);
}

static void load_modules(void) {
    char path[128];
    for (size_t i = 0; i < sizeof modules / sizeof *modules; i++) {
        snprintf(path, sizeof path, "/modules/%s", modules[i]);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) die(path);
        if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) die(path);
        close(fd);
    }
}

static void configure(const char *ip) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    for (int tries = 0;; tries++) {
        memset(&ifr, 0, sizeof ifr);
        strcpy(ifr.ifr_name, "eth0");
        if (ioctl(s, SIOCGIFINDEX, &ifr) == 0) break;
        if (tries > 500) die("waiting for eth0");
        usleep(10000);
    }
    struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
    a->sin_family = AF_INET;
    inet_pton(AF_INET, ip, &a->sin_addr);
    if (ioctl(s, SIOCSIFADDR, &ifr) != 0) die("SIOCSIFADDR");
    inet_pton(AF_INET, "255.255.255.0", &a->sin_addr);
    if (ioctl(s, SIOCSIFNETMASK, &ifr) != 0) die("SIOCSIFNETMASK");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) die("SIOCGIFFLAGS");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) die("SIOCSIFFLAGS");
    close(s);
}

static void read_ip(char *ip, size_t n) {
    strcpy(ip, "10.0.3.15");
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd < 0) return;
    char line[1024] = {0};
    read(fd, line, sizeof line - 1);
    close(fd);
    char *p = strstr(line, "echoip=");
    if (!p) return;
    p += 7;
    size_t i = 0;
    while (p[i] && p[i] != ' ' && p[i] != '\n' && i + 1 < n) { ip[i] = p[i]; i++; }
    ip[i] = 0;
}

static void close_client(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    kind[fd] = KIND_NONE;
    head_len[fd] = 0;
}

static int send_all(int fd, const char *data, size_t n) {
    for (size_t off = 0; off < n;) {
        ssize_t w = send(fd, data + off, n - off, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Answers every complete request head in the connection's buffer, in order; returns -1 to close. */
static int serve_http(int fd) {
    char *b = head[fd];
    for (;;) {
        char *end = memmem(b, (size_t)head_len[fd], "\r\n\r\n", 4);
        if (!end) return head_len[fd] >= HEAD_LIMIT ? -1 : 0;
        size_t used = (size_t)(end - b) + 4;
        int close_after = memmem(b, used, "Connection: close", 17) != NULL || memmem(b, used, "connection: close", 17) != NULL;
        int hello = used > 11 && memcmp(b, "GET /hello ", 11) == 0;
        char response[512];
        int n = snprintf(response, sizeof response,
                         "HTTP/1.1 %s\r\nServer: linux-echo\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s",
                         hello ? "200 OK" : "404 Not Found", hello ? sizeof hello_body - 1 : (size_t)10,
                         close_after ? "Connection: close\r\n" : "", hello ? hello_body : "Not Found\n");
        if (send_all(fd, response, (size_t)n) != 0 || close_after) return -1;
        memmove(b, b + used, (size_t)head_len[fd] - used);
        head_len[fd] -= (int)used;
    }
}

int main(void) {
    mkdir("/dev", 0755);
    mkdir("/proc", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mount("proc", "/proc", "proc", 0, NULL);
    int console = open("/dev/console", O_RDWR);
    if (console >= 0) { dup2(console, 1); dup2(console, 2); }
    setvbuf(stdout, NULL, _IOLBF, 0);

    char ip[32];
    read_ip(ip, sizeof ip);
    load_modules();
    configure(ip);

    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(7) };
    if (bind(udp, (struct sockaddr *)&any, sizeof any) != 0) die("bind udp");
    if (bind(tcp, (struct sockaddr *)&any, sizeof any) != 0) die("bind tcp");
    if (listen(tcp, 64) != 0) die("listen");
    int http = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(http, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in http_port = { .sin_family = AF_INET, .sin_port = htons(80) };
    if (bind(http, (struct sockaddr *)&http_port, sizeof http_port) != 0) die("bind http");
    if (listen(http, 1024) != 0) die("listen http");

    /* The benchmark's statistics port (7007, the same protocol as our kernel's): any datagram is answered
     * with the CPU time spent outside idle (from /proc/stat, in clock ticks) and the datagrams echoed.
     * Under QEMU's -icount the guest's clock counts instructions, so busy time is an instruction count. */
    int stats = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in stats_port = { .sin_family = AF_INET, .sin_port = htons(7007) };
    if (bind(stats, (struct sockaddr *)&stats_port, sizeof stats_port) != 0) die("bind stats");
    unsigned long long echoed = 0;

    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN };
    ev.data.fd = udp; epoll_ctl(ep, EPOLL_CTL_ADD, udp, &ev);
    ev.data.fd = stats; epoll_ctl(ep, EPOLL_CTL_ADD, stats, &ev);
    ev.data.fd = tcp; epoll_ctl(ep, EPOLL_CTL_ADD, tcp, &ev);
    ev.data.fd = http; epoll_ctl(ep, EPOLL_CTL_ADD, http, &ev);
    printf("linux-echo: ready %s\n", ip);

    static char buf[65536];
    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(ep, events, 64, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == udp) {
                for (;;) {
                    struct sockaddr_in from;
                    socklen_t len = sizeof from;
                    ssize_t r = recvfrom(udp, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
                    if (r < 0) break;
                    if (sendto(udp, buf, (size_t)r, 0, (struct sockaddr *)&from, len) >= 0) echoed++;
                }
            } else if (fd == stats) {
                struct sockaddr_in from;
                socklen_t len = sizeof from;
                if (recvfrom(stats, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) < 0) continue;
                unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
                FILE *f = fopen("/proc/stat", "r");
                if (f) { if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait, &irq, &softirq, &steal) != 8) user = 0; fclose(f); }
                int n = snprintf(buf, sizeof buf, "busy-ticks=%llu ticks-per-second=%ld echoed=%llu",
                                 user + nice + sys + irq + softirq + steal, sysconf(_SC_CLK_TCK), echoed);
                sendto(stats, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
            } else if (fd == tcp || fd == http) {
                for (;;) {
                    int c = accept4(fd, NULL, NULL, 0); /* blocking client sockets: writes complete */
                    if (c < 0) break;
                    if (c >= MAX_FDS) { close(c); continue; }
                    kind[c] = fd == tcp ? KIND_ECHO : KIND_HTTP;
                    head_len[c] = 0;
                    if (kind[c] == KIND_HTTP && !head[c]) head[c] = malloc(HEAD_LIMIT);
                    struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
            } else if (kind[fd] == KIND_HTTP) {
                ssize_t r = recv(fd, head[fd] + head_len[fd], (size_t)(HEAD_LIMIT - head_len[fd]), MSG_DONTWAIT);
                if (r <= 0) {
                    if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) close_client(ep, fd);
                    continue;
                }
                head_len[fd] += (int)r;
                if (serve_http(fd) != 0) close_client(ep, fd);
            } else {
                ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (r <= 0) {
                    if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) close_client(ep, fd);
                    continue;
                }
                for (ssize_t off = 0; off < r;) {
                    ssize_t w = send(fd, buf + off, (size_t)(r - off), 0);
                    if (w <= 0) break;
                    off += w;
                }
            }
        }
    }
}
