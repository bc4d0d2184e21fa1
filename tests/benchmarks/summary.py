"""The performance targets of issue 12, each figure beside its anchor, from one run of every benchmark.

``python -m tests.benchmarks`` runs bench_check, bench_build, bench_scan and bench_scale,
which record their figures (see ``common.record``), and prints :func:`rows` as a table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One target: the figure, what it is compared with, their ratio, the target and whether it is met."""

    figure: str
    now: str
    anchor: str
    ratio: str
    target: str
    met: str


NOT_MEASURED = "not measured"


def read_figures(path: Path) -> dict[str, float]:
    """Every figure the benchmarks recorded (a later one replaces an earlier one of the same name)."""
    figures: dict[str, float] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                figures.update(json.loads(line))
    return figures


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _against(
    figures: dict[str, float], figure: str, now: str, anchor: str, anchor_name: str, most: float | None
) -> Row:
    """A figure as a multiple of its anchor, met when at most ``most`` times it (None: shown, no target)."""
    target = f"<= {most:g}x" if most is not None else ""
    if now not in figures or anchor not in figures:
        return Row(figure, NOT_MEASURED, anchor_name, "", target, NOT_MEASURED)
    ratio = figures[now] / figures[anchor]
    met = "" if most is None else "met" if ratio <= most else "not met"
    return Row(
        figure, _seconds(figures[now]), f"{anchor_name} {_seconds(figures[anchor])}", f"{ratio:.2f}x", target, met
    )


def rows(figures: dict[str, float]) -> list[Row]:
    """Issue 12's table from the recorded figures; a figure no benchmark recorded is 'not measured'."""
    table = [
        _against(figures, "vastbus check", "check", "imports", "import pydantic, ruamel.yaml, typer", 2.0),
        _against(
            figures, "  its floor: those imports, then parsing every file", "check_floor", "imports", "same", None
        ),
        _against(figures, "  and validating each by its model", "check_validated_floor", "imports", "same", None),
        _against(figures, "vastbus --version", "version", "imports", "same imports", 1.3),
        _against(figures, "vastbus --help", "help", "imports", "same imports", 1.3),
        _against(figures, "one deck (--format pptx) as a process", "deck_process", "deck_pandoc", "pandoc", 0.5),
        _against(figures, "  its writer alone, fresh process", "deck_writer", "deck_pandoc", "pandoc", None),
        _against(
            figures,
            "handout + guide (--format docx) as a process",
            "documents_process",
            "documents_pandoc",
            "pandoc",
            0.8,
        ),
        _against(
            figures, "  their writer alone, fresh process", "documents_writer", "documents_pandoc", "pandoc", None
        ),
    ]
    if "scan_per_file" in figures and "open_and_read_per_file" in figures:
        ratio = figures["scan_per_file"] / figures["open_and_read_per_file"]
        table.append(
            Row(
                f"scan of {figures.get('scanned_files', 0):.0f} files",
                f"{figures['scan_per_file'] * 1000:.1f} ms/file",
                f"python-pptx/-docx opening and reading them {figures['open_and_read_per_file'] * 1000:.1f} ms/file",
                f"{ratio:.2f}x",
                "<= 0.4x",
                "met" if ratio <= 0.4 else "not met",
            )
        )
    else:
        table.append(Row("scan", NOT_MEASURED, "python-pptx/-docx opening the files", "", "<= 0.4x", NOT_MEASURED))
    if "cold_build" in figures:
        cold = figures["cold_build"]
        label = f"cold build, every pack ({figures.get('files', 0):.0f} files)"
        table.append(Row(label, _seconds(cold), "", "", "<= 2.5 s", "met" if cold <= 2.5 else "not met"))
    else:
        table.append(Row("cold build, every pack", NOT_MEASURED, "", "", "<= 2.5 s", NOT_MEASURED))
    table.append(
        _against(figures, "  the same, against its floor", "cold_build", "deflate_floor", "deflating every entry", 2.0)
    )
    factor = figures.get("scale_factor", 10)
    for jobs in (1, 2):
        ratio_name, memory_name = f"scale_ratio_jobs{jobs}", f"scale_memory_mb_jobs{jobs}"
        if ratio_name in figures:
            ratio = figures[ratio_name]
            table.append(
                Row(
                    f"{factor:g}x the course, --jobs {jobs}",
                    f"{ratio:.1f}x the time",
                    "linear would be",
                    f"{factor:g}x",
                    "<= 8x",
                    "met" if ratio <= 8 else "not met",
                )
            )
        else:
            table.append(Row(f"{factor:g}x the course, --jobs {jobs}", NOT_MEASURED, "", "", "<= 8x", NOT_MEASURED))
        if memory_name in figures:
            memory = figures[memory_name]
            table.append(
                Row(
                    f"  peak memory, all processes, --jobs {jobs}",
                    f"{memory:.0f} MB",
                    "",
                    "",
                    "<= 400 MB",
                    "met" if memory <= 400 else "not met",
                )
            )
    return table


def render(table: list[Row]) -> str:
    """The rows as aligned text columns."""
    header = Row("figure", "now", "anchor", "ratio", "target", "")
    lines = [header, *table]
    widths = [max(len(getattr(row, name)) for row in lines) for name in Row.__dataclass_fields__]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(vars(row).values(), widths, strict=True)).rstrip()
        for row in lines
    )
