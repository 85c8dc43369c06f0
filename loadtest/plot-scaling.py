#!/usr/bin/env python3
"""What a request costs Redis and the replicas, from bench-cluster CSV rows: loadtest/plot-scaling.py IN.csv OUT.png

IN.csv is what `CSV=IN.csv loadtest/bench-cluster.sh` appends. Left: Redis CPU per request against client
connections, batched and unbatched, with the requests/s one Redis core could serve at that cost on a second
axis. Right: the replicas' throughput at the same points. docs/scaling.md shows the result.
"""
import csv
import sys

import matplotlib
import numpy

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def per_second(micros):
    """Requests a second at `micros` of CPU each, and back (the same map)."""
    return 1e6 / numpy.clip(micros, 1e-9, None)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    figure, (redis, replicas) = plt.subplots(1, 2, figsize=(12, 5), dpi=110)
    for batch, label, color in (("128", "batched", "#1f77b4"), ("1", "unbatched", "#d62728")):
        points = sorted((int(r["connections"]), r) for r in rows if r["batch"] == batch)
        if not points:
            continue
        connections = [c for c, _ in points]
        redis.plot(connections, [float(r["redis_us_per_request"]) for _, r in points], marker="o", color=color,
                   label=f"Redis µs/request, {label}")
        replicas.plot(connections, [float(r["convert_rps"]) for _, r in points], marker="o", color=color,
                      label=f"/v1/convert req/s, {label}")
    redis.axhline(6, color="#888888", linestyle=":", linewidth=1, label="goal: 6 µs at 256 connections")
    for axis in (redis, replicas):
        axis.set_xscale("log", base=2)
        axis.set_xlabel("client connections (through HAProxy)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(loc="best", fontsize=8)
    redis.set_ylabel("Redis CPU per request (µs, INFO cpu)")
    redis.set_yscale("log")
    per_core = redis.secondary_yaxis("right", functions=(per_second, per_second))
    per_core.set_ylabel("requests/s one Redis core serves at that cost")
    replicas.set_ylabel("requests/s, all replicas")
    replicas_count = rows[0]["replicas"] if rows else "?"
    figure.suptitle(f"{replicas_count} replicas behind HAProxy, one Redis, one 2-core machine (release build)")
    figure.tight_layout()
    figure.savefig(sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
