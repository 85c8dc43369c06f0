#!/usr/bin/env python3
"""The focused clients of loadtest/chaos: checks fxload cannot express. Each prints one JSON line with what
it measured and exits 0 when its expectation holds, 1 when not.

    clients.py exactness --url U --key K --requests 3000 --quota 1000
        3,000 requests at once (one connection each); exactly QUOTA get 200, every other one a 429 whose
        RateLimit-Policy, RateLimit (r=0) and Retry-After are valid.
    clients.py accuracy --url U --keys K1,K2,... --limit 60 --seconds 180 [--factor 1.5]
        each key sends at FACTOR × its per-minute LIMIT. Every decision is checked against an exact sliding
        log of the key's admitted requests: a request is wrongly allowed when LIMIT were already admitted in
        the 60 s before it. Passes when at most 1 % of the decisions are wrongly allowed (Cloudflare's
        format). Reports too the wrongly denied, the worst trailing minute, and how far the decisions differ
        from the sliding-window counter itself, simulated on the same request times. The times are the
        client's send times, not Redis's: a request decided late (a restarted replica, a retry) can put one
        more into a trailing minute of send times than Redis saw in its own.
    clients.py flood --url U --keys 20000 --address 203.0.113.7 [--concurrency 16]
        random well-formed API keys from one client address: status counts.
    clients.py report FILE.json PATH...
        values from an fxload JSON report, by dotted path (total.corrected.p99_ms), one per line.
"""
import argparse
import asyncio
import base64
import json
import os
import re
import resource
import sys
import time
from urllib.parse import urlsplit


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Connection:
    """One kept-alive HTTP/1.1 connection: enough for GETs with small bodies."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.reader = self.writer = None

    async def connect(self, timeout=10.0):
        self.reader, self.writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), timeout)

    async def get(self, path, headers, timeout=10.0):
        if self.writer is None:
            await self.connect(timeout)
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            return await asyncio.wait_for(self._read(), timeout)
        except Exception:
            self.close()
            raise

    async def _read(self):
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        body = await self.reader.readexactly(int(headers.get("content-length", ["0"])[0]))
        if "close" in headers.get("connection", [""])[0].lower():
            self.close()
        return status, headers, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


POLICY = re.compile(r'^"[a-z]+";q=\d+;w=\d+(, "[a-z]+";q=\d+;w=\d+)*$')
LIMIT = re.compile(r'^"[a-z]+";r=(\d+);t=(\d+)$')


def valid_429(headers, body):
    """The problems of a 429's headers and body, empty when it is valid."""
    problems = []
    policy = headers.get("ratelimit-policy", [""])[0]
    if not POLICY.match(policy):
        problems.append(f"RateLimit-Policy {policy!r}")
    limit = LIMIT.match(headers.get("ratelimit", [""])[0])
    if not limit or limit.group(1) != "0":
        problems.append(f"RateLimit {headers.get('ratelimit')!r}")
    retry = headers.get("retry-after", [""])[0]
    if not retry.isdigit() or not 1 <= int(retry) <= 3600:
        problems.append(f"Retry-After {retry!r}")
    if not headers.get("content-type", [""])[0].startswith("application/problem+json"):
        problems.append("Content-Type")
    try:
        if json.loads(body).get("status") != 429:
            problems.append("problem status")
    except ValueError:
        problems.append("problem body")
    return problems


async def exactness(options):
    raise_fd_limit()
    headers = {"Authorization": f"Bearer {options.key}"}
    path = "/v1/convert?from=USD&to=JPY&amount=1"
    connections = [Connection(options.url) for _ in range(options.requests)]
    # Every connection opened first, then every request sent together: they arrive at once across replicas.
    await asyncio.gather(*(c.connect() for c in connections))
    results = await asyncio.gather(*(c.get(path, headers, timeout=30) for c in connections), return_exceptions=True)
    statuses, invalid, errors = {}, [], 0
    for result in results:
        if isinstance(result, BaseException):
            errors += 1
            continue
        status, response_headers, body = result
        statuses[status] = statuses.get(status, 0) + 1
        if status == 429 and (problems := valid_429(response_headers, body)):
            invalid.append(problems)
    for c in connections:
        c.close()
    allowed = statuses.get(200, 0)
    ok = allowed == options.quota and not invalid and errors == 0 and \
        statuses.get(429, 0) == options.requests - options.quota
    summary = (f"{allowed} allowed, {statuses.get(429, 0)} × 429, {len(invalid)} 429s invalid, "
               f"{errors} errors, other statuses {sorted(set(statuses) - {200, 429}) or 'none'}")
    print(json.dumps({"summary": summary, "allowed": allowed, "statuses": statuses, "errors": errors, "invalid_429": len(invalid),
                      "first_invalid": invalid[:3], "ok": ok}))
    return ok


def sliding_window_counter(times, limit, sub_windows=50):
    """The decisions fxrates's sliding-window counter makes for requests at these Unix times: the window cut
    into SUB_WINDOWS sub-windows on the epoch as Redis TIME gives them, the covered ones counted in full and
    the one being left weighted. The model to compare with (SUB_WINDOWS=1 is Cloudflare's plain counter)."""
    length = 60_000 // sub_windows
    counts, decisions = {}, []
    for at in times:
        now = int(at * 1000)
        index, elapsed = divmod(now, length)
        covered = sum(counts.get(index - back, 0) for back in range(sub_windows))
        leaving = counts.get(index - sub_windows, 0)
        allowed = leaving * (length - elapsed) + (covered + 1) * length <= limit * length
        if allowed:
            counts[index] = counts.get(index, 0) + 1
        decisions.append(allowed)
    return decisions


