"""The command line: parses options, calls the library API, prints, picks the exit code.

With :mod:`~vastbus_cli.cli_options` (the shared options) and :mod:`~vastbus_cli.cli_output`
(what commands print), the only modules that import Typer. Results go to stdout, messages to stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

import typer
from typer.core import TyperGroup

from vastbus_cli import __version__, cli_output
from vastbus_cli.cli_lang import ClickUsageError, apply, take_lang
from vastbus_cli.cli_maintain import maintain_app
from vastbus_cli.cli_new import new_app
from vastbus_cli.cli_options import (
    DAY,
    DIR,
    FILE,
    NAME,
    PATH,
    AsOfOption,
    Command,
    CompareEditionOption,
    FailOn,
    OutputFormat,
    OutputOption,
    PackFormat,
    ReportFormat,
    TextOrJson,
    TextOrJsonOption,
    WorkspaceOption,
    as_of_option,
    audience_option,
    district_option,
    edition_option,
    format_option,
    output_option,
    parse_day,
)
from vastbus_cli.cli_output import ERROR, emit, progress, say, step_summary, to_stdout, user_errors
from vastbus_cli.cli_survey import survey_app
from vastbus_cli.errors import UsageError, VastbusError, WorkspaceNotFound
from vastbus_cli.findings import Severity, fails
from vastbus_cli.helptext import (
    BUILD_HELP,
    CHECK_HELP,
    HELD_HELP,
    REPORT_HELP,
    SCAN_HELP,
    SITE_HELP,
)
from vastbus_cli.i18n import N_, _, ngettext
from vastbus_cli.safetext import json_text
from vastbus_cli.streams import safe_streams, write_stdout
from vastbus_cli.views import scan_table, scan_text
from vastbus_cli.views_report import report_table

#: The order ``vastbus --help`` lists the commands in: the order a user meets them.
COMMAND_ORDER = (
    "check",
    "build",
    "report",
    "site",
    "held",
    "scan",
    "editions",
    "diff",
    "review",
    "upgrade",
    "changes",
    "schema",
    "new",
    "survey",
)


class _InOrder(TyperGroup):
    """Lists commands in :data:`COMMAND_ORDER`, not alphabetically."""

    def list_commands(self, ctx: Any) -> list[str]:
        known = super().list_commands(ctx)
        return [name for name in COMMAND_ORDER if name in known] + [n for n in known if n not in COMMAND_ORDER]

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Take ``--lang`` from anywhere on the line and speak that language before Click parses the rest."""
        try:
            lang, args = take_lang(list(args))
            apply(lang, self)
        except ClickUsageError as error:
            error.show()
            raise SystemExit(error.exit_code) from None
        return super().make_context(info_name, args, parent, **extra)


app = typer.Typer(
    name="vastbus",
    cls=_InOrder,
    help=N_("Keep training material about Västbus / Samverkan för barns och ungas hälsa correct and current."),
    epilog=N_(
        "Exit codes: 0 nothing at or above --fail-on · 1 findings (or outdated files) · "
        "2 usage or configuration error · 3 input/output failure · 130 interrupted. "
        "Start with: vastbus check, then vastbus build."
    ),
    subcommand_metavar=N_("COMMAND [ARGS]..."),
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vastbus {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help=N_("Show the version and exit."))
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="sv|en",
            help=N_(
                "Language of messages and help: sv (default) or en; also VASTBUS_LANG. May stand anywhere on the line."
            ),
        ),
    ] = None,
) -> None:
    """Keep training material about Västbus / Samverkan för barns och ungas hälsa correct and current.

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or
    configuration error; 3 input/output failure; 130 interrupted.
    """


