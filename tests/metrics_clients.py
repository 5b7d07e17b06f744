#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Bad clients of --metrics on 127.0.0.1:PORT, each checked for an error
or a close, never a hang: 50 scrapers at once, a client that sends
nothing, one that never reads, garbage, a 1 MB header; then the right
answers to HEAD, other paths and other methods. One line per check, "ok"
or "FAIL"; exit 1 on a failure."""
import socket
import sys

PORT = int(sys.argv[1])
# well over the server's 5 s of silence: a client still open then hangs
WAIT = 20
failed = 0


def check(ok, what):
    global failed
    print(("ok   " if ok else "FAIL ") + what)
    failed += not ok


def connect():
    return socket.create_connection(("127.0.0.1", PORT), timeout=WAIT)


def read_all(s):
    """Everything until the server closes: bytes, or the error's name;
    "timeout" when it never does."""
    data = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return data
            data += b
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return type(e).__name__


def request(method=b"GET", path=b"/metrics"):
    s = connect()
    s.sendall(method + b" " + path + b" HTTP/1.1\r\nHost: t\r\n"
              b"Connection: close\r\n\r\n")
    r = read_all(s)
    s.close()
    return r


def status(r):
    if isinstance(r, str):
        return r
    if not r:
        return "closed"
    return r.split(b"\r\n", 1)[0].decode("latin-1")


def whole(r):
    """A 200 with the whole text (its last family is there)."""
    return isinstance(r, bytes) and r.startswith(b"HTTP/1.1 200") and \
        b"iouringsnoop_lost_events_total{reason=" in r


def main():
    # 50 connections open at once, then a request on each, then reads;
    # HTTP/1.1 keeps a connection: a close is asked for so reads end
    outs = []
    socks = []
    for _ in range(50):
        try:
            socks.append(connect())
        except OSError as e:
            outs.append(type(e).__name__)
    for s in socks:
        try:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\n"
                      b"Connection: close\r\n\r\n")
        except OSError:
            pass
    for s in socks:
        r = read_all(s)
        outs.append("200" if whole(r) else status(r))
        s.close()
    hung = [o for o in outs if o == "timeout"]
    partial = [o for o in outs if o.startswith("HTTP/1.1 200")]
    check(not hung and not partial and "200" in outs,
          "50 scrapers at once: %d whole answers, the others %s" %
          (outs.count("200"), sorted(set(o for o in outs if o != "200"))))

    # connects, sends nothing: closed by the server
    s = connect()
    r = read_all(s)
    check(r != "timeout" and not whole(r),
          "a silent client is closed (%s)" % status(r))
    s.close()

    # sends a request, never reads: others are answered meanwhile
    idle = connect()
    idle.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
    check(whole(request()), "a scrape while a client does not read")
    idle.close()

    # garbage: an error status or a close, never the metrics
    s = connect()
    s.sendall(bytes(range(256)) + b"\r\n\r\n")
    r = read_all(s)
    check(r != "timeout" and not whole(r), "garbage gets %s" % status(r))
    s.close()

    # a 1 MB header
    s = connect()
    try:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\nX-Big: " +
                  b"a" * (1 << 20) + b"\r\n\r\n")
    except OSError:
        pass
    r = read_all(s)
    check(r != "timeout" and not whole(r),
          "a 1 MB header gets %s" % status(r))
    s.close()

    r = request(b"HEAD")
    check(isinstance(r, bytes) and r.startswith(b"HTTP/1.1 200") and
          r.endswith(b"\r\n\r\n"), "HEAD: 200, no body")
    check(status(request(path=b"/")) == "HTTP/1.1 404 Not Found",
          "/ is 404")
    check(status(request(b"POST")).startswith("HTTP/1.1 405"),
          "POST is 405")
    check(whole(request()), "a scrape after them all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
