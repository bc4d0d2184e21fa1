"""The maintainers' commands: ``editions``, ``diff``, ``review``, ``upgrade``, ``changes`` and ``schema``.

The guideline editions, the refs stamped against them, the course's versions and the editor schemas. Part of
the command line (with ``cli``, ``cli_new``, ``cli_options`` and ``cli_output``); ``cli`` adds these commands to
``vastbus`` itself, in its ``COMMAND_ORDER``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vastbus_cli import cli_output
from vastbus_cli.cli_options import (
    DAY,
    DIR,
    NAME,
    PATH,
    ChangesFormat,
    Command,
    OutputOption,
    TextOrJson,
    TextOrJsonOption,
    WorkspaceOption,
    as_of_option,
    edition_option,
    format_option,
    parse_day,
)
from vastbus_cli.cli_output import emit, say, user_errors
from vastbus_cli.helptext import CHANGES_HELP, DIFF_HELP, EDITIONS_HELP, REVIEW_HELP, SCHEMA_HELP, UPGRADE_HELP
from vastbus_cli.i18n import N_, _
from vastbus_cli.safetext import json_text
from vastbus_cli.streams import write_stdout
from vastbus_cli.views import diff_text

#: Merged into ``vastbus`` (added without a name): its commands are top-level commands.
maintain_app = typer.Typer(rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})


@maintain_app.command("editions", help=EDITIONS_HELP, cls=Command)
def editions_command(
    *,
    workspace: WorkspaceOption = None,
    as_of: Annotated[str | None, as_of_option(N_("Which edition is in force on this day."))] = None,
    output_format: TextOrJsonOption = TextOrJson.text,
) -> None:
    """List editions."""
    from dataclasses import asdict

    from vastbus_cli import api

    with user_errors():
        rows = api.editions(api.open_workspace(workspace), parse_day(as_of))
    if output_format is TextOrJson.json:
        write_stdout(json_text([asdict(r) for r in rows]))
        return
    cli_output.edition_rows(rows)


@maintain_app.command("diff", help=DIFF_HELP, cls=Command)
def diff_command(
    old: Annotated[str, typer.Argument(metavar=N_("OLD"), help=N_("The older edition id."))],
    new: Annotated[str, typer.Argument(metavar=N_("NEW"), help=N_("The newer edition id."))],
    *,
    workspace: WorkspaceOption = None,
    changed_only: Annotated[bool, typer.Option("--changed-only", help=N_("Leave out unchanged sections."))] = False,
    output_format: TextOrJsonOption = TextOrJson.text,
) -> None:
    """Diff two editions."""
    from dataclasses import asdict

    from vastbus_cli import api

    with user_errors():
        result = api.diff(api.open_workspace(workspace), old, new)
    changes = [c for c in result.changes if not (changed_only and c.kind == "unchanged" and c.declared)]
    if output_format is TextOrJson.json:
        document = {"old": result.old, "new": result.new, "sections": [asdict(c) for c in changes]}
        write_stdout(json_text(document))
    else:
        write_stdout(diff_text(result.old, result.new, changes))
    raise typer.Exit(1 if result.undeclared else 0)


@maintain_app.command("review", help=REVIEW_HELP, cls=Command)
def review_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar=PATH, help=N_("Files or folders whose refs were reviewed."))
    ] = None,
    *,
    by: Annotated[str, typer.Option("--by", metavar=NAME, help=N_("Who reviewed."))],
    workspace: WorkspaceOption = None,
    module: Annotated[str | None, typer.Option("--module", metavar="ID", help=N_("Only refs in this module."))] = None,
    slide: Annotated[
        str | None, typer.Option("--slide", metavar="ID", help=N_("Only refs on this slide or quiz item."))
    ] = None,
    section: Annotated[
        str | None, typer.Option("--section", metavar="ID", help=N_("Only refs citing this section."))
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help=N_("Every ref in the workspace."))] = False,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help=N_("Why, or what was checked."))] = None,
    on: Annotated[str | None, typer.Option("--on", metavar=DAY, help=N_("Review date (default: today)."))] = None,
    edition: Annotated[str | None, edition_option(N_("Stamp this edition (default: the one in force)."))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("Show what would change; write nothing."))] = False,
) -> None:
    """Review refs."""
    from vastbus_cli import api

    with user_errors():
        result = api.review(
            api.open_workspace(workspace),
            by=by,
            paths=paths,
            module=module,
            slide=slide,
            section=section,
            everything=everything,
            note=note,
            on=parse_day(on, "--on"),
            edition=edition,
            write=not dry_run,
        )
    cli_output.review_result(result, dry_run)


@maintain_app.command("upgrade", help=UPGRADE_HELP, cls=Command)
def upgrade_command(
    paths: Annotated[list[Path] | None, typer.Argument(metavar=PATH, help=N_("Only these files or folders."))] = None,
    *,
    to: Annotated[str, typer.Option("--to", metavar="ID", help=N_("The edition to move to."))],
    workspace: WorkspaceOption = None,
    write: Annotated[bool, typer.Option("--write", help=N_("Apply the changes (default: only show them)."))] = False,
) -> None:
    """Upgrade material."""
    from vastbus_cli import api

    with user_errors():
        result = api.upgrade(api.open_workspace(workspace), to, write=write, paths=paths)
    cli_output.upgrade_result(result, write)


@maintain_app.command("changes", help=CHANGES_HELP, cls=Command)
def changes_command(
    old: Annotated[
        str, typer.Argument(metavar=N_("OLD"), help=N_("The older version: '.', a folder or a git revision."))
    ],
    new: Annotated[
        str, typer.Argument(metavar=N_("NEW"), help=N_("The newer version: '.', a folder or a git revision."))
    ],
    *,
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        ChangesFormat, format_option(N_("Output format; news: lines for course.yaml's news."))
    ] = ChangesFormat.text,
    output: OutputOption = None,
) -> None:
    """Compare two course versions."""
    from vastbus_cli import api

    with user_errors():
        with (
            api.course_version(old, workspace) as before,
            api.course_version(new, workspace) as after,
        ):
            problems = [(version, api.version_problems(version)) for version in (before, after)]
            if any(found for _, found in problems):
                cli_output.version_problems(problems)
                raise typer.Exit(1)
            result = api.course_changes(before, after)
        emit(api.changes_text(result, output_format.value), output)


@maintain_app.command("schema", help=SCHEMA_HELP, cls=Command)
def schema_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar=DIR,
            help=N_("Folder for the schema files (default: curriculum/schemas/ in the workspace)."),
        ),
    ] = None,
    *,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the editor schemas."""
    from vastbus_cli import api

    with user_errors():
        folder = out if out is not None else api.default_schema_folder(api.workspace_root(workspace))
        files = api.write_schemas(folder)
    for file in files:
        write_stdout((_("{path}: written") if file.written else _("{path}: current")).format(path=file.path) + "\n")
    written = sum(file.written for file in files)
    say(
        _("{n} schemas in {folder}: {written} written, {current} already current").format(
            n=len(files), folder=folder, written=written, current=len(files) - written
        )
    )