@app.command("check", help=CHECK_HELP, cls=Command)
def check_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar=PATH, help=N_("Files or folders to report on (default: all)."))
    ] = None,
    *,
    workspace: WorkspaceOption = None,
    output_format: Annotated[OutputFormat, format_option()] = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help=N_("Lowest severity that makes the exit code 1."))
    ] = FailOn.error,
    edition: Annotated[str | None, edition_option(N_("Check against this edition id."))] = None,
    as_of: Annotated[str | None, as_of_option(N_("Pick the edition in force on this day."))] = None,
    output: OutputOption = None,
    spelling: Annotated[
        bool,
        typer.Option(
            "--spelling",
            help=N_(
                "Also check Swedish spelling (a few seconds the first time; answers are cached). "
                "Accepted terms go in curriculum/ordlista.txt."
            ),
        ),
    ] = False,
) -> None:
    """Check the curriculum."""
    from vastbus_cli import api
    from vastbus_cli.formats import as_markdown_summary, render

    with user_errors():
        day = parse_day(as_of)
        ws = api.open_workspace(workspace)
        _inside_workspace(paths or [], ws)
        with progress(spelling and _interactive(), "spelling") as (advance,):
            result = api.check(ws, edition=edition, as_of=day, paths=paths or None, spelling=spelling, progress=advance)
        threshold = None if fail_on is FailOn.never else Severity(fail_on.value)
        checked = api.checked_files(ws, paths or None)
        emit(render(output_format.value, result.edition, result.findings, checked=checked, fail_on=threshold), output)
        step_summary(as_markdown_summary(result.edition, result.findings))
    raise typer.Exit(1 if fails(result.findings, threshold) else 0)


def _inside_workspace(paths: list[Path], workspace: Any) -> None:
    """Every PATH argument exists and lies in the workspace (check reports on workspace files only)."""
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(_("{path} does not exist").format(path=path))
        if not workspace.contains(path):
            raise UsageError(
                _(
                    "{path} is outside the workspace {root}; check reports on files in the workspace "
                    "(pass --workspace DIR to check another one)"
                ).format(path=path, root=workspace.root)
            )


def _interactive() -> bool:
    return sys.stderr.isatty() and not _in_ci()


def _in_ci() -> bool:
    """Whether a CI service runs us; ``CI=false`` (or 0, no, empty) says it does not."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def _ids(kind: Literal["district", "audience"]) -> Callable[[Any], list[tuple[str, str]]]:
    """Shell completion of ``kind`` ids, with their names (zsh and fish show them).

    From the ``--workspace`` given, else the workspace found from the current folder; nothing when there is none.
    """

    def complete(ctx: Any) -> list[tuple[str, str]]:
        try:
            from vastbus_cli import api

            return api.choices(ctx.params.get("workspace"), kind)  # Typer keeps those that start as typed
        except Exception:  # completion offers nothing rather than print a traceback into the shell
            return []

    return complete


@app.command("build", help=BUILD_HELP, cls=Command)
def build_command(
    *,
    workspace: WorkspaceOption = None,
    district: Annotated[list[str] | None, district_option(_ids("district"))] = None,
    audience: Annotated[list[str] | None, audience_option(_ids("audience"))] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar=DIR, help=N_("Output folder (default: paket/ in the workspace)."), file_okay=False
        ),
    ] = None,
    pack_format: Annotated[PackFormat, format_option(N_("Which files to write."))] = PackFormat.all,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", metavar="N", min=1, help=N_("Parallel workers (default: all cores).")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Rebuild even files whose inputs did not change."))] = False,
    edition: Annotated[str | None, edition_option(N_("Build against this edition id."))] = None,
    as_of: AsOfOption = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help=N_("Also write a PDF of every file, with LibreOffice (soffice)."))
    ] = False,
) -> None:
    """Build packs."""
    from vastbus_cli import api
    from vastbus_cli.formats import as_text

    formats = ("pptx", "docx") if pack_format is PackFormat.all else (pack_format.value,)
    with user_errors():
        ws = api.open_workspace(workspace)
        try:
            with progress(_interactive(), _("rendering"), "PDF") as (advance, advance_pdf):
                result = api.build(
                    ws,
                    out,
                    districts=district,
                    audiences=audience,
                    formats=formats,
                    jobs=jobs,
                    force=force,
                    edition=edition,
                    as_of=parse_day(as_of),
                    progress=advance,
                    pdf=pdf,
                    pdf_progress=advance_pdf,
                )
        except api.BuildRefused as refused:
            write_stdout(as_text(refused.edition, [f for f in refused.findings if f.severity is Severity.ERROR]))
            raise
    cli_output.build_result(result)


@app.command("scan", help=SCAN_HELP, cls=Command)
def scan_command(
    paths: Annotated[list[Path], typer.Argument(metavar=PATH, help=N_("Files and folders to scan."))],
    *,
    workspace: WorkspaceOption = None,
    output_format: TextOrJsonOption = TextOrJson.text,
    output: Annotated[Path | None, output_option(N_("Write the report to this file."))] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=1, help=N_("Parallel workers."))] = 1,
    edition: CompareEditionOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Scan files."""
    from dataclasses import asdict

    from vastbus_cli import api

    with user_errors():
        for path in paths:
            if not path.exists() and not path.is_symlink():  # a broken link is scanned: unreadable, named
                raise UsageError(_("{path} does not exist").format(path=path))
        day = parse_day(as_of) or dt.date.today()
        try:
            ws = api.open_workspace(workspace)
        except WorkspaceNotFound:
            # A trainer checking a shared drive has no copy of the course: use the editions shipped with vastbus.
            ws = None
        with progress(_interactive(), _("scanning")) as (advance,):
            scanned = api.scan(ws, paths, edition=edition, as_of=day, jobs=jobs, base=Path.cwd(), progress=advance)
        cli_output.shipped_notice(scanned)  # outside a workspace: which editions it compared with
        results = scanned.files
        if output_format is TextOrJson.json:
            document = {"edition": scanned.edition, "files": [asdict(r) for r in results]}
            emit(json_text(document), output)
        elif output is None and sys.stdout.isatty():
            scan_table(results, scanned.edition)
        else:
            emit(scan_text(results, scanned.edition), output)
    raise typer.Exit(1 if any(r.status == "outdated" for r in results) else 0)


