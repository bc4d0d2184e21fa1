"""``vastbus new local|edition|workspace``: the scaffolds' sub-commands, parsed and printed.

Part of the command line (with ``cli``, ``cli_options`` and ``cli_output``); the work is
``api.new_local``, ``api.new_edition`` and ``api.new_workspace``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from vastbus_cli.cli_options import DAY, DIR, FILE, NAME, Command, WorkspaceOption
from vastbus_cli.cli_output import say, user_errors
from vastbus_cli.helptext import NEW_EDITION_HELP, NEW_HELP, NEW_LOCAL_HELP, NEW_WORKSPACE_HELP
from vastbus_cli.i18n import N_, _, ngettext

new_app = typer.Typer(
    name="new",
    help=NEW_HELP,
    subcommand_metavar=N_("COMMAND [ARGS]..."),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@new_app.command("local", help=NEW_LOCAL_HELP, cls=Command)
def new_local_command(
    target: Annotated[
        str, typer.Argument(metavar="ID", help=N_("A district or city-area id from districts.yaml, or its name."))
    ],
    *,
    name: Annotated[
        str, typer.Option("--name", metavar=FILE, help=N_("The file's name in curriculum/local/<ID>/."))
    ] = "lokalt.yaml",
    workspace: WorkspaceOption = None,
) -> None:
    """Write a district's local file."""
    from vastbus_cli import api

    with user_errors():
        result = api.new_local(api.open_workspace(workspace), target, file_name=name)
    _scaffolded(result)


@new_app.command("edition", help=NEW_EDITION_HELP, cls=Command)
def new_edition_command(
    edition_id: Annotated[str, typer.Argument(metavar="ID", help=N_("The new edition's id, also its file name."))],
    *,
    in_force: Annotated[
        str | None,
        typer.Option(
            "--in-force",
            metavar=DAY,
            help=N_("The day it takes effect; must be given (a month, YYYY-MM, or a year, YYYY, will do)."),
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help=N_("Its full title."))] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write a new guideline edition."""
    from vastbus_cli import api

    with user_errors():
        result = api.new_edition(api.open_workspace(workspace), edition_id, in_force=in_force, title=title)
    _scaffolded(result)


@new_app.command("workspace", help=NEW_WORKSPACE_HELP, cls=Command)
def new_workspace_command(
    folder: Annotated[Path, typer.Argument(metavar=DIR, help=N_("A new or empty folder."))],
    *,
    municipality: Annotated[
        str | None,
        typer.Option("--municipality", metavar=NAME, help=N_("The municipality (default: the folder's name).")),
    ] = None,
    district_id: Annotated[
        str | None,
        typer.Option("--district-id", metavar="ID", help=N_("Its district id (default: made from the name).")),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Make a new municipality's workspace."""
    from vastbus_cli import api

    with user_errors():
        result = api.new_workspace(folder, workspace, name=municipality, district_id=district_id)
    shown = ngettext("the workspace {folder} ({n} file)", "the workspace {folder} ({n} files)", len(result.written))
    _scaffolded(result, shown=shown.format(folder=folder, n=len(result.written)))


def _scaffolded(result: Any, shown: str | None = None) -> None:
    """What ``vastbus new`` wrote, and the next step, in two lines (with -w when the workspace is elsewhere)."""
    import shlex

    cwd = Path.cwd().resolve()
    root = result.root.resolve()
    where = "" if cwd.is_relative_to(root) else f" -w {shlex.quote(str(result.root))}"
    if shown is None:
        path = result.written[0].resolve()
        shown = str(path.relative_to(cwd) if path.is_relative_to(cwd) else result.written[0])
    say(_("wrote {file}").format(file=shown))
    for note in result.notes:
        say(note)
    commands = " && ".join(command + where for command in result.commands)
    say(_("{todo}, then run: {commands}").format(todo=result.todo, commands=commands))
