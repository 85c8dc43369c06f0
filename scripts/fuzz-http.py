#!/usr/bin/env python3
"""A raw-socket HTTP/1 fuzzer for a local fxrates process.

Sends batches of hostile inputs -- random bytes, malformed request lines, huge and repeated headers,
invalid chunked bodies, pipelined garbage, slow partial writes, random queries -- each on its own
connection to 127.0.0.1:PORT. It fails (exit 1) on:
  - a 500 (any 5xx but the 503 of FX_MAX_CONNECTIONS) in any response;
  - a hang: a connection that got no byte back and was not closed within the header timeout + 5 s;
  - the process dying, or /health not answering 200 after a batch;
  - an fd leak: more descriptors in /proc/PID/fd than before the first batch, once the batch's
    connections are closed (polled every 50 ms for up to FD_SETTLE seconds).

Every run prints its seed; the same seed replays the same inputs in the same order:
  scripts/fuzz-http.py --port 18433 --pid 1234 --seconds 45 --seed 1234567
Stdlib only; bounded in time, connections and bytes; every socket is closed on every way out.
"""
import argparse
import concurrent.futures
import os
import random
import socket
import sys
import time

HOST = "127.0.0.1"
FD_SETTLE = 15.0
PATHS = ["/health", "/ready", "/v1/convert", "/v1/rates", "/v1/rates/history", "/v1/currencies", "/metrics",
         "/openapi.json", "/v1/admin/rates/2024-01-02", "/", "/v1", "/v1/convert/", "//v1//convert", "/%2e%2e/etc"]
QUERIES = ["from=USD&to=EUR&amount=1", "from=usd&to=EUR&amount=1e400", "from=USD&to=EUR&amount=-0",
           "from=XXX&to=EUR&amount=1", "symbols=USD,GBP", "start=2024-01-01&end=2024-02-01&base=USD",
           "date=2024-02-30", "amount=%FF%FE", "from=%00&to=%0d%0a", "a=" + "9" * 5000, "&&&==", "%", "%zz",
           "rounding=bankers&amount=0.000000000000000000001&from=EUR&to=JPY", "from=EUR&from=USD&to=GBP&amount=1"]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "get", "G ET", "GET\x00",
           "BREW", "X" * 300]


def request(method="GET", target="/health", version="HTTP/1.1", headers=None, body=b""):
    lines = [f"{method} {target} {version}"] + [f"{name}: {value}" for name, value in (headers or [("Host", HOST)])]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + body


def target(rng):
    path = rng.choice(PATHS)
    return path + ("?" + rng.choice(QUERIES) if rng.random() < 0.7 else "")


# Each generator returns (chunks, pause): the chunks are sent one after another, `pause` seconds apart.
def random_bytes(rng):
    return [rng.randbytes(rng.randint(1, 4096))], 0


def malformed_request_line(rng):
    choices = [
        lambda: f"{rng.choice(METHODS)} {target(rng)} HTTP/1.1",
        lambda: f"GET {target(rng)}",
        lambda: f"GET {target(rng)} HTTP/{rng.choice(['0.9', '1.2', '2.0', '9.9', '1', 'x.y'])}",
        lambda: f"GET /{'a' * rng.randint(1000, 100_000)} HTTP/1.1",
        lambda: f"GET {target(rng)}\x01\x7f HTTP/1.1",
        lambda: f"GET  {target(rng)}  HTTP/1.1",
        lambda: f"GET http://{HOST}{target(rng)} HTTP/1.1",
        lambda: "GET * HTTP/1.1",
        lambda: f"\r\n\r\nGET {target(rng)} HTTP/1.1",
        lambda: f"GET {target(rng)} HTTP/1.1\nHost: x\n",
    ]
    line = rng.choice(choices)()
    return [(line + f"\r\nHost: {HOST}\r\n\r\n").encode("latin-1", "replace")], 0


