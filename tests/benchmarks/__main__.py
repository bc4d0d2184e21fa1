"""``python -m tests.benchmarks``: every benchmark in one run, then issue 12's targets side by side.

Runs bench_check, bench_build, bench_scan and bench_scale in turn (their own tables are
printed as they finish), then one table: each figure, its anchor, the ratio, the target
and whether it is met. Takes several minutes; bench_scan needs ``../shared/corpus`` and
the pandoc rows ``pip install '.[bench]'``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.common import REPO, SUMMARY_ENV
from tests.benchmarks.summary import read_figures, render, rows

BENCHMARKS = ("bench_check", "bench_build", "bench_scan", "bench_scale")


def main() -> None:
    """Run the benchmarks, then print the summary."""
    with tempfile.TemporaryDirectory(prefix="vastbus-bench-summary-") as folder:
        figures_file = Path(folder) / "figures.jsonl"
        for name in BENCHMARKS:
            print(f"\n=== {name} ===", flush=True)
            done = subprocess.run(
                [sys.executable, "-m", f"tests.benchmarks.{name}"],
                cwd=REPO,
                env={**os.environ, SUMMARY_ENV: str(figures_file)},
                check=False,
            )
            if done.returncode != 0:
                print(f"{name} stopped (exit {done.returncode}); its rows show as not measured", flush=True)
        print("\n=== issue 12's targets, from the runs above ===")
        print(render(rows(read_figures(figures_file))))


if __name__ == "__main__":
    main()