@app.command("report", help=REPORT_HELP, cls=Command)
def report_command(
    *,
    workspace: WorkspaceOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            # Not -o: in every other command -o names what the command writes; here --out is read.
            metavar=DIR,
            help=N_("Where the packs are built (default: paket/ in the workspace)."),
            # A file is let through so that api.report can say what --out is for (people try --out x.txt).
        ),
    ] = None,
    scan_dir: Annotated[
        Path | None,
        typer.Option(
            "--scan", metavar=DIR, help=N_("A folder with one subfolder per district id to scan."), file_okay=False
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", metavar=FILE, help=N_("Also write a static HTML page."))
    ] = None,
    report_format: Annotated[
        ReportFormat, format_option(N_("text, or csv for a spreadsheet (';', Excel-ready)."))
    ] = ReportFormat.text,
    output: OutputOption = None,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help=N_(
                "Show every district × audience cell in the terminal, however wide "
                "(default: one row per district, fitting 100 columns)."
            ),
        ),
    ] = False,
    edition: CompareEditionOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Report status."""
    from vastbus_cli import api

    with user_errors():
        if scan_dir is not None and not scan_dir.is_dir():
            raise UsageError(_("--scan {folder} is not a folder").format(folder=scan_dir))
        ws = api.open_workspace(workspace)
        result = api.report(ws, out, scan_dir=scan_dir, edition=edition, as_of=parse_day(as_of))
        if html is not None:
            emit(api.report_page(result, None if to_stdout(html) else html.resolve().parent), html)
            if to_stdout(html):
                return  # the page is the output
        if report_format is ReportFormat.csv:
            emit(api.report_text(result, "csv"), output)
            return
        if output is not None:
            emit(api.report_text(result), output)
            return
    if not ((wide or sys.stdout.isatty()) and report_table(result, wide=wide)):
        write_stdout(api.report_text(result))


@app.command("site", help=SITE_HELP, cls=Command)
def site_command(
    *,
    workspace: WorkspaceOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar=DIR, help=N_("The site's folder (default: site/ in the workspace)."), file_okay=False
        ),
    ] = None,
    packs: Annotated[
        Path | None,
        typer.Option(
            "--packs",
            metavar=DIR,
            help=N_("Where the packs are built (default: paket/ in the workspace)."),
            file_okay=False,
        ),
    ] = None,
    thumbnails: Annotated[
        bool, typer.Option("--thumbnails", help=N_("Pictures of every slide (needs LibreOffice and pdftoppm)."))
    ] = False,
    allow_stale: Annotated[
        bool,
        typer.Option("--allow-stale", help=N_("Exit 0 even when packs are older than their inputs (they are marked).")),
    ] = False,
    clean: Annotated[
        bool,
        typer.Option("--clean", help=N_("Also remove the thumbnails earlier runs made and this one did not.")),
    ] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N", min=1, help=N_("Parallel workers."))] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar=N_("OLD"),
            help=N_("The previous course version (git revision or folder): what is new."),
        ),
    ] = None,
    edition: Annotated[str | None, edition_option(N_("Show this edition."))] = None,
    as_of: AsOfOption = None,
) -> None:
    """Make the site."""
    from vastbus_cli import api

    with user_errors():
        ws = api.open_workspace(workspace)
        root = ws.root
        with progress(_interactive(), _("pages")) as (advance,):
            result = api.site(
                ws,
                out,
                packs=packs,
                thumbnails=thumbnails,
                edition=edition,
                as_of=parse_day(as_of),
                jobs=jobs,
                progress=advance,
                since=since,
                clean=clean,
            )
    cli_output.site_result(
        result, thumbnails, (out if out is not None else root / "site") / "index.html", allow_stale=allow_stale
    )
    raise typer.Exit(1 if result.stale_packs and not allow_stale else 0)


@app.command("held", help=HELD_HELP, cls=Command)
def held_command(
    pack: Annotated[
        Path, typer.Argument(metavar=N_("PACK"), help=N_("The pack folder, or a file of it, that was used."))
    ],
    *,
    date: Annotated[str, typer.Option("--date", metavar=DAY, help=N_("The day it was held."))],
    participants: Annotated[int, typer.Option("--participants", metavar="N", help=N_("How many took part."))],
    trainer: Annotated[str | None, typer.Option("--trainer", metavar=NAME, help=N_("Who gave it (optional)."))] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a session."""
    from vastbus_cli import api

    with user_errors():
        root = api.workspace_root(workspace)
        day = parse_day(date, "--date")
        assert day is not None
        path, session = api.held(root, pack, day=day, participants=participants, trainer=trainer)
    say(
        ngettext(
            "recorded {date}: {district}/{audience}, {n} participant, edition {edition}, course {course}, in {path}",
            "recorded {date}: {district}/{audience}, {n} participants, edition {edition}, course {course}, in {path}",
            session.participants,
        ).format(
            date=session.date.isoformat(),
            district=session.district,
            audience=session.audience,
            n=session.participants,
            edition=session.edition,
            course=session.course_version,
            path=path,
        )
    )


app.add_typer(maintain_app)
app.add_typer(new_app, name="new")
app.add_typer(survey_app, name="survey")


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which Click turns into "Aborted!" and exit code 1."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> NoReturn:
    """Console-script entry point."""
    safe_streams()
    if len(sys.argv) <= 1 and not os.environ.get("_VASTBUS_COMPLETE"):  # the shell asks completion with no args
        # Asking for nothing is a usage error (exit 2); 1 is reserved for findings.
        with suppress(SystemExit):
            app(prog_name="vastbus", args=["--help"])
        raise SystemExit(2)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app(prog_name="vastbus")
    except Interrupted:
        sys.stderr.write(_("interrupted; files already written are whole and listed in the manifest") + "\n")
        raise SystemExit(130) from None
    except VastbusError as error:  # raised outside a command's _user_errors, e.g. writing its output
        say(str(error), ERROR)
        raise SystemExit(error.exit_code) from None
    raise SystemExit(0)
