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
    """One message on stderr after an optional Rich-styled label; the message is printed as is.

    File names and user text may hold brackets (``[x].yaml``) that Rich would read as markup.
    """
    from rich.markup import escape

    _console().print(label + escape(message))


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
    if output is None or _to_stdout(output):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from vastbus_cli.fsio import atomic_write_text

    atomic_write_text(output, text)
    _say(f"wrote {output}")


CHECK_HELP = """Check the curriculum against the guideline edition in force.

Validates YAML syntax and schema, ids, refs to guideline sections, material built on
an older edition, suspect refs, where each rule is credited to (agreement, law, support
material), the quiz, outdated terms, misconceptions, accessibility and paths; with
--spelling also Swedish spelling. With PATH arguments, only findings in those files or
folders are reported.

Examples:

\b
  vastbus check
  vastbus check curriculum/modules/samtycke.yaml
  vastbus check --format json --output findings.json
  vastbus check --format github --fail-on warning
  vastbus check --as-of 2022-06-01
  vastbus check --spelling
"""


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
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.", dir_okay=False)
    ] = None,
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


BUILD_HELP = """Render slide decks, handouts and trainer guides for every district and audience.

Runs the checks first and refuses to build while there are errors. Writes
<out>/<district>/<audience>/slides.pptx, handout.docx and trainer-guide.docx (the
central pack under <out>/central/), and <out>/manifest.json. Files whose inputs did
not change are left alone. With --pdf, LibreOffice also writes slides.pdf,
handout.pdf and trainer-guide.pdf beside them (again only where they changed).

Examples:

\b
  vastbus build
  vastbus build --district angered --audience forskola --audience bvc
  vastbus build --district central --format pptx --out paket/
  vastbus build --district Angered --audience förskola --pdf
  vastbus build --force --jobs 2
"""


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
    from vastbus_cli.build import BuildRefused, build
    from vastbus_cli.formats import as_text

    formats = ("pptx", "docx") if pack_format is PackFormat.all else (pack_format.value,)
    with _user_errors():
        root = api.workspace_root(workspace)
        try:
            with _progress("rendering", "PDF") as (advance, advance_pdf):
                result = build(
                    root,
                    out if out is not None else root / "build",
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
        except BuildRefused as refused:
            sys.stdout.write(as_text(refused.edition, [f for f in refused.findings if f.severity is Severity.ERROR]))
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

    with Progress(transient=True, console=_console()) as bar:

        def bar_for(label: str) -> Advance:
            task: list[Any] = []

            def advance(done: int, total: int) -> None:
                if not task:
                    task.append(bar.add_task(label, total=total))
                bar.update(task[0], completed=done, total=total)

            return advance

        yield [bar_for(label) for label in labels]


def _console(*, stderr: bool = True) -> Any:
    """A Rich console; with NO_COLOR set (to anything but empty) it writes no styling at all, bold included."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    # Rich alone drops only the colours for NO_COLOR; without a colour system it drops every style.
    options: dict[str, Any] = {"color_system": None} if plain else {}
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr, **options)


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


EDITIONS_HELP = """List the guideline editions, which one is in force and why.

Examples:

\b
  vastbus editions
  vastbus editions --as-of 2022-06-01
  vastbus editions --format json
"""


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
    import json
    from dataclasses import asdict

    from vastbus_cli import api
    from vastbus_cli.traceability import list_editions

    with _user_errors():
        rows = list_editions(api.open_workspace(workspace), _parse_day(as_of))
    if output_format is TextOrJson.json:
        sys.stdout.write(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    for row in rows:
        marker = "*" if row.current else " "
        supersedes = f", supersedes {row.supersedes}" if row.supersedes else ""
        sys.stdout.write(
            f"{marker} {row.id:<16} {row.valid_from:<11} {row.kind:<16} {row.title}{supersedes}\n"
            f"  {'':<16} {row.note}\n"
        )


DIFF_HELP = """Show what changed between two editions, section by section.

For each section: the change the crosswalk declares (unchanged, editorial, renamed,
split, merged, withdrawn, new, substantive), the text difference, and every
curriculum and local file that cites it. A change the crosswalk does not declare
is flagged.

Examples:

\b
  vastbus diff bou-halsa-2021 bou-halsa-2023
  vastbus diff vastbus-2012 bou-halsa-2023 --changed-only
  vastbus diff bou-halsa-2021 bou-halsa-2023 --format json
"""


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
    import json
    from dataclasses import asdict

    from vastbus_cli import api
    from vastbus_cli.traceability import diff_editions

    with _user_errors():
        result = diff_editions(api.open_workspace(workspace), old, new)
    changes = [c for c in result.changes if not (changed_only and c.kind == "unchanged" and c.declared)]
    if output_format is TextOrJson.json:
        document = {"old": result.old, "new": result.new, "sections": [asdict(c) for c in changes]}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_diff_text(result.old, result.new, changes))
    raise typer.Exit(1 if result.undeclared else 0)


def _diff_text(old: str, new: str, changes: list[Any]) -> str:
    lines = [f"{old} → {new}"]
    for change in changes:
        target = f" → {', '.join(change.new_ids)}" if change.new_ids != [change.section] else ""
        flag = "  UNDECLARED: the text changed but the crosswalk does not say so" if not change.declared else ""
        lines.append(f"\n{change.kind.upper():<12} {change.section}{target}{flag}")
        lines.extend(f"  note: {note}" for note in change.notes)
        lines.extend(f"  {line}" for line in change.diff)
        lines.extend(f"  cited by {c.file}:{c.line} ({c.where})" for c in change.cited_by)
    undeclared = sum(1 for c in changes if not c.declared)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    lines.append(
        "\n"
        + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        + (f"; {undeclared} undeclared change(s)" if undeclared else "")
    )
    return "\n".join(lines) + "\n"


REVIEW_HELP = """Record that a person checked refs against the guideline text, and restamp them.

Sets each selected ref's edition and fingerprint to the current section and writes
reviewed: {by, on, note}. Only those lines change; comments, quoting and blank lines
of everything else stay as they were.

Examples:

\b
  vastbus review --section samtycke --by "Anna Berg" --note "Läst mot 2023"
  vastbus review curriculum/modules/samtycke.yaml --by "Anna Berg"
  vastbus review --module sip-processen --slide sex-steg --by "Anna Berg"
  vastbus review --all --by "Kursredaktionen" --dry-run
"""


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
    from vastbus_cli.traceability import review

    with _user_errors():
        result = review(
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
        sys.stdout.write(f"{change.file}:{change.line}: {change.action} {change.section} ({change.detail})\n")
    if dry_run:
        _say(f"would change {len({c.file for c in result.changes if c.action == 'reviewed'})} file(s)")
    else:
        _say(f"wrote {len(result.files_written)} file(s)")


UPGRADE_HELP = """Move material to a new edition.

Renamed sections are rewritten to their new id; refs to sections that did not change
(or changed only editorially) are restamped and the file's built_on is moved; refs to
sections that changed substantively, split, merged or were withdrawn are left alone
and listed for review, with the text difference. A dry run by default.

Examples:

\b
  vastbus upgrade --to bou-halsa-2023
  vastbus upgrade --to bou-halsa-2023 --write
  vastbus upgrade --to bou-halsa-2023 curriculum/local/angered --write
"""


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
    from vastbus_cli.traceability import upgrade

    with _user_errors():
        result = upgrade(api.open_workspace(workspace), to, write=write, paths=paths)
    counts: dict[str, int] = {}
    for change in result.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
        where = f"{change.file}:{change.line}" if change.line else change.file
        section = f" {change.section}" if change.section else ""
        sys.stdout.write(f"{where}: {change.action}{section}: {change.detail}\n")
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to do"
    _say(("" if write else "dry run (add --write to apply): ") + summary)


CHANGES_HELP = """Show what changed in the course between two versions, module by module.

OLD and NEW each name a version: '.' (the workspace as it is now, uncommitted edits
included), another workspace folder, or a git revision of the repository the
workspace is in (HEAD, HEAD~1, a tag, a commit). Per module, in course order: slides
and quiz items added, removed and changed (which fields, and the text difference,
notes included), and refs moved to another edition; then the local additions.
Everything is matched by its id, never by position. Exits 0 whether or not anything
changed; 1 when a version's course files do not load.

Examples:

\b
  vastbus changes HEAD .
  vastbus changes v1.0 v1.1
  vastbus changes HEAD~3 . --format json --output ändringar.json
  vastbus changes /delad/kurs-2025 .
  vastbus changes v1.0 . --format news     # lines for 'news:' in course.yaml
"""


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
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.", dir_okay=False)
    ] = None,
) -> None:
    """Compare two course versions."""
    from vastbus_cli import api
    from vastbus_cli.changes import as_json, as_news, as_text

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
        writers = {ChangesFormat.text: as_text, ChangesFormat.json: as_json, ChangesFormat.news: as_news}
        _emit(writers[output_format](result), output)


SCHEMA_HELP = """Write the JSON Schemas of the YAML files, for editors.

One JSON Schema (draft 2020-12) per file kind: edition, course, module, districts,
local and sessions, made from the models, with every field's description and examples. With the
Red Hat YAML extension, VS Code then completes keys and underlines mistakes as you type
(README, "Editor support"). The shipped YAML files name their schema on their first
line. A file that already holds its schema is left alone; vastbus check warns when the
workspace's schemas are older than the models.

Examples:

\b
  vastbus schema
  vastbus schema --out /tmp/scheman
  vastbus schema --workspace ../kurs
"""


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
        sys.stdout.write(f"{file.path}: {'written' if file.written else 'current'}\n")
    written = sum(file.written for file in files)
    _say(f"{len(files)} schemas in {folder}: {written} written, {len(files) - written} already current")


SCAN_HELP = """Find PowerPoint and Word files that teach an outdated guideline edition.

Reads every .pptx and .docx under the given files and folders, made by anyone, and
says for each whether it is current, outdated, unknown or unreadable, with the
evidence: the vastbus stamp, or text that names an old edition, uses an outdated term
or repeats a misconception (with slide, notes or paragraph). Exits 1 when anything is
outdated.

Examples:

\b
  vastbus scan /delad/Västbus-material
  vastbus scan gammal.pptx ny.docx
  vastbus scan build/ --format json --output skanning.json
  vastbus scan /delad --jobs 2
"""


@app.command("scan", help=SCAN_HELP)
def scan_command(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Files and folders to scan.")],
    *,
    workspace: WorkspaceOption = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.", dir_okay=False)
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=1, help="Parallel workers.")] = 1,
    edition: Annotated[str | None, typer.Option("--edition", metavar="ID", help="Compare with this edition.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Use the edition in force on this day.")
    ] = None,
) -> None:
    """Scan files."""
    import json
    from dataclasses import asdict

    from vastbus_cli import api
    from vastbus_cli.scan import prepare, scan

    with _user_errors():
        for path in paths:
            if not path.exists() and not path.is_symlink():  # a broken link is scanned: unreadable, named
                raise UsageError(f"{path} does not exist")
        day = _parse_day(as_of) or dt.date.today()
        ws = api.open_workspace(workspace)
        editions = api.editions_of(ws)
        current = api.select_edition(editions, edition, day)
        with _progress("scanning") as (advance,):
            results = scan(paths, prepare(editions, current, day), jobs=jobs, base=Path.cwd(), progress=advance)
        if output_format is TextOrJson.json:
            document = {"edition": current.id, "files": [asdict(r) for r in results]}
            _emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n", output)
        elif output is None and sys.stdout.isatty():
            _scan_table(results, current.id)
        else:
            _emit(_scan_text(results, current.id), output)
    raise typer.Exit(1 if any(r.status == "outdated" for r in results) else 0)


#: Evidence that makes a file outdated comes first, then what names an edition, then the stamp.
_EVIDENCE_ORDER = {"term": 0, "claim": 0, "marker": 1, "stamp": 2}


def _worst_first(evidence: list[Any]) -> list[Any]:
    """The evidence with what makes a file outdated first, each kind in file order."""
    return sorted(evidence, key=lambda e: _EVIDENCE_ORDER.get(e.rule.split("/")[0], 3))


def _scan_text(results: list[Any], edition: str) -> str:
    lines = []
    for result in results:
        edition_text = f" [{result.edition}]" if result.edition else ""
        reason = f" ({result.reason})" if result.reason else ""
        changed = " (changed after it was built)" if result.modified else ""
        lines.append(f"{result.status:<10} {result.path}{edition_text}{changed}{reason}")
        if result.changed:
            lines.append(
                f"           changed since the build: {', '.join(result.changed)}; "
                f"{result.unchanged} block(s) unchanged and not judged"
            )
        if result.rule_counts:
            lines.append("           matches: " + ", ".join(f"{rule} {n}" for rule, n in result.rule_counts.items()))
        shown = _worst_first(result.evidence)[:10]
        lines.extend(f"           {e.location}: {e.rule}: {e.text}" for e in shown)
        more = len(result.evidence) - 10 + result.evidence_omitted
        if more > 0:
            lines.append(
                f"           … and {more} more" + (" (see --format json)" if len(result.evidence) > 10 else "")
            )
    lines.append(_scan_summary(results, edition))
    return "\n".join(lines) + "\n"


def _scan_summary(results: list[Any], edition: str) -> str:
    counts = {
        status: sum(1 for r in results if r.status == status)
        for status in ("current", "outdated", "unknown", "unreadable")
    }
    return f"{len(results)} file(s): " + ", ".join(f"{n} {s}" for s, n in counts.items()) + f"; compared with {edition}"


def _scan_table(results: list[Any], edition: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    colours = {"current": "green", "outdated": "red", "unknown": "yellow", "unreadable": "magenta"}
    table = Table("status", "file", "edition", "evidence", show_lines=False)
    for result in results:
        first = _worst_first(result.evidence)[:3]
        evidence = "\n".join(f"{e.location}: {e.text}" for e in first) or (result.reason or "")
        more = len(result.evidence) - 3 + result.evidence_omitted
        if more > 0:
            evidence += f"\n… {more} more"
        # Names, reasons and quoted text come from other people's files: never Rich markup.
        cells = (escape(result.path), escape(result.edition or ""), escape(evidence))
        table.add_row(f"[{colours[result.status]}]{result.status}[/]", *cells)
    console = _console(stderr=False)  # no colouring of numbers and words in names
    console.print(table)
    console.print(_scan_summary(results, edition))


REPORT_HELP = """Show, per district and audience, whether the training material is current.

For each district (and the central pack) and audience: are the local additions on
the current edition, do the packs exist and match what a build would make now, and
how many refs need review; which local examples are proposed for sharing. With
--scan DIR, also the result of scanning DIR/<district-id>/ for old material.

Examples:

\b
  vastbus report
  vastbus report --html status.html
  vastbus report --out build/ --scan /delad/områden --html status.html
  vastbus report --format csv --output utbildade.csv
"""


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
    html: Annotated[Path | None, typer.Option("--html", help="Also write a static HTML page.", dir_okay=False)] = None,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text, or csv for a spreadsheet (';', Excel-ready).")
    ] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.", dir_okay=False)
    ] = None,
    edition: Annotated[str | None, typer.Option("--edition", metavar="ID", help="Compare with this edition.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="YYYY-MM-DD", help="Use the edition in force on this day.")
    ] = None,
) -> None:
    """Report status."""
    from vastbus_cli import api
    from vastbus_cli.report import as_csv, as_html, as_text, district_report

    with _user_errors():
        if scan_dir is not None and not scan_dir.is_dir():
            raise UsageError(f"--scan {scan_dir} is not a folder")
        ws = api.open_workspace(workspace)
        packs = out if out is not None else ws.root / "build"
        if not packs.is_dir():
            raise UsageError(f"{packs} does not exist: run 'vastbus build' first, or pass --out DIR where packs are")
        result = district_report(ws, packs, scan_dir=scan_dir, edition=edition, as_of=_parse_day(as_of))
        if html is not None:
            _emit(as_html(result, None if _to_stdout(html) else html.resolve().parent), html)
            if _to_stdout(html):
                return  # the page is the output
        if report_format is ReportFormat.csv:
            _emit(as_csv(result), output)
            return
        if output is not None:
            _emit(as_text(result), output)
            return
    if not (sys.stdout.isatty() and _report_table(result)):
        sys.stdout.write(as_text(result))


def _report_table(result: Any) -> bool:
    """The status matrix as a table, when the terminal is wide enough to show it whole; else False."""
    from rich.markup import escape
    from rich.table import Table

    from vastbus_cli.report import LABELS, SEVERITY, summary_line

    colours = {"ok": "green", "warning": "yellow", "error": "red", "none": "dim"}
    table = Table(title=f"{summary_line(result)}\n{result.day.isoformat()} – {result.edition_title}")
    table.add_column("Område")
    for _, name in result.audiences:
        table.add_column(name)
    for row in result.rows:
        cells = []
        for audience_id, _ in result.audiences:
            cell = row.cells[audience_id]
            symbol, label = LABELS[cell.status]
            cells.append(f"[{colours[SEVERITY[cell.status]]}]{symbol} {label}[/]")
        table.add_row(escape(row.name), *cells)
    console = _console(stderr=False)
    # A matrix squeezed into a narrow terminal cuts every name short; the text report is one
    # line per district and fits 80 columns.
    if console.measure(table, options=console.options.update(max_width=10_000)).maximum > console.width:
        return False
    console.print(table)
    for row in result.rows:
        for title, file in row.examples:
            console.print(escape(f"Föreslås för den centrala kursen: {row.name}: {title} ({file})"))
    return True


SITE_HELP = """Make the trainers' site: a folder of web pages in Swedish with every pack.

A start page (the edition in force, the course version, where to begin), one page per
district and audience (downloads, the agenda with minutes, the local additions and
contacts, thumbnails of the slides with --thumbnails) and the status per district.
Works from a file share, an intranet or GitHub Pages: no server, no scripts. Only
files that changed are written.

Examples:

\b
  vastbus build && vastbus site
  vastbus site --out /delad/webbplats --thumbnails
  vastbus site --packs paket/ --out webbplats/
  vastbus site --since v1.0      # "Nytt i denna version" since the tag v1.0
"""


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
    from vastbus_cli.site.publish import publish_site

    with _user_errors():
        root = api.workspace_root(workspace)
        with _progress("pages") as (advance,):
            result = publish_site(
                root,
                out if out is not None else root / "site",
                packs=packs if packs is not None else root / "build",
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
    _say(
        f"wrote {len(result.written)} file(s), {len(result.unchanged)} unchanged, "
        f"removed {len(result.removed)}; start page: {(out if out is not None else root / 'site') / 'index.html'}"
    )


HELD_HELP = """Record a training session held with a pack: when, and how many took part.

Appends to curriculum/sessions/<year>.yaml, keeping its comments. The district,
audience, edition and course version come from the pack's stamp, so a record always
says which material was used. Counts only: no participant names (personal data).
'vastbus report' then shows when each group was last trained, and on which edition.

Examples:

\b
  vastbus held build/angered/forskola --date 2026-11-20 --participants 14
  vastbus held build/central/bvc/slides.pptx --date 2026-11-18 --participants 9 --trainer "Anna Berg"
"""


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
    from vastbus_cli.sessions import record_session

    with _user_errors():
        root = api.workspace_root(workspace)
        day = _parse_day(date, "--date")
        assert day is not None
        path, session = record_session(root, pack, day=day, participants=participants, trainer=trainer)
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
    raise SystemExit(0)
