"""Helpers for the benchmark scripts: run commands interleaved, report medians and minimums.

The commands are run in turn (A, B, C, A, B, C, ...) so that a slow patch of the
machine hits all of them alike; the ratio of minimums is the steadiest figure.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def interleaved(commands: dict[str, Sequence[str]], runs: int, cwd: Path = REPO) -> dict[str, list[float]]:
    """Wall-clock seconds of each command, ``runs`` times each, after one warm-up run each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():
        _run(name, command, cwd)
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            _run(name, command, cwd)
            times[name].append(time.perf_counter() - start)
    return times


def _run(name: str, command: Sequence[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    if result.returncode not in (0, 1):
        sys.exit(f"{name} failed ({result.returncode}): {result.stderr.decode()[-800:]}")


def table(times: dict[str, list[float]], reference: str) -> str:
    """Median, min and max per command, and both ratios to the reference."""
    ref_median = statistics.median(times[reference])
    ref_min = min(times[reference])
    lines = [f"{'command':<52} {'median':>9} {'min':>9} {'max':>9}  {'x ref (median)':>14} {'x ref (min)':>11}"]
    for name, values in times.items():
        median, low = statistics.median(values), min(values)
        lines.append(
            f"{name:<52} {median * 1000:7.1f}ms {low * 1000:7.1f}ms {max(values) * 1000:7.1f}ms"
            f"  {median / ref_median:13.2f}x {low / ref_min:10.2f}x"
        )
    return "\n".join(lines)


#: When set, the benchmarks append the figures the summary compares to this file (JSON lines).
SUMMARY_ENV = "VASTBUS_BENCH_SUMMARY"


def record(**figures: float) -> None:
    """Keep figures for ``python -m tests.benchmarks``, which runs every benchmark and compares them."""
    path = os.environ.get(SUMMARY_ENV)
    if path:
        with Path(path).open("a", encoding="utf-8") as summary:
            summary.write(json.dumps(figures) + "\n")
