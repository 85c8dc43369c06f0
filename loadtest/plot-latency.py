#!/usr/bin/env python3
"""Latency over time from an fxload JSON report, fault windows shaded: loadtest/plot-latency.py IN.json OUT.png

Per second of the measured phase (by intended send time): corrected p50, p99 and max, the uncorrected p99
(what a closed-loop tool would have shown), and errors on a second axis. fxload calls this for --plot.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as source:
        report = json.load(source)
    series = report["time_series"]
    seconds = [point["second"] + 0.5 for point in series]
    figure, latency = plt.subplots(figsize=(11, 5.5), dpi=110)
    latency.plot(seconds, [p["max_ms"] for p in series], color="#bbbbbb", linewidth=1, label="max (corrected)")
    latency.plot(seconds, [p["p99_ms"] for p in series], color="#d62728", linewidth=1.8, label="p99 (corrected)")
    latency.plot(seconds, [p["p50_ms"] for p in series], color="#1f77b4", linewidth=1.8, label="p50 (corrected)")
    latency.plot(seconds, [p["uncorrected_p99_ms"] for p in series], color="#d62728", linestyle=":",
                 linewidth=1.2, label="p99 (uncorrected)")
    latency.set_yscale("symlog", linthresh=1)
    latency.set_xlabel("seconds into the measured phase (by intended send time)")
    latency.set_ylabel("latency, ms")
    for index, window in enumerate(report.get("fault_windows", [])):
        latency.axvspan(window["start_s"], window["end_s"], color="#ff7f0e", alpha=0.18,
                        label="fault" if index == 0 else None)
        latency.annotate(window["label"], xy=(window["start_s"], 1), xycoords=("data", "axes fraction"),
                         xytext=(3, -12), textcoords="offset points", fontsize=8, color="#a04000")
    errors = latency.twinx()
    errors.bar(seconds, [p["errors"] for p in series], width=0.8, color="#7f7f7f", alpha=0.35, label="errors/s")
    errors.set_ylabel("errors per second")
    errors.set_ylim(bottom=0, top=max([p["errors"] for p in series] + [1]) * 4)
    handles, labels = latency.get_legend_handles_labels()
    more_handles, more_labels = errors.get_legend_handles_labels()
    latency.legend(handles + more_handles, labels + more_labels, loc="upper left", fontsize=8)
    settings, total = report["settings"], report["total"]
    latency.set_title(
        f"fxload {settings['url']}: {settings['rate']:g}/s target, {report['achieved_rate']:.0f}/s achieved; "
        f"p99 {total['corrected']['p99_ms']:.2f} ms corrected, {total['uncorrected']['p99_ms']:.2f} ms uncorrected",
        fontsize=10)
    latency.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
