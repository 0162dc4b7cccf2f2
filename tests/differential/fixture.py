#!/usr/bin/env python3
# Socket fixture for the differential suite: run inside a private network
# namespace (the harness starts it with `ip netns exec`), it opens sockets
# on fixed ports that cover the states and quirks netstat must print
# (listeners, established pairs with queued bytes, FIN_WAIT2/CLOSE_WAIT,
# TIME_WAIT, SYN_SENT, keep-alive, v4-mapped accepts, UDP, UDP-Lite, raw,
# UNIX paths and abstract names) and starts helper processes (a second
# owner, a socket shared after fork, odd argv[0]s, an unprivileged owner).
# It prints "ready" once everything is set up, then serves one-line
# commands on stdin ("refresh" renews the TIME_WAIT socket) until stdin
# closes, and exits; helpers exit when the fixture's life pipe closes.
# Usage: fixture.py TMPDIR  (TMPDIR holds the UNIX socket paths).

import ctypes
import fcntl
import os
import socket
import struct
import subprocess
import sys
import time

LONG_V6 = "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"
ARGV0_BLANKS = "nsrs worker: blanks in argv0"
ARGV0_CONTROL = "nsrs\x1b[1m\tctl"
NOBODY = 65534
SIOCINQ = 0x541B
SIOCOUTQ = 0x5411
TCP_KEEPIDLE = 4
TCP_SYNCNT = 7
SO_SNDBUFFORCE = 32
SOL_RAW = 255
ICMP_FILTER = 1
ICMP6_FILTER = 1
IPPROTO_UDPLITE = 136
PR_SET_DUMPABLE = 4

# Everything the main process must keep open lives here.
HELD = []


def hold(sock):
    """Keep a socket open for the fixture's lifetime; return it."""
    HELD.append(sock)
    return sock


# ----------------------------------------------------------------- helpers


def tcp(family=socket.AF_INET, v6only=None):
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    return sock


def listener(addr, port, family=socket.AF_INET, backlog=16, **opts):
    sock = tcp(family, opts.get("v6only"))
    if "rcvbuf" in opts:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, opts["rcvbuf"])
    sock.bind((addr, port))
    sock.listen(backlog)
    return hold(sock)


def connect_pair(server, local, remote, family=socket.AF_INET):
    """Connect from a fixed local address to `server`; accept the peer."""
    client = tcp(family)
    client.bind(local)
    client.connect(remote)
    peer, _ = server.accept()
    return hold(client), hold(peer)


def queued(sock, request):
    return struct.unpack("i", fcntl.ioctl(sock, request, b"\0" * 4))[0]


def wait_for(predicate, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("fixture: timed out waiting for " + what)
        time.sleep(0.02)


def tcp_state(port):
    """Kernel state (hex text) of the TCP row whose local port is `port`."""
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port:
                return fields[3]
    return None


# -------------------------------------------------------------------- TCP


def tcp_listeners():
    names = {}
    names[22] = listener("0.0.0.0", 22)
    names[8080] = listener("127.0.0.1", 8080)
    names[12345] = listener("127.0.0.5", 12345)
    names[65001] = listener("127.0.0.6", 65001, rcvbuf=4096)
    names[443] = listener("::", 443, socket.AF_INET6, v6only=0)
    names[5432] = listener("::1", 5432, socket.AF_INET6)
    return names


def unread_and_keepalive(srv):
    """40001 -> 8080: keep-alive client, 1234 unread bytes at the server."""
    client, peer = connect_pair(
        srv[8080], ("127.0.0.1", 40001), ("127.0.0.1", 8080)
    )
    client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    client.setsockopt(socket.IPPROTO_TCP, TCP_KEEPIDLE, 7200)
    client.sendall(b"x" * 1234)
    wait_for(lambda: queued(peer, SIOCINQ) == 1234, "1234 unread bytes")


def full_send_queue(srv):
    """40005 -> 65001: a reader that never reads, a writer with a big
    buffer, so Send-Q grows past six digits."""
    client = tcp()
    client.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 16 << 20)
    client.bind(("127.0.0.6", 40005))
    client.connect(("127.0.0.6", 65001))
    peer, _ = srv[65001].accept()
    hold(client)
    hold(peer)
    client.setblocking(False)
    fill_until_stable(client, peer)
    if queued(client, SIOCOUTQ) <= 999999:
        raise RuntimeError("fixture: Send-Q stayed below 1000000")


def fill_until_stable(client, peer):
    chunk = b"y" * 65536
    last = None
    while True:
        try:
            while client.send(chunk):
                pass
        except BlockingIOError:
            pass
        time.sleep(0.3)
        now = (queued(client, SIOCOUTQ), queued(peer, SIOCINQ))
        if now == last:
            return
        last = now


