"""The command line: parses options, calls the library API, prints, picks the exit code.

This is the only module that imports Typer. Results go to stdout, messages to stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from vastbus_cli import __version__
from vastbus_cli.errors import UsageError, VastbusError
from vastbus_cli.findings import Severity, fails
from vastbus_cli.helptext import (
    BUILD_HELP,
    CHANGES_HELP,
    CHECK_HELP,
    DIFF_HELP,
    EDITIONS_HELP,
    HELD_HELP,
    REPORT_HELP,
    REVIEW_HELP,
    SCAN_HELP,
    SCHEMA_HELP,
    SITE_HELP,
    UPGRADE_HELP,
)
from vastbus_cli.safetext import json_text, printable
from vastbus_cli.streams import safe_streams, write_stdout
from vastbus_cli.views import console, diff_text, report_table, scan_table, scan_text

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
)


class _InOrder(TyperGroup):
    """Lists commands in :data:`COMMAND_ORDER`, not alphabetically."""

    def list_commands(self, ctx: Any) -> list[str]:
        known = super().list_commands(ctx)
        return [name for name in COMMAND_ORDER if name in known] + [n for n in known if n not in COMMAND_ORDER]


app = typer.Typer(
    name="vastbus",
    cls=_InOrder,
    help="Keep training material about Västbus / Samverkan för barns och ungas hälsa correct and current.",
    epilog="Exit codes: 0 nothing at or above --fail-on · 1 findings (or outdated files) · "
    "2 usage or configuration error · 3 input/output failure · 130 interrupted. "
    "Start with: vastbus check, then vastbus build.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _say(message: str, label: str = "") -> None:
    """One message on stderr after an optional Rich-styled label; the message is printed as text.

    File names and user text may hold brackets (``[x].yaml``) that Rich would read as markup,
    and control characters (a newline, a terminal escape) that are shown escaped: one line.
    """
    from rich.markup import escape

    console().print(label + escape(printable(message)))


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a VastbusError into one line on stderr and its exit code; never a traceback."""
    try:
        yield
    except VastbusError as error:
        _say(str(error), "[bold red]error:[/] ")
        raise typer.Exit(error.exit_code) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vastbus {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep training material about Västbus / Samverkan för barns och ungas hälsa correct and current.

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or
    configuration error; 3 input/output failure; 130 interrupted.
    """


WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace", "-w", help="Workspace folder (default: found from the current folder upwards).", file_okay=False
    ),
]


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


def _parse_day(value: str | None, option: str = "--as-of") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date; write YYYY-MM-DD, e.g. 2026-11-30") from None


def _to_stdout(path: Path) -> bool:
    """``-``: the conventional name for standard output."""
    return str(path) == "-"


def _emit(text: str, output: Path | None) -> None:
    """Write to stdout, or to the file ``output`` names (see :func:`vastbus_cli.fsio.write_output`)."""
    if output is None or _to_stdout(output):
        write_stdout(text)
        return
    from vastbus_cli.fsio import write_output

    write_output(output, text)
    _say(f"wrote {output}")


@app.command("check", help=CHECK_HELP)
def check_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="PATH...", help="Files or folders to report on (default: all).")
    ] = None,
    *,
    workspace: WorkspaceOption = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")
    ] = FailOn.error,
    edition: Annotated[
        str | None, typer.Option("--edition", metavar="ID", help="Check against this edition id.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Pick the edition in force on this day (YYYY-MM-DD)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    spelling: Annotated[
        bool,
        typer.Option(
            "--spelling",
            help="Also check Swedish spelling (a few seconds the first time; answers are cached). "
            "Accepted terms go in curriculum/ordlista.txt.",
        ),
    ] = False,
) -> None:
    """Check the curriculum."""
    from vastbus_cli import api
    from vastbus_cli.formats import as_markdown_summary, render

    with _user_errors():
        day = _parse_day(as_of)
        ws = api.open_workspace(workspace)
        _inside_workspace(paths or [], ws)
        result = api.check(ws, edition=edition, as_of=day, paths=paths or None, spelling=spelling)
        threshold = None if fail_on is FailOn.never else Severity(fail_on.value)
        checked = api.checked_files(ws, paths or None)
        _emit(render(output_format.value, result.edition, result.findings, checked=checked, fail_on=threshold), output)
        _step_summary(as_markdown_summary(result.edition, result.findings))
    raise typer.Exit(1 if fails(result.findings, threshold) else 0)


def _step_summary(markdown: str) -> None:
    """On GitHub Actions, add to the job's summary page: annotations stop after a few, the summary does not."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(markdown + "\n")
    except OSError as error:
        _say(f"could not add to the step summary {target}: {error.strerror or error}", "[yellow]warning:[/] ")


def _inside_workspace(paths: list[Path], workspace: Any) -> None:
    """Every PATH argument exists and lies in the workspace (check reports on workspace files only)."""
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path} does not exist")
        if not workspace.contains(path):
            raise UsageError(
                f"{path} is outside the workspace {workspace.root}; check reports on files in the workspace "
                "(pass --workspace DIR to check another one)"
            )