def trailing_window_check(events, limit):
    """(wrongly allowed, wrongly denied, worst over-admission) of decisions against an exact sliding log
    of the requests these decisions admitted: a request is rightly allowed when fewer than LIMIT were
    admitted in the 60 s before it."""
    admitted, start, wrong_allowed, wrong_denied, worst = [], 0, 0, 0, 0.0
    for at, allowed in events:
        while start < len(admitted) and admitted[start] <= at - 60:
            start += 1
        in_window = len(admitted) - start
        wrong_allowed += allowed and in_window >= limit
        wrong_denied += (not allowed) and in_window < limit
        if allowed:
            admitted.append(at)
            worst = max(worst, (in_window + 1 - limit) / limit)
    return wrong_allowed, wrong_denied, worst


async def accuracy(options):
    raise_fd_limit()
    keys = options.keys.split(",")
    interval = 60.0 / (options.limit * options.factor)
    started = time.monotonic()
    decisions = {key: [] for key in keys}  # (Unix time sent, allowed)
    errors = [0]

    async def client(index, key):
        connection = Connection(options.url)
        headers = {"Authorization": f"Bearer {key}"}
        # Spread the clients' phases so the load is even; each keeps its own constant rate.
        next_at = started + interval * index / len(keys)
        while next_at < started + options.seconds:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            sent = time.time()
            try:
                status, _, _ = await connection.get("/v1/currencies", headers)
                if status in (200, 429):
                    decisions[key].append((sent, status == 200))
                else:
                    errors[0] += 1
            except Exception:
                errors[0] += 1
            next_at += interval

    await asyncio.gather(*(client(i, key) for i, key in enumerate(keys)))
    total = wrongly_allowed = wrongly_denied = unlike_model = 0
    worst = model_worst = 0.0
    for events in decisions.values():
        total += len(events)
        allowed, denied, over = trailing_window_check(events, options.limit)
        wrongly_allowed, wrongly_denied, worst = wrongly_allowed + allowed, wrongly_denied + denied, max(worst, over)
        model = sliding_window_counter([at for at, _ in events], options.limit)
        unlike_model += sum(m != d for m, (_, d) in zip(model, events))
        model_worst = max(model_worst, trailing_window_check(list(zip([at for at, _ in events], model)),
                                                            options.limit)[2])
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    ok = total > 0 and share(wrongly_allowed) <= 0.01 and errors[0] == 0
    summary = (f"worst trailing minute {100 * worst:+.1f} % over the limit (the algorithm itself, simulated on "
               f"the same requests: {100 * model_worst:+.1f} %); wrong decisions {100 * share(wrongly_allowed):.2f} % "
               f"allowed + {100 * share(wrongly_denied):.2f} % denied of {total}; "
               f"{100 * share(unlike_model):.2f} % differ from the algorithm; {errors[0]} errors")
    print(json.dumps({"summary": summary, "decisions": total, "wrongly_allowed": wrongly_allowed,
                      "wrongly_denied": wrongly_denied, "worst_over_admission": round(worst, 4),
                      "model_worst_over_admission": round(model_worst, 4), "unlike_model": unlike_model,
                      "errors": errors[0], "ok": ok}))
    return ok


async def flood(options):
    raise_fd_limit()
    statuses, errors = {}, [0]
    remaining = [options.keys]

    async def worker():
        connection = Connection(options.url)
        while remaining[0] > 0:
            remaining[0] -= 1
            key = "fx_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
            try:
                status, _, _ = await connection.get(
                    "/v1/currencies", {"Authorization": f"Bearer {key}", "X-Forwarded-For": options.address})
                statuses[status] = statuses.get(status, 0) + 1
            except Exception:
                errors[0] += 1
        connection.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(options.concurrency)))
    print(json.dumps({"requests": options.keys, "statuses": statuses, "errors": errors[0],
                      "seconds": round(time.monotonic() - started, 1), "ok": 500 not in statuses}))
    return True


def report(options):
    with open(options.file) as handle:
        document = json.load(handle)
    for path in options.paths:
        value = document
        for part in path.split("."):
            value = value.get(part, 0) if isinstance(value, dict) else 0
        print(value if not isinstance(value, (dict, list)) else json.dumps(value))
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("exactness")
    command.add_argument("--url", required=True)
    command.add_argument("--key", required=True)
    command.add_argument("--requests", type=int, default=3000)
    command.add_argument("--quota", type=int, default=1000)
    command = commands.add_parser("accuracy")
    command.add_argument("--url", required=True)
    command.add_argument("--keys", required=True)
    command.add_argument("--limit", type=int, default=60)
    command.add_argument("--seconds", type=float, default=180)
    command.add_argument("--factor", type=float, default=1.5)
    command = commands.add_parser("flood")
    command.add_argument("--url", required=True)
    command.add_argument("--keys", type=int, default=20000)
    command.add_argument("--address", default="203.0.113.7")
    command.add_argument("--concurrency", type=int, default=16)
    command = commands.add_parser("report")
    command.add_argument("file")
    command.add_argument("paths", nargs="+")
    options = parser.parse_args()
    if options.command == "report":
        ok = report(options)
    else:
        ok = asyncio.run({"exactness": exactness, "accuracy": accuracy, "flood": flood}[options.command](options))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
