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
from typing import Any

from tests.benchmarks.common import REPO, record

CORPUS = REPO.parent / "shared" / "corpus"


def _read_all(document: Any) -> int:
    """What python-pptx / python-docx do to reach every text: slides, shapes, notes; paragraphs, tables."""
    count = 0
    if hasattr(document, "slides"):
        for slide in document.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    count += sum(len(paragraph.text) for paragraph in shape.text_frame.paragraphs)
            if slide.has_notes_slide:
                count += len(slide.notes_slide.notes_text_frame.text)
    else:
        count += sum(len(paragraph.text) for paragraph in document.paragraphs)
        for table in document.tables:
            count += sum(len(cell.text) for row in table.rows for cell in row.cells)
    return count


def _measure(label: str, files: list[Path], rules: Any, runs: int) -> tuple[float, float]:
    from docx import Document
    from pptx import Presentation

    from vastbus_cli.scan import scan_file

    scan_times, open_times, read_times = [], [], []
    statuses: list[str] = []
    for _ in range(runs):
        start = time.perf_counter()
        statuses = [scan_file(path, rules).status for path in files]
        scan_times.append(time.perf_counter() - start)
        opened = []
        start = time.perf_counter()
        for path in files:
            # A file python-pptx/docx cannot open still counts its time.
            with contextlib.suppress(Exception):
                opened.append((Presentation if path.suffix == ".pptx" else Document)(str(path)))
        open_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for document in opened:
            with contextlib.suppress(Exception):
                _read_all(document)
        read_times.append(open_times[-1] + time.perf_counter() - start)
    scan_median, open_median = statistics.median(scan_times), statistics.median(open_times)
    read_median = statistics.median(read_times)
    print(
        f"\n{len(files)} {label}, median of {runs} runs (statuses: "
        + ", ".join(f"{s} {statuses.count(s)}" for s in sorted(set(statuses)))
        + ")"
    )
    for what, seconds in (
        ("vastbus scan (read, match, decide)", scan_median),
        ("python-pptx / python-docx: open only", open_median),
        ("python-pptx / python-docx: open, read every text", read_median),
    ):
        print(f"{what:<50} {seconds:7.3f} s  {seconds / len(files) * 1000:6.1f} ms/file")
    print(
        f"scan takes {scan_median / open_median:.2f}x the time of opening the files, "
        f"{scan_median / read_median:.2f}x the time of opening and reading them (target <= 0.4x)"
    )
    return scan_median / len(files), read_median / len(files)


def main() -> None:
    """Print throughput and the per-file times of hostile files."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent")
    from vastbus_cli import api
    from vastbus_cli.scan import office_files, prepare, scan_file

    workspace = api.open_workspace(REPO)
    editions = api.editions_of(workspace)
    rules = prepare(editions, api.select_edition(editions), dt.date.today())
    corpus = list(office_files([CORPUS]))
    with tempfile.TemporaryDirectory() as built:
        from vastbus_cli.api import open_workspace
        from vastbus_cli.build import build

        build(open_workspace(REPO), Path(built))
        packs = list(office_files([Path(built)]))
        for label, files in (("corpus files", corpus), ("corpus files and built packs", corpus + packs)):
            scan, read = _measure(label, files, rules, runs)
        # The row: the corpus and the built packs together.
        record(scan_per_file=scan, open_and_read_per_file=read, scanned_files=len(corpus + packs))

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