def huge_or_repeated_headers(rng):
    kind = rng.randrange(6)
    if kind == 0:
        headers = [("Host", HOST), ("X-Big", "v" * rng.randint(50_000, 200_000))]
    elif kind == 1:
        headers = [("Host", HOST)] + [(f"X-{i}", "v") for i in range(rng.randint(900, 3000))]
    elif kind == 2:
        headers = [("Host", HOST)] * rng.randint(2, 50)
    elif kind == 3:
        headers = [("Host", HOST), ("Content-Length", "5"), ("Content-Length", "7")]
    elif kind == 4:
        headers = [("Host", HOST), ("X-Request-ID", rng.choice(["\x00", "a" * 500, "é", " ", "\t"])),
                   ("Authorization", "Bearer " + "k" * rng.randint(1, 20_000)), ("X-API-Key", "\x7f" * 40)]
    else:
        headers = [("Host", HOST), ("X-Forwarded-For", ", ".join(["1.2.3.4"] * rng.randint(1, 5000))),
                   (" Bad Name", "x"), ("X-Folded", "a\r\n b")]
    return [request(rng.choice(["GET", "PUT"]), target(rng), headers=headers)], 0


def invalid_chunked_body(rng):
    bodies = [b"zz\r\nhello\r\n0\r\n\r\n", b"5\r\nhello0\r\n\r\n", b"-1\r\nx\r\n0\r\n\r\n",
              b"ffffffffffffffffff\r\nx\r\n", b"5;ext=\"\x00\"\r\nhello\r\n0\r\n\r\n", b"5\r\nhel",
              b"0\r\nTrailer: " + b"t" * 100_000 + b"\r\n\r\n", b"3\r\nabc\r\n0\r\n\r\nGARBAGE"]
    headers = [("Host", HOST), ("Transfer-Encoding", rng.choice(["chunked", "chunked, gzip", "gzip, chunked", "xchunked"]))]
    if rng.random() < 0.3:
        headers.append(("Content-Length", str(rng.randint(0, 100))))
    method = rng.choice(["PUT", "POST", "GET"])
    return [request(method, rng.choice(["/v1/admin/rates/2024-01-02", target(rng)]), headers=headers,
                    body=rng.choice(bodies))], 0


def pipelined_garbage(rng):
    parts = []
    for _ in range(rng.randint(2, 20)):
        parts.append(rng.choice([request(target=target(rng)), rng.randbytes(rng.randint(1, 200)), b"\r\n",
                                 request("HEAD", target(rng)), b"GET / HTTP/1.1\r\nHost"]))
    return [b"".join(parts)], 0


def slow_partial_writes(rng):
    whole = rng.choice([request(target=target(rng)), request(target=target(rng)) + rng.randbytes(20),
                        malformed_request_line(rng)[0][0], invalid_chunked_body(rng)[0][0][:2000]])
    cuts = sorted(rng.sample(range(1, len(whole)), min(len(whole) - 1, rng.randint(1, 8))))
    chunks = [whole[a:b] for a, b in zip([0] + cuts, cuts + [len(whole)])]
    return chunks, rng.uniform(0.01, 0.3)


def random_queries(rng):
    headers = [("Host", HOST), ("Connection", rng.choice(["close", "keep-alive", "Upgrade", "x"]))]
    if rng.random() < 0.2:
        headers.append(("Accept", rng.choice(["*/*", "application/json", "text/html;q=0", "\x01"])))
    return [request(rng.choice(["GET", "HEAD", "GET", "PUT"]), target(rng), headers=headers)], 0


GENERATORS = [random_bytes, malformed_request_line, huge_or_repeated_headers, invalid_chunked_body,
              pipelined_garbage, slow_partial_writes, random_queries]


def statuses(response):
    """Status codes of every response in `response`, pipelined ones included."""
    codes = []
    start = 0
    while (index := response.find(b"HTTP/1.1 ", start)) >= 0:
        code = response[index + 9:index + 12]
        if code.isdigit():
            codes.append(int(code))
        start = index + 9
    return codes