class PackFormat(StrEnum):
    """Which files build writes."""

    pptx = "pptx"
    docx = "docx"
    all = "all"


def _interactive() -> bool:
    return sys.stderr.isatty() and not _in_ci()


def _in_ci() -> bool:
    """Whether a CI service runs us; ``CI=false`` (or 0, no, empty) says it does not."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


@app.command("build", help=BUILD_HELP)
def build_command(
    *,
    workspace: WorkspaceOption = None,
    district: Annotated[
        list[str] | None,
        typer.Option(
            "--district",
            "-d",
            metavar="ID|NAME",
            help="District id, or 'central' for the pack without local additions (repeatable).",
        ),
    ] = None,
    audience: Annotated[
        list[str] | None, typer.Option("--audience", "-a", metavar="ID|NAME", help="Audience id (repeatable).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: build/ in the workspace).", file_okay=False),
    ] = None,
    pack_format: Annotated[PackFormat, typer.Option("--format", "-f", help="Which files to write.")] = PackFormat.all,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", metavar="N", min=1, help="Parallel workers (default: all cores).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even files whose inputs did not change.")] = False,
    edition: Annotated[
        str | None, typer.Option("--edition", metavar="ID", help="Build against this edition id.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Use the edition in force on this day.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a PDF of every file, with LibreOffice (soffice).")
    ] = False,
) -> None:
    """Build packs."""
    from vastbus_cli import api
    from vastbus_cli.formats import as_text

    formats = ("pptx", "docx") if pack_format is PackFormat.all else (pack_format.value,)
    with _user_errors():
        ws = api.open_workspace(workspace)
        try:
            with _progress("rendering", "PDF") as (advance, advance_pdf):
                result = api.build(
                    ws,
                    out,
                    districts=district,
                    audiences=audience,
                    formats=formats,
                    jobs=jobs,
                    force=force,
                    edition=edition,
                    as_of=_parse_day(as_of),
                    progress=advance,
                    pdf=pdf,
                    pdf_progress=advance_pdf,
                )
        except api.BuildRefused as refused:
            write_stdout(as_text(refused.edition, [f for f in refused.findings if f.severity is Severity.ERROR]))
            raise
    for notice in result.notices:
        _say(notice, "[yellow]warning:[/] ")
    if result.warnings:
        _say(f"{len(result.warnings)} warning(s) from check; run 'vastbus check' to see them")
    _say(f"wrote {len(result.written)} file(s), skipped {len(result.skipped)} unchanged; manifest: {result.manifest}")
    if result.pdf is not None:
        _say(f"wrote {len(result.pdf.written)} PDF(s), skipped {len(result.pdf.skipped)} unchanged")
        for rel, reason in result.pdf.failed:
            _say(f"{rel}: no PDF: {reason}", "[red]error:[/] ")
    _step_summary(
        f"### vastbus build\n\n{len(result.written)} file(s) written, {len(result.skipped)} unchanged, "
        f"{len(result.warnings)} warning(s) from check; manifest: `{result.manifest}`\n"
    )
    if not result.written:
        _say("nothing changed since the last build")
    if result.pdf is not None and result.pdf.failed:
        raise typer.Exit(3)


Advance = Callable[[int, int], None]


@contextmanager
def _progress(*labels: str) -> Iterator[list[Advance | None]]:
    """One progress bar per label, shown once its work starts; none when nobody watches."""
    if not _interactive():
        yield [None for _ in labels]
        return
    from rich.progress import Progress

    with Progress(transient=True, console=console()) as bar:

        def bar_for(label: str) -> Advance:
            task: list[Any] = []

            def advance(done: int, total: int) -> None:
                if not task:
                    task.append(bar.add_task(label, total=total))
                bar.update(task[0], completed=done, total=total)

            return advance

        yield [bar_for(label) for label in labels]


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


@app.command("editions", help=EDITIONS_HELP)
def editions_command(
    *,
    workspace: WorkspaceOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Which edition is in force on this day.")
    ] = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
) -> None:
    """List editions."""
    from dataclasses import asdict

    from vastbus_cli import api

    with _user_errors():
        rows = api.editions(api.open_workspace(workspace), _parse_day(as_of))
    if output_format is TextOrJson.json:
        write_stdout(json_text([asdict(r) for r in rows]))
        return
    for row in rows:
        marker = "*" if row.current else " "
        supersedes = f", supersedes {row.supersedes}" if row.supersedes else ""
        write_stdout(
            printable(f"{marker} {row.id:<16} {row.valid_from:<11} {row.kind:<16} {row.title}{supersedes}") + "\n"
            f"  {'':<16} {printable(row.note)}\n"
        )


@app.command("diff", help=DIFF_HELP)
def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The older edition id.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The newer edition id.")],
    *,
    workspace: WorkspaceOption = None,
    changed_only: Annotated[bool, typer.Option("--changed-only", help="Leave out unchanged sections.")] = False,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
) -> None:
    """Diff two editions."""
    from dataclasses import asdict

    from vastbus_cli import api

    with _user_errors():
        result = api.diff(api.open_workspace(workspace), old, new)
    changes = [c for c in result.changes if not (changed_only and c.kind == "unchanged" and c.declared)]
    if output_format is TextOrJson.json:
        document = {"old": result.old, "new": result.new, "sections": [asdict(c) for c in changes]}
        write_stdout(json_text(document))
    else:
        write_stdout(diff_text(result.old, result.new, changes))
    raise typer.Exit(1 if result.undeclared else 0)


@app.command("review", help=REVIEW_HELP)
def review_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="PATH...", help="Files or folders whose refs were reviewed.")
    ] = None,
    *,
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who reviewed (required).")],
    workspace: WorkspaceOption = None,
    module: Annotated[str | None, typer.Option("--module", metavar="ID", help="Only refs in this module.")] = None,
    slide: Annotated[
        str | None, typer.Option("--slide", metavar="ID", help="Only refs on this slide or quiz item.")
    ] = None,
    section: Annotated[
        str | None, typer.Option("--section", metavar="ID", help="Only refs citing this section.")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every ref in the workspace.")] = False,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="Why, or what was checked.")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", help="Review date (default: today).")] = None,
    edition: Annotated[
        str | None, typer.Option("--edition", metavar="ID", help="Stamp this edition (default: current).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
) -> None:
    """Review refs."""
    from vastbus_cli import api

    with _user_errors():
        result = api.review(
            api.open_workspace(workspace),
            by=by,
            paths=paths,
            module=module,
            slide=slide,
            section=section,
            everything=everything,
            note=note,
            on=_parse_day(on, "--on"),
            edition=edition,
            write=not dry_run,
        )
    for change in result.changes:
        write_stdout(
            printable(f"{change.file}:{change.line}: {change.action} {change.section} ({change.detail})") + "\n"
        )
    if dry_run:
        _say(f"would change {len({c.file for c in result.changes if c.action == 'reviewed'})} file(s)")
    else:
        _say(f"wrote {len(result.files_written)} file(s)")


@app.command("upgrade", help=UPGRADE_HELP)
def upgrade_command(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH...", help="Only these files or folders.")] = None,
    *,
    to: Annotated[str, typer.Option("--to", metavar="ID", help="The edition to move to.")],
    workspace: WorkspaceOption = None,
    write: Annotated[bool, typer.Option("--write", help="Apply the changes (default: dry run).")] = False,
) -> None:
    """Upgrade material."""
    from vastbus_cli import api

    with _user_errors():
        result = api.upgrade(api.open_workspace(workspace), to, write=write, paths=paths)
    counts: dict[str, int] = {}
    for change in result.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
        where = f"{change.file}:{change.line}" if change.line else change.file
        section = f" {change.section}" if change.section else ""
        write_stdout(printable(f"{where}: {change.action}{section}: {change.detail}") + "\n")
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to do"
    _say(("" if write else "dry run (add --write to apply): ") + summary)


@app.command("changes", help=CHANGES_HELP)
def changes_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The older version: '.', a folder or a git revision.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The newer version: '.', a folder or a git revision.")],
    *,
    workspace: WorkspaceOption = None,
    output_format: Annotated[
        ChangesFormat,
        typer.Option("--format", "-f", help="Output format; news: lines for course.yaml's news."),
    ] = ChangesFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
) -> None:
    """Compare two course versions."""
    from vastbus_cli import api

    with _user_errors():
        with (
            api.course_version(old, workspace) as before,
            api.course_version(new, workspace) as after,
        ):
            problems = [(version, api.version_problems(version)) for version in (before, after)]
            if any(found for _, found in problems):
                for version, found in problems:
                    for f in found:
                        place = f"{version.where}{f.file}" + (f":{f.line}:{f.column}" if f.line else "")
                        hint = f" ({f.hint})" if f.hint else ""
                        _say(f"{place}: error {f.rule} {f.message}{hint}")
                    if found:
                        _say(
                            f"{version.label} does not load ({len(found)} problem(s)); fix it, or compare other "
                            "versions",
                            "[bold red]error:[/] ",
                        )
                raise typer.Exit(1)
            result = api.course_changes(before, after)
        _emit(api.changes_text(result, output_format.value), output)


@app.command("schema", help=SCHEMA_HELP)
def schema_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder for the schema files (default: curriculum/schemas/ in the workspace)."
        ),
    ] = None,
    *,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the editor schemas."""
    from vastbus_cli import api

    with _user_errors():
        folder = out if out is not None else api.default_schema_folder(api.workspace_root(workspace))
        files = api.write_schemas(folder)
    for file in files:
        write_stdout(f"{file.path}: {'written' if file.written else 'current'}\n")
    written = sum(file.written for file in files)
    _say(f"{len(files)} schemas in {folder}: {written} written, {len(files) - written} already current")