def v6_pairs(srv):
    """[::1]:40003 -> [::1]:443 and a v4-mapped accept 40004 -> 443."""
    connect_pair(srv[443], ("::1", 40003), ("::1", 443), socket.AF_INET6)
    connect_pair(srv[443], ("127.0.0.1", 40004), ("127.0.0.1", 443))


def half_closed(srv):
    """40006 -> 8080: client shut down writing (FIN_WAIT2); the server
    keeps its end open (CLOSE_WAIT)."""
    client, peer = connect_pair(
        srv[8080], ("127.0.0.1", 40006), ("127.0.0.1", 8080)
    )
    client.shutdown(socket.SHUT_WR)
    wait_for(lambda: tcp_state(40006) == "05", "FIN_WAIT2")


def time_wait(server):
    """40007 -> 8080, closed actively by the client: TIME_WAIT. Called
    again it reuses the same four-tuple, which renews the 60 s timer."""
    client = tcp()
    client.bind(("127.0.0.1", 40007))
    client.connect(("127.0.0.1", 8080))
    peer, _ = server.accept()
    client.close()
    peer.settimeout(5)
    peer.recv(1)
    peer.close()
    wait_for(lambda: tcp_state(40007) == "06", "TIME_WAIT")


def plain_established(srv):
    connect_pair(srv[22], ("127.0.0.1", 40009), ("127.0.0.1", 22))


# --------------------------------------------------------- UDP, UDP-Lite


def udp(family=socket.AF_INET, proto=0):
    sock = socket.socket(family, socket.SOCK_DGRAM, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return hold(sock)


def udp_sockets():
    """Returns the 5353 socket, which a helper shares after fork."""
    dns = udp()
    dns.bind(("0.0.0.0", 53))
    mdns = udp()
    mdns.bind(("0.0.0.0", 5353))
    join_v4(mdns, "239.1.2.3")
    ntp = udp(socket.AF_INET6)
    ntp.bind(("::", 123))
    join_v6(ntp, "ff15::1234")
    client = udp()
    client.bind(("127.0.0.1", 5000))
    client.connect(("127.0.0.1", 53))
    for n in range(3):
        client.send(b"query %d" % n)
    wait_for(lambda: queued(dns, SIOCINQ) > 0, "queued datagrams")
    client6 = udp(socket.AF_INET6)
    client6.bind(("::1", 5001))
    client6.connect(("::1", 123))
    udp_lite()
    return mdns


def join_v4(sock, group):
    mreq = socket.inet_aton(group) + socket.inet_aton("127.0.0.1")
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)


def join_v6(sock, group):
    mreq = socket.inet_pton(socket.AF_INET6, group)
    mreq += struct.pack("@I", socket.if_nametoindex("lo"))
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)


def udp_lite():
    udp(socket.AF_INET, IPPROTO_UDPLITE).bind(("0.0.0.0", 5300))
    udp(socket.AF_INET6, IPPROTO_UDPLITE).bind(("::", 5301))


# -------------------------------------------------------------------- raw


def raw_sockets():
    """ICMP sockets block every type, so ICMP errors caused by the runs
    (failed DNS queries) never change their Recv-Q between runs."""
    icmp = hold(socket.socket(socket.AF_INET, socket.SOCK_RAW, 1))
    icmp.setsockopt(SOL_RAW, ICMP_FILTER, struct.pack("I", 0xFFFFFFFF))
    icmp6 = hold(socket.socket(socket.AF_INET6, socket.SOCK_RAW, 58))
    icmp6.setsockopt(58, ICMP6_FILTER, b"\xff" * 32)
    proto253 = hold(socket.socket(socket.AF_INET, socket.SOCK_RAW, 253))
    proto253.connect(("127.0.0.1", 0))
    wide = hold(socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253))
    wide.bind((LONG_V6, 0))


# ------------------------------------------------------------------- UNIX


def unix(kind, name=None, listen=False):
    sock = hold(socket.socket(socket.AF_UNIX, kind))
    if name is not None:
        sock.bind(name)
    if listen:
        sock.listen(4)
    return sock


def unix_sockets(tmp):
    stream = unix(socket.SOCK_STREAM, tmp + "/stream.sock", listen=True)
    client = unix(socket.SOCK_STREAM)
    client.connect(tmp + "/stream.sock")
    hold(stream.accept()[0])
    unix(socket.SOCK_DGRAM, tmp + "/dgram.sock")
    unix(socket.SOCK_SEQPACKET, tmp + "/seq.sock", listen=True)
    unix(socket.SOCK_DGRAM, "\0nsrs-abstract")
    unix(socket.SOCK_STREAM, "\0ab with space\0nul", listen=True)
    HELD.extend(socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM))
    unix(socket.SOCK_STREAM, long_path(tmp), listen=True)
    unix(socket.SOCK_STREAM, tmp + "/with space.sock", listen=True)


