"""Benchmark: ``vastbus scan`` throughput on the corpus next to just opening the files.

Run from the repository: ``python -m tests.benchmarks.bench_scan [--runs N]``.
Reads ``../shared/corpus`` (real .pptx and .docx files written by others). Compares:

- scanning every corpus file (vastbus's reader: text, notes, tables, stamp, rules);
- opening the same files with python-pptx / python-docx and doing nothing else;
- scanning each hostile file (zip bomb, truncated, text named .pptx, XML entities,
  encrypted) on its own, to show each is refused quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import REPO

CORPUS = REPO.parent / "shared" / "corpus"


def main() -> None:
    """Print throughput and the per-file times of hostile files."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent")
    from docx import Document
    from pptx import Presentation

    from vastbus_cli import api
    from vastbus_cli.scan import office_files, prepare, scan_file

    workspace = api.open_workspace(REPO)
    editions = api.editions_of(workspace)
    rules = prepare(editions, api.select_edition(editions), dt.date.today())
    files = list(office_files([CORPUS]))
    scan_times, open_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        statuses = [scan_file(path, rules).status for path in files]
        scan_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for path in files:
            # A file python-pptx/docx cannot open still counts its time.
            with contextlib.suppress(Exception):
                (Presentation if path.suffix == ".pptx" else Document)(str(path))
        open_times.append(time.perf_counter() - start)
    scan_median, open_median = statistics.median(scan_times), statistics.median(open_times)
    print(
        f"{len(files)} corpus files, median of {runs} runs (statuses: "
        + ", ".join(f"{s} {statuses.count(s)}" for s in sorted(set(statuses)))
        + ")"
    )
    print(f"{'vastbus scan (read, match, decide)':<46} {scan_median:7.3f} s  {len(files) / scan_median:7.1f} files/s")
    print(f"{'python-pptx / python-docx: open only':<46} {open_median:7.3f} s  {len(files) / open_median:7.1f} files/s")
    print(f"scan takes {scan_median / open_median:.2f}x the time of opening the files with python-pptx/docx")
    from tests.test_scan import hostile_files

    with tempfile.TemporaryDirectory() as folder:
        reasons = hostile_files(Path(folder))
        print("\nhostile files (each scanned alone):")
        for name in reasons:
            start = time.perf_counter()
            result = scan_file(Path(folder) / name, rules)
            elapsed = time.perf_counter() - start
            print(f"  {name:<16} {result.status:<11} {elapsed * 1000:7.1f} ms  {result.reason}")


if __name__ == "__main__":
    main()
