"""``vastbus survey make|import|report``: the knowledge survey's sub-commands, parsed and printed.

Part of the command line (with ``cli``, ``cli_options`` and ``cli_output``); the work is
``api.survey_make``, ``api.survey_import`` and ``api.survey_report`` (package ``vastbus_cli.survey``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vastbus_cli.cli_options import FILE, Command, OutputOption, WorkspaceOption, as_of_option, format_option, parse_day
from vastbus_cli.cli_output import emit, to_stdout, user_errors
from vastbus_cli.helptext import SURVEY_HELP, SURVEY_REPORT_HELP
from vastbus_cli.i18n import N_

survey_app = typer.Typer(
    name="survey",
    help=SURVEY_HELP,
    subcommand_metavar=N_("COMMAND [ARGS]..."),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- survey make -----------------------------------------------------------------------------


# --- survey import ---------------------------------------------------------------------------


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
