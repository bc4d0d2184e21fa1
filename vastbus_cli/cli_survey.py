"""``vastbus survey make|import|report``: the knowledge survey's sub-commands, parsed and printed.

Part of the command line (with ``cli``, ``cli_options`` and ``cli_output``); the work is
``api.survey_make``, ``api.survey_import`` and ``api.survey_report`` (package ``vastbus_cli.survey``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vastbus_cli.cli_options import DIR, Command, WorkspaceOption
from vastbus_cli.cli_output import WARNING, say, user_errors
from vastbus_cli.helptext import SURVEY_HELP, SURVEY_MAKE_HELP
from vastbus_cli.i18n import N_, _, ngettext

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


# --- survey report ---------------------------------------------------------------------------
