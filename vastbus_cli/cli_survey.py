"""``vastbus survey make|import|report``: the knowledge survey's sub-commands, parsed and printed.

Part of the command line (with ``cli``, ``cli_options`` and ``cli_output``); the work is
``api.survey_make``, ``api.survey_import`` and ``api.survey_report`` (package ``vastbus_cli.survey``).
"""

from __future__ import annotations

import typer

from vastbus_cli.helptext import SURVEY_HELP
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
