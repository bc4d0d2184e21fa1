"""The command line's shared options: each declared once, as an ``Annotated`` alias or a factory.

A factory takes the help text where commands word it differently (``--as-of`` says what the
day is for); an alias is the option as most commands have it. Part of the CLI layer, with
:mod:`vastbus_cli.cli` and :mod:`vastbus_cli.cli_output`: only these import Typer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from vastbus_cli.errors import UsageError
from vastbus_cli.i18n import N_, _

# Metavars that are words are declared in English and shown in the language of the run, as help is
# (cli_lang.translate_tree): the same word in the help text, the usage line and Click's errors.
DAY = N_("YYYY-MM-DD")
DIR = N_("DIR")
FILE = N_("FILE")
NAME = N_("NAME")
PATH = N_("PATH")

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar=DIR,
        help=N_("Workspace folder (default: found from the current folder upwards)."),
        file_okay=False,
    ),
]


class Command(TyperCommand):
    """A command whose arguments read as people write them: ``[SÖKVÄG]...``, ``PAKET``; no Python types.

    Typer would write ``{PACK}`` and ``[PATH...]...`` on the usage line and ``PATH... <list[Path]>``
    under Arguments.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line after the command: ``[FLAGGOR]``, then each argument, ``[…]`` when optional."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "").upper()
                pieces.append((name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else ""))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments (by their metavar alone) and Options sections."""
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "").upper()
                arguments.append((name + ("..." if param.nargs != 1 else ""), record[1]))
            else:
                options.append(record)
        for heading, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(heading):  # the formatter says the heading in the run's language
                    formatter.write_dl(rows)


def district_option(complete: Callable[..., Any]) -> Any:
    """``--district``/``-d``: a district by its id or name, or their start; ``complete`` offers the ids."""
    return typer.Option(
        "--district",
        "-d",
        metavar=N_("ID|NAME"),
        help=N_(
            "District id or name, or the start of one; 'central' for the pack without local additions (repeatable)."
        ),
        autocompletion=complete,
    )


def audience_option(complete: Callable[..., Any]) -> Any:
    """``--audience``/``-a``: an audience by its id or name, or their start; ``complete`` offers the ids."""
    return typer.Option(
        "--audience",
        "-a",
        metavar=N_("ID|NAME"),
        help=N_("Audience id or name, or the start of one (repeatable)."),
        autocompletion=complete,
    )


def as_of_option(text: str = N_("Use the edition in force on this day.")) -> Any:
    """``--as-of YYYY-MM-DD``: which edition is in force on that day (see :func:`parse_day`)."""
    return typer.Option("--as-of", metavar=DAY, help=text)


def edition_option(text: str) -> Any:
    """``--edition ID``: an edition by its id."""
    return typer.Option("--edition", metavar="ID", help=text)


def format_option(text: str = N_("Output format.")) -> Any:
    """``--format``/``-f``: one of the command's output formats (an enum)."""
    return typer.Option("--format", "-f", help=text)


def output_option(text: str = N_("Write the report to this file.")) -> Any:
    """``--output``/``-o``: a file to write to instead of standard output (``-`` is standard output)."""
    return typer.Option("--output", "-o", metavar=FILE, help=text)


AsOfOption = Annotated[str | None, as_of_option()]
#: ``--edition`` of the commands that compare files with an edition (scan, report).
CompareEditionOption = Annotated[str | None, edition_option(N_("Compare with this edition."))]
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
        raise UsageError(
            _("{option} '{value}' is not a date; write YYYY-MM-DD, e.g. 2026-11-30").format(option=option, value=value)
        ) from None