@app.command("scan", help=SCAN_HELP)
def scan_command(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Files and folders to scan.")],
    *,
    workspace: WorkspaceOption = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=1, help="Parallel workers.")] = 1,
    edition: Annotated[str | None, typer.Option("--edition", metavar="ID", help="Compare with this edition.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Use the edition in force on this day.")
    ] = None,
) -> None:
    """Scan files."""
    from dataclasses import asdict

    from vastbus_cli import api

    with _user_errors():
        for path in paths:
            if not path.exists() and not path.is_symlink():  # a broken link is scanned: unreadable, named
                raise UsageError(f"{path} does not exist")
        day = _parse_day(as_of) or dt.date.today()
        ws = api.open_workspace(workspace)
        with _progress("scanning") as (advance,):
            scanned = api.scan(ws, paths, edition=edition, as_of=day, jobs=jobs, base=Path.cwd(), progress=advance)
        results = scanned.files
        if output_format is TextOrJson.json:
            document = {"edition": scanned.edition, "files": [asdict(r) for r in results]}
            _emit(json_text(document), output)
        elif output is None and sys.stdout.isatty():
            scan_table(results, scanned.edition)
        else:
            _emit(scan_text(results, scanned.edition), output)
    raise typer.Exit(1 if any(r.status == "outdated" for r in results) else 0)


