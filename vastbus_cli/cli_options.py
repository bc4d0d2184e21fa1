"""The command line's shared options: each declared once, as an ``Annotated`` alias or a factory.

A factory takes the help text where commands word it differently (``--as-of`` says what the
day is for); an alias is the option as most commands have it. Part of the CLI layer, with
:mod:`vastbus_cli.cli` and :mod:`vastbus_cli.cli_output`: only these import Typer.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vastbus_cli.errors import UsageError

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace", "-w", help="Workspace folder (default: found from the current folder upwards).", file_okay=False
    ),
]


def as_of_option(text: str = "Use the edition in force on this day.") -> Any:
    """``--as-of YYYY-MM-DD``: which edition is in force on that day (see :func:`parse_day`)."""
    return typer.Option("--as-of", metavar="YYYY-MM-DD", help=text)


def edition_option(text: str) -> Any:
    """``--edition ID``: an edition by its id."""
    return typer.Option("--edition", metavar="ID", help=text)


def format_option(text: str = "Output format.") -> Any:
    """``--format``/``-f``: one of the command's output formats (an enum)."""
    return typer.Option("--format", "-f", help=text)


def output_option(text: str = "Write the report to this file.") -> Any:
    """``--output``/``-o``: a file to write to instead of standard output (``-`` is standard output)."""
    return typer.Option("--output", "-o", help=text)


AsOfOption = Annotated[str | None, as_of_option()]
#: ``--edition`` of the commands that compare files with an edition (scan, report).
CompareEditionOption = Annotated[str | None, edition_option("Compare with this edition.")]
OutputOption = Annotated[Path | None, output_option()]


class OutputFormat(StrEnum):
    """Output formats of check."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


class FailOn(StrEnum):
    """Lowest severity that makes the exit code 1."""

    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class PackFormat(StrEnum):
    """Which files build writes."""

    pptx = "pptx"
    docx = "docx"
    all = "all"


class ReportFormat(StrEnum):
    """Output formats of report (the HTML page is --html)."""

    text = "text"
    csv = "csv"


class ChangesFormat(StrEnum):
    """Output formats of changes."""

    text = "text"
    json = "json"
    news = "news"


class TextOrJson(StrEnum):
    """Output formats of editions and diff."""

    text = "text"
    json = "json"


TextOrJsonOption = Annotated[TextOrJson, format_option()]


def parse_day(value: str | None, option: str = "--as-of") -> dt.date | None:
    """A day given as YYYY-MM-DD, or None when the option was not given.

    Raises:
        UsageError: not a date.
    """
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date; write YYYY-MM-DD, e.g. 2026-11-30") from None
