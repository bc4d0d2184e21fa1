"""``vastbus survey make|import|report``: the knowledge survey's sub-commands, parsed and printed.

Part of the command line (with ``cli``, ``cli_options`` and ``cli_output``); the work is
``api.survey_make``, ``api.survey_import`` and ``api.survey_report`` (package ``vastbus_cli.survey``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vastbus_cli.cli_options import (
    DAY,
    DIR,
    FILE,
    Command,
    OutputOption,
    WorkspaceOption,
    as_of_option,
    format_option,
    parse_day,
)
from vastbus_cli.cli_output import ERROR, WARNING, emit, say, to_stdout, user_errors
from vastbus_cli.errors import UsageError
from vastbus_cli.helptext import SURVEY_HELP, SURVEY_IMPORT_HELP, SURVEY_MAKE_HELP, SURVEY_REPORT_HELP
from vastbus_cli.i18n import N_, _, ngettext
from vastbus_cli.streams import write_stdout

if TYPE_CHECKING:
    from vastbus_cli.api import SurveyImport  # type: ignore[attr-defined]

survey_app = typer.Typer(
    name="survey",
    help=SURVEY_HELP,
    subcommand_metavar=N_("COMMAND [ARGS]..."),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- survey make -----------------------------------------------------------------------------

#: What each file ``survey make`` writes is for, by its name.
_MADE = {
    "enkät.docx": N_("the form to print (one A4 page)"),
    "forms-import.docx": N_("for Microsoft Forms' quick import (see docs/enkat.md)"),
    "svarsblad.csv": N_("answer sheet for typing in paper answers (Excel, Swedish settings)"),
    "svarsblad.xlsx": N_("the same answer sheet with drop-down lists"),
}


@survey_app.command("make", help=SURVEY_MAKE_HELP, cls=Command)
def survey_make_command(
    *,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar=DIR,
            help=N_("The folder for the files (default: paket/enkät/ in the workspace)."),
            file_okay=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the survey's form, Forms import document and answer sheet."""
    from vastbus_cli import api

    with user_errors():
        made = api.survey_make(api.open_workspace(workspace), out)
    items = len(made.survey.items)
    if made.created:
        say(
            ngettext(
                "made {file} from the course ({n} item); read it through and commit it",
                "made {file} from the course ({n} items); read it through and commit it",
                items,
            ).format(file=made.survey_file, n=items)
        )
    for finding in made.findings:
        say(f"{finding.file}:{finding.line}: {finding.message}", WARNING)
    say(
        ngettext(
            "survey {survey} ({n} item, made from {edition}): wrote to {folder}",
            "survey {survey} ({n} items, made from {edition}): wrote to {folder}",
            items,
        ).format(survey=made.survey.id, n=items, edition=made.survey.built_on, folder=made.folder)
    )
    for path in made.written:
        say(f"  {path.name}: {_(_MADE[path.name])}")
    if made.findings:
        say(_("the survey no longer matches the course everywhere: run 'vastbus check' and see the survey's findings"))


# --- survey import ---------------------------------------------------------------------------


@survey_app.command("import", help=SURVEY_IMPORT_HELP, cls=Command)
def import_command(
    file: Annotated[Path, typer.Argument(metavar=FILE, help=N_("The export: .xlsx from Microsoft Forms, or .csv."))],
    *,
    phase: Annotated[
        str,
        typer.Option(
            "--phase",
            metavar=N_("PHASE"),
            help=N_("When it was answered: before the training (fore) or after it (efter)."),
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", metavar=DAY, help=N_("The day of the answers (default: from the timestamp column).")),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("Show what would be stored; write nothing."))] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Import the answers."""
    from vastbus_cli import api

    with user_errors():
        ws = api.open_workspace(workspace)
        day = parse_day(date, "--date")
        try:
            result = api.survey_import(ws, file, phase=phase, day=day, dry_run=dry_run)
        except UsageError as error:
            for line in str(error).splitlines():  # every problem of the export on a line of its own
                say(line, ERROR)
            raise typer.Exit(error.exit_code) from None
    _import_summary(result)


def _import_summary(result: SurveyImport) -> None:
    """What was stored (or would be), dropped and left out; for a dry run, the file itself on stdout."""
    if not result.written:
        write_stdout(result.text)
    groups, n, days = len(result.results.groups), result.respondents, result.days
    counts = _("{groups}, {respondents}, {days}").format(
        groups=ngettext("{n} group", "{n} groups", groups).format(n=groups),
        respondents=ngettext("{n} respondent", "{n} respondents", n).format(n=n),
        days=ngettext("{n} day", "{n} days", len(days)).format(n=len(days)),
    )
    if result.written:
        say(_("stored {file}: {counts}").format(file=result.rel, counts=counts))
    else:
        say(_("would store {file}: {counts} (dry run: nothing was written)").format(file=result.rel, counts=counts))
    for group in result.results.groups:
        say(
            "  "
            + ngettext(
                "{district} / {audience}, {phase} {date}: {n} respondent",
                "{district} / {audience}, {phase} {date}: {n} respondents",
                group.respondents,
            ).format(
                district=group.district,
                audience=group.audience,
                phase=group.phase,
                date=group.date.isoformat(),
                n=group.respondents,
            )
        )
    if result.results.dropped:
        cols = ", ".join(result.results.dropped)
        say(_("dropped, never stored: {columns} (no names, e-mail addresses, free text or times)").format(columns=cols))
    if result.left_out:
        say(
            ngettext(
                "{n} row left out: it gives no district or no profession",
                "{n} rows left out: they give no district or no profession",
                result.left_out,
            ).format(n=result.left_out),
            WARNING,
        )
    if result.same_name:
        say(
            _(
                "an export with the same name was imported before ({file}); if this one repeats its answers, "
                "they are counted twice: remove one of the files"
            ).format(file=result.same_name),
            WARNING,
        )


# --- survey report ---------------------------------------------------------------------------


class SurveyReportFormat(StrEnum):
    """Output formats of survey report (the page is --html, the summary --docx)."""

    text = "text"
    json = "json"


@survey_app.command("report", help=SURVEY_REPORT_HELP, cls=Command)
def report_command(
    *,
    workspace: WorkspaceOption = None,
    html: Annotated[
        Path | None, typer.Option("--html", metavar=FILE, help=N_("Also write a page with tables and charts."))
    ] = None,
    docx: Annotated[
        Path | None,
        typer.Option("--docx", metavar=FILE, help=N_("Also write a summary for the steering group (Word).")),
    ] = None,
    report_format: Annotated[
        SurveyReportFormat, format_option(N_("text, or json for a script."))
    ] = SurveyReportFormat.text,
    output: OutputOption = None,
    as_of: Annotated[str | None, as_of_option(N_("The summary's date (default: today)."))] = None,
) -> None:
    """Report the survey's results."""
    from vastbus_cli import api
    from vastbus_cli.fsio import write_output

    with user_errors():
        day = parse_day(as_of)
        ws = api.open_workspace(workspace)
        analysis = api.survey_report(ws)
        if docx is not None:
            write_output(docx, api.survey_report_docx(ws, analysis, day))
        if html is not None:
            emit(api.survey_report_page(analysis), html)
            if to_stdout(html):
                return  # the page is the output
        emit(api.survey_report_text(analysis, report_format.value), output)