@app.command("report", help=REPORT_HELP)
def report_command(
    *,
    workspace: WorkspaceOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            # Not -o: in every other command -o names what the command writes; here --out is read.
            help="Where the packs are built (default: build/ in the workspace).",
            file_okay=False,
        ),
    ] = None,
    scan_dir: Annotated[
        Path | None,
        typer.Option("--scan", help="A folder with one subfolder per district id to scan.", file_okay=False),
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write a static HTML page.")] = None,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text, or csv for a spreadsheet (';', Excel-ready).")
    ] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    edition: Annotated[str | None, typer.Option("--edition", metavar="ID", help="Compare with this edition.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Use the edition in force on this day.")
    ] = None,
) -> None:
    """Report status."""
    from vastbus_cli import api

    with _user_errors():
        if scan_dir is not None and not scan_dir.is_dir():
            raise UsageError(f"--scan {scan_dir} is not a folder")
        ws = api.open_workspace(workspace)
        result = api.report(ws, out, scan_dir=scan_dir, edition=edition, as_of=_parse_day(as_of))
        if html is not None:
            _emit(api.report_page(result, None if _to_stdout(html) else html.resolve().parent), html)
            if _to_stdout(html):
                return  # the page is the output
        if report_format is ReportFormat.csv:
            _emit(api.report_text(result, "csv"), output)
            return
        if output is not None:
            _emit(api.report_text(result), output)
            return
    if not (sys.stdout.isatty() and report_table(result)):
        write_stdout(api.report_text(result))