def long_path(tmp):
    """A path of exactly 99 bytes inside `tmp`."""
    stem = tmp + "/"
    filler = 99 - len(stem) - len(".sock")
    if filler < 1:
        raise RuntimeError("fixture: temp dir name too long")
    return stem + "L" * filler + ".sock"


# ---------------------------------------------------------------- helpers
# A helper is a forked child that keeps only the fds it is given, makes
# its own sockets, reports "ok" on a pipe and waits for the fixture's
# life pipe to close. With an argv0 it re-executes this script under that
# name, so /proc/PID/cmdline shows it.


def spawn(role, life_r, keep=(), argv0=None, uid=None):
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        child_setup(life_r, ready_w, keep, uid)
        if argv0 is not None:
            fds = [str(fd) for fd in (life_r, ready_w, *keep)]
            os.execv(sys.executable, [argv0, __file__, "--helper", role, *fds])
        run_helper(role, life_r, ready_w, keep)
    os.close(ready_w)
    with os.fdopen(ready_r, "rb") as ready:
        answer = ready.read()
    if answer != b"ok":
        raise RuntimeError("fixture: helper %s failed" % role)
    return pid


def child_setup(life_r, ready_w, keep, uid):
    try:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        wanted = {0, 1, 2, life_r, ready_w, *keep}
        for fd in os.listdir("/proc/self/fd"):
            if int(fd) not in wanted:
                try:
                    os.close(int(fd))
                except OSError:
                    pass
        for fd in wanted:
            os.set_inheritable(fd, True)
        if uid is not None:
            drop_privileges(uid)
    except BaseException as error:
        sys.stderr.write("fixture helper setup: %r\n" % (error,))
        os._exit(1)


def drop_privileges(uid):
    """Become `uid`; stay dumpable, so that `uid` may read our
    /proc/PID/fd (a uid change without exec clears that flag)."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")


def run_helper(role, life_r, ready_w, keep):
    try:
        kept = [socket.socket(fileno=fd) for fd in keep]
        HELPERS[role]()
        os.write(ready_w, b"ok")
        os.close(ready_w)
        while os.read(life_r, 1):
            pass
        del kept
    except BaseException as error:
        sys.stderr.write("fixture helper %s: %r\n" % (role, error))
        os._exit(1)
    os._exit(0)


def backlog_helper():
    """127.0.0.1:9999 with backlog 0: one client fills the accept queue,
    the next ones stay in SYN_SENT."""
    server = listener("127.0.0.1", 9999, backlog=0)
    for port in range(41000, 41004):
        client = tcp()
        client.setsockopt(socket.IPPROTO_TCP, TCP_SYNCNT, 100)
        client.bind(("127.0.0.1", port))
        client.setblocking(False)
        hold(client).connect_ex(("127.0.0.1", 9999))
        time.sleep(0.05)
    wait_for(lambda: tcp_state(41003) == "02", "SYN_SENT")
    del server


def blanks_helper():
    listener("127.0.0.1", 7001)
    HELD.extend(socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM))


def control_helper():
    listener("127.0.0.1", 7002)


def nobody_helper():
    listener("127.0.0.1", 7003)


HELPERS = {
    "backlog": backlog_helper,
    "blanks": blanks_helper,
    "control": control_helper,
    "nobody": nobody_helper,
}


def helper_main(argv):
    """Entry point of a re-executed helper: ROLE LIFE READY [KEEP...]."""
    role = argv[0]
    life_r, ready_w = int(argv[1]), int(argv[2])
    run_helper(role, life_r, ready_w, [int(fd) for fd in argv[3:]])


def helpers(shared):
    life_r, life_w = os.pipe()
    spawn("backlog", life_r, keep=[shared.fileno()])
    spawn("blanks", life_r, argv0=ARGV0_BLANKS)
    spawn("control", life_r, argv0=ARGV0_CONTROL)
    spawn("nobody", life_r, uid=NOBODY)
    os.close(life_r)
    return life_w


# ------------------------------------------------------------------- main


def network_setup():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(
        ["ip", "addr", "replace", LONG_V6 + "/128", "dev", "lo", "nodad"],
        check=True,
    )


def serve(srv):
    """Answer commands on stdin until it closes."""
    for line in sys.stdin:
        if line.strip() == "refresh":
            try:
                time_wait(srv[8080])
                print("refreshed", flush=True)
            except OSError as error:
                print("refresh failed: %s" % error, flush=True)


def main(argv):
    if argv[:1] == ["--helper"]:
        helper_main(argv[1:])
        return
    network_setup()
    srv = tcp_listeners()
    unread_and_keepalive(srv)
    full_send_queue(srv)
    v6_pairs(srv)
    half_closed(srv)
    plain_established(srv)
    time_wait(srv[8080])
    shared = udp_sockets()
    raw_sockets()
    unix_sockets(argv[0])
    life = helpers(shared)
    print("ready", flush=True)
    serve(srv)
    os.close(life)


if __name__ == "__main__":
    main(sys.argv[1:])
