#!/usr/bin/env python3
"""Slowloris against a local fxrates: hold SOCKETS connections that each sent half a request head, and
report how many the server still keeps open over time and how fast fresh requests are answered meanwhile.

Only 127.0.0.1; at most 10,000 sockets and 600 s; every socket is closed on every way out.

  loadtest/slowloris.py --port 18600 --sockets 3000 --hold 60
"""
import argparse
import http.client
import resource
import select
import socket
import statistics
import sys
import time

HOST = "127.0.0.1"
PARTIAL_HEAD = (b"GET /v1/convert?from=USD&to=EUR&amount=1 HTTP/1.1\r\n"
                b"Host: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Slow: ")
PROBED = ["/health", "/v1/convert?from=USD&to=EUR&amount=1"]


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft


def open_stalled(port, count, sockets, within):
    """Appends to `sockets` as it goes, so that the caller closes every one even if this is interrupted.
    Stops after `within` seconds: a server out of fds leaves connects hanging in a full backlog."""
    failed = 0
    deadline = time.monotonic() + within
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sockets.append(s)
        s.settimeout(2)
        try:
            s.connect((HOST, port))
            s.sendall(PARTIAL_HEAD)
            s.setblocking(False)
        except OSError:
            failed += 1
            sockets.pop()
            s.close()
    return failed


def still_open(sockets):
    """Sockets the server has not closed: a readable socket reading EOF (or an error) was closed.
    poll, not select: select cannot watch descriptors past 1024."""
    poller = select.poll()
    for s in sockets:
        poller.register(s, select.POLLIN)
    readable = {fd for fd, _ in poller.poll(0)}
    alive = []
    for s in sockets:
        if s.fileno() in readable:
            try:
                if s.recv(4096) == b"":
                    s.close()
                    continue
            except OSError:
                s.close()
                continue
        alive.append(s)
    return alive


def timed_get(port, target):
    start = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", target, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status, (time.monotonic() - start) * 1000
    except OSError as error:
        return f"error {error.__class__.__name__}", (time.monotonic() - start) * 1000
    finally:
        connection.close()


def latency_report(port, samples):
    lines = []
    for target in PROBED:
        results = [timed_get(port, target) for _ in range(samples)]
        statuses = sorted({str(status) for status, _ in results})
        times = [ms for _, ms in results]
        lines.append(f"  {target}: status {','.join(statuses)}; median {statistics.median(times):.1f} ms, "
                     f"max {max(times):.1f} ms ({samples} fresh connections)")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sockets", type=int, default=3000)
    parser.add_argument("--hold", type=float, default=60, help="seconds to keep watching the sockets")
    parser.add_argument("--samples", type=int, default=20, help="fresh requests per path for the latency")
    args = parser.parse_args()
    if not 1 <= args.sockets <= 10_000 or not 0 < args.hold <= 600 or not 1 <= args.samples <= 1000:
        sys.exit("slowloris: --sockets 1..10000, --hold up to 600 s, --samples 1..1000")
    limit = raise_fd_limit(args.sockets + 256)
    if limit < args.sockets + 64:
        sys.exit(f"slowloris: ulimit -n is {limit}, too low for {args.sockets} sockets")

    print("baseline (no held sockets):")
    print("\n".join(latency_report(args.port, args.samples)))
    sockets = []
    try:
        start = time.monotonic()
        failed = open_stalled(args.port, args.sockets, sockets, within=30)
        print(f"opened {len(sockets)} stalled sockets in {time.monotonic() - start:.1f} s ({failed} failed)")
        sockets = still_open(sockets)
        print(f"while they are held (t={time.monotonic() - start:.1f} s, {len(sockets)} open):")
        print("\n".join(latency_report(args.port, args.samples)))
        checkpoints = sorted({c for c in (5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600) if c < args.hold} | {args.hold})
        for checkpoint in checkpoints:
            time.sleep(max(0.0, start + checkpoint - time.monotonic()))
            sockets = still_open(sockets)
            print(f"t={checkpoint:>5.0f} s: {len(sockets)} of {args.sockets} still open")
    finally:
        for s in sockets:
            s.close()


if __name__ == "__main__":
    main()