def run_case(port, chunks, pause, hang_after):
    """Sends `chunks`, then reads until the server closes, or is quiet for 0.5 s after answering, or
    `hang_after` passes without a byte; (statuses, outcome)."""
    received = bytearray()
    with socket.create_connection((HOST, port), timeout=5) as s:
        try:
            for index, chunk in enumerate(chunks):
                if index and pause:
                    time.sleep(pause)
                s.sendall(chunk)
        except OSError:
            pass  # the server may close first: e.g. a 400 written after the first bad bytes
        deadline = time.monotonic() + hang_after
        try:
            while time.monotonic() < deadline and len(received) < 1_000_000:
                s.settimeout(max(0.01, deadline - time.monotonic()))
                data = s.recv(65536)
                if not data:
                    return statuses(bytes(received)), "closed"
                received += data
                # Answered: a kept-alive connection is left once the server has been quiet for 0.5 s.
                deadline = min(deadline, time.monotonic() + 0.5)
        except socket.timeout:
            pass
        except OSError:
            return statuses(bytes(received)), "reset"
    return statuses(bytes(received)), "answered" if received else "hang"


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def health(port):
    try:
        with socket.create_connection((HOST, port), timeout=5) as s:
            s.sendall(request(headers=[("Host", HOST), ("Connection", "close")]))
            s.settimeout(5)
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            return statuses(data)[:1] == [200]
    except OSError:
        return False


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's PID, for /proc/PID/fd")
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--batch", type=int, default=200, help="cases per batch")
    parser.add_argument("--workers", type=int, default=16, help="connections at once")
    parser.add_argument("--header-timeout", type=float, default=2, help="the server's FX_HEADER_TIMEOUT_SECONDS")
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600 or not 1 <= args.batch <= 10_000 or not 1 <= args.workers <= 256:
        sys.exit("fuzz-http: --seconds up to 3600, --batch 1..10000, --workers 1..256")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"fuzz-http: seed {seed} (replay: scripts/fuzz-http.py --port PORT --pid PID --seed {seed} "
          f"--batch {args.batch} --workers {args.workers})", flush=True)
    rng = random.Random(seed)
    hang_after = args.header_timeout + 5

    if not health(args.port):
        sys.exit("fuzz-http: the server does not answer /health before the first batch")
    baseline = fd_count(args.pid)
    failures = []
    totals = {"cases": 0, "batches": 0}
    outcomes = {}
    stop = time.monotonic() + args.seconds
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        while time.monotonic() < stop and not failures:
            cases = []
            for index in range(args.batch):
                generator = rng.choice(GENERATORS)
                chunks, pause = generator(rng)
                cases.append((totals["batches"], index, generator.__name__, chunks, pause))
            futures = {pool.submit(run_case, args.port, chunks, pause, hang_after): (batch, index, name, chunks)
                       for batch, index, name, chunks, pause in cases}
            for future in concurrent.futures.as_completed(futures):
                batch, index, name, chunks = futures[future]
                try:
                    codes, outcome = future.result()
                except OSError as error:
                    codes, outcome = [], f"connect failed: {error}"
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                bad = [code for code in codes if code >= 500 and code != 503]
                if bad or outcome == "hang" or outcome.startswith("connect failed"):
                    failures.append(f"batch {batch} case {index} ({name}): statuses {codes}, {outcome}; "
                                    f"first bytes {b''.join(chunks)[:200]!r}")
            totals["cases"] += len(cases)
            totals["batches"] += 1
            if not alive(args.pid):
                failures.append(f"the server died during batch {totals['batches'] - 1}")
                break
            if not health(args.port):
                failures.append(f"/health did not answer 200 after batch {totals['batches'] - 1}")
            settle = time.monotonic() + FD_SETTLE
            while (count := fd_count(args.pid)) > baseline and time.monotonic() < settle:
                time.sleep(0.05)
            if count > baseline:
                failures.append(f"fd leak after batch {totals['batches'] - 1}: {count} open, {baseline} before")
    print(f"fuzz-http: {totals['cases']} cases in {totals['batches']} batches; outcomes {outcomes}; "
          f"fds {fd_count(args.pid) if alive(args.pid) else 'n/a'} (before: {baseline})")
    for failure in failures[:20]:
        print(f"FAIL {failure}")
    if failures:
        print(f"fuzz-http: {len(failures)} failures; replay with --seed {seed}")
        sys.exit(1)
    print("fuzz-http: no 500, hang, crash or fd leak")


if __name__ == "__main__":
    main()
