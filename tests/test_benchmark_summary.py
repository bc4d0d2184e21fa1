"""The summary ``python -m tests.benchmarks`` prints: figures recorded by the benchmarks, compared with targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.common import SUMMARY_ENV, record
from tests.benchmarks.summary import NOT_MEASURED, read_figures, render, rows


def _row(figures: dict[str, float], figure: str) -> tuple[str, str, str]:
    (found,) = [row for row in rows(figures) if row.figure == figure]
    return found.now, found.ratio, found.met


def test_figures_recorded_by_the_benchmarks_are_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    figures_file = tmp_path / "figurer å.jsonl"
    monkeypatch.setenv(SUMMARY_ENV, str(figures_file))
    record(check=0.5, imports=0.2)
    record(check=0.4)  # a later figure of the same name replaces the earlier one
    assert read_figures(figures_file) == {"check": 0.4, "imports": 0.2}


def test_nothing_is_recorded_outside_a_summary_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SUMMARY_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    record(check=0.5)
    assert list(tmp_path.iterdir()) == []


def test_a_ratio_within_its_target_is_met_and_one_above_is_not() -> None:
    assert _row({"check": 0.3, "imports": 0.2}, "vastbus check") == ("0.300 s", "1.50x", "met")
    assert _row({"check": 0.9, "imports": 0.2}, "vastbus check") == ("0.900 s", "4.50x", "not met")
    assert _row({"deck_process": 0.2, "deck_pandoc": 0.5}, "one deck (--format pptx) as a process")[2] == "met"
    assert _row({"deck_process": 1.1, "deck_pandoc": 0.5}, "one deck (--format pptx) as a process")[2] == "not met"


def test_a_floor_is_shown_without_a_verdict() -> None:
    assert _row({"check_floor": 0.3, "imports": 0.2}, "  its floor: those imports, then parsing every file") == (
        "0.300 s",
        "1.50x",
        "",
    )


def test_absolute_targets() -> None:
    assert _row({"cold_build": 2.4, "files": 297}, "cold build, every pack (297 files)")[2] == "met"
    assert _row({"cold_build": 2.8, "files": 297}, "cold build, every pack (297 files)")[2] == "not met"
    scaled = {"scale_factor": 10, "scale_ratio_jobs1": 7.0, "scale_memory_mb_jobs1": 163}
    assert _row(scaled, "10x the course, --jobs 1")[2] == "met"
    assert _row(scaled, "  peak memory, all processes, --jobs 1") == ("163 MB", "", "met")
    heavy = {"scale_factor": 10, "scale_ratio_jobs2": 9.6, "scale_memory_mb_jobs2": 953}
    assert _row(heavy, "10x the course, --jobs 2")[2] == "not met"
    assert _row(heavy, "  peak memory, all processes, --jobs 2")[2] == "not met"
    assert _row({"scan_per_file": 0.002, "open_and_read_per_file": 0.01, "scanned_files": 410}, "scan of 410 files")[
        1:
    ] == ("0.20x", "met")


def test_a_benchmark_that_did_not_run_leaves_its_rows_not_measured() -> None:
    table = rows({"check": 0.4, "imports": 0.2})
    assert [row.met for row in table if row.figure == "vastbus check"] == ["met"]
    assert {row.figure for row in table if row.met == NOT_MEASURED} >= {
        "vastbus --version",
        "scan",
        "cold build, every pack",
        "10x the course, --jobs 1",
    }
    text = render(table)
    assert text.splitlines()[0].split() == ["figure", "now", "anchor", "ratio", "target"]
    assert NOT_MEASURED in text