@app.command("site", help=SITE_HELP)
def site_command(
    *,
    workspace: WorkspaceOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The site's folder (default: site/ in the workspace).", file_okay=False),
    ] = None,
    packs: Annotated[
        Path | None,
        typer.Option("--packs", help="Where the packs are built (default: build/ in the workspace).", file_okay=False),
    ] = None,
    thumbnails: Annotated[
        bool, typer.Option("--thumbnails", help="Pictures of every slide (needs LibreOffice and pdftoppm).")
    ] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N", min=1, help="Parallel workers.")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="OLD", help="The previous course version (git revision or folder): what is new."
        ),
    ] = None,
    edition: Annotated[str | None, typer.Option("--edition", metavar="ID", help="Show this edition.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Use the edition in force on this day.")
    ] = None,
) -> None:
    """Make the site."""
    from vastbus_cli import api

    with _user_errors():
        ws = api.open_workspace(workspace)
        root = ws.root
        with _progress("pages") as (advance,):
            result = api.site(
                ws,
                out,
                packs=packs,
                thumbnails=thumbnails,
                edition=edition,
                as_of=_parse_day(as_of),
                jobs=jobs,
                progress=advance,
                since=since,
            )
    if result.stale_packs:
        _say(
            f"{len(result.stale_packs)} pack file(s) are older than the course; run 'vastbus build' before you publish",
            "[yellow]warning:[/] ",
        )
    if thumbnails and result.thumbnails:
        _say(result.thumbnails, "[yellow]warning:[/] ")
    for notice in result.notices:
        _say(notice, "[yellow]warning:[/] ")
    _say(
        f"wrote {len(result.written)} file(s), {len(result.unchanged)} unchanged, "
        f"removed {len(result.removed)}; start page: {(out if out is not None else root / 'site') / 'index.html'}"
    )


@app.command("held", help=HELD_HELP)
def held_command(
    pack: Annotated[Path, typer.Argument(metavar="PACK", help="The pack folder, or a file of it, that was used.")],
    *,
    date: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The day it was held.")],
    participants: Annotated[int, typer.Option("--participants", metavar="N", help="How many took part.")],
    trainer: Annotated[str | None, typer.Option("--trainer", metavar="NAME", help="Who gave it (optional).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a session."""
    from vastbus_cli import api

    with _user_errors():
        root = api.workspace_root(workspace)
        day = _parse_day(date, "--date")
        assert day is not None
        path, session = api.held(root, pack, day=day, participants=participants, trainer=trainer)
    _say(
        f"recorded {session.date.isoformat()}: {session.district}/{session.audience}, {session.participants} "
        f"participant(s), edition {session.edition}, course {session.course_version}, in {path}"
    )


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which Click turns into "Aborted!" and exit code 1."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> NoReturn:
    """Console-script entry point."""
    safe_streams()
    if len(sys.argv) <= 1:
        # Asking for nothing is a usage error (exit 2); 1 is reserved for findings.
        with suppress(SystemExit):
            app(prog_name="vastbus", args=["--help"])
        raise SystemExit(2)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app(prog_name="vastbus")
    except Interrupted:
        sys.stderr.write("interrupted; files already written are whole and listed in the manifest\n")
        raise SystemExit(130) from None
    except VastbusError as error:  # raised outside a command's _user_errors, e.g. writing its output
        _say(str(error), "[bold red]error:[/] ")
        raise SystemExit(error.exit_code) from None
    raise SystemExit(0)
