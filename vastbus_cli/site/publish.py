"""Writing the trainers' site: pages, the packs' files and slide thumbnails, only what changed.

The site is a folder of plain files that works from a file share, an intranet or GitHub
Pages. Files this tool wrote before and no longer makes are removed (they are listed in
``.vastbus-site-state.json``), except the slides' thumbnails of pages the site still has: a
run without ``--thumbnails`` keeps them (and shows them while they still picture the deck),
and only ``clean`` removes them. Nothing else in the folder is touched.

A page whose pack holds a file built before its inputs last changed says so at its top, and
marks the file; the result lists those files (``stale_packs``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vastbus_cli import saferead
from vastbus_cli.build import pack_status, sources_for
from vastbus_cli.buildstate import require_built
from vastbus_cli.errors import UsageError
from vastbus_cli.fsio import atomic_write_bytes, atomic_write_text
from vastbus_cli.i18n import _
from vastbus_cli.officetext import Parts, UnreadableDocument, document_text
from vastbus_cli.packs import PARTS
from vastbus_cli.render.pdf import NoLibreOffice, find_soffice, make_pdfs, pdf_path, read_pdf_state
from vastbus_cli.report import Report, district_report, proposals, status_sections
from vastbus_cli.site.content import PackPage, SiteContent, href, site_content
from vastbus_cli.site.html import STYLE, pack_page, proposals_page, source_page, start_page, status_page
from vastbus_cli.statefiles import SiteState, inside_only, read_state
from vastbus_cli.versions import course_changes, course_version, version_problems
from vastbus_cli.workers import worker_count
from vastbus_cli.workspace import Workspace

SITE_STATE = ".vastbus-site-state.json"
#: Thumbnails are this many pixels wide: sharp in a grid of four, small to download.
THUMB_WIDTH = 320


@dataclass
class SiteResult:
    """What a site build wrote, left as it was, and removed; and whether it has thumbnails."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    thumbnails: str = ""  # empty when built; else why not
    stale_packs: list[str] = field(default_factory=list)
    #: Thumbnails an earlier run made that this one kept without making them (see ``clean``).
    kept: list[str] = field(default_factory=list)
    #: What was ignored or skipped: an unusable state file, paths in it that lead out of the
    #: site folder, packs that are links out of the packs folder.
    notices: list[str] = field(default_factory=list)


class _Writer:
    """Writes a site file only when its bytes changed, and remembers every file it made."""

    def __init__(self, out: Path, result: SiteResult) -> None:
        self.out = out
        self.result = result
        self.made: set[str] = set()

    def bytes(self, rel: str, data: bytes) -> None:
        self.made.add(rel)
        target = self.out / rel
        try:
            if (
                target.is_file()
                and target.stat().st_size == len(data)
                and saferead.read_bytes(target, "office") == data
            ):
                self.result.unchanged.append(rel)
                return
        except (OSError, saferead.Refused):
            pass
        atomic_write_bytes(target, data)
        self.result.written.append(rel)

    def text(self, rel: str, text: str) -> None:
        self.bytes(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path, packs: Path) -> None:
        """Copy a pack's file; one that is a link out of the packs folder, or not a regular file, is skipped."""
        try:
            inside = source.resolve().is_relative_to(packs)
        except (OSError, RuntimeError):  # a link loop
            inside = False
        if not inside:
            self.result.notices.append(
                _("skipped {file}: it is a link that leads out of the packs folder {folder}").format(
                    file=rel, folder=packs
                )
            )
            return
        try:
            data = saferead.read_bytes(source, "office")
        except saferead.Refused as refused:
            self.result.notices.append(_("skipped {file}: {reason}").format(file=rel, reason=refused.message))
            return
        self.bytes(rel, data)


def publish_site(
    workspace: Workspace,
    out: Path,
    *,
    packs: Path,
    thumbnails: bool = False,
    edition: str | None = None,
    as_of: dt.date | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    since: str | None = None,
    clean: bool = False,
) -> SiteResult:
    """Build the site from ``workspace`` and the packs built into ``packs``.

    ``since`` names the previous course version (a git revision or a folder, as ``vastbus
    changes`` takes it); the start page then says what is new since it. Thumbnails an earlier
    run made are kept when this run does not make them, unless ``clean``: then everything
    an earlier run made and this one did not is removed.

    Raises:
        UsageError: ``packs`` is not a folder, or ``out`` is inside it.
        InputOutputError: the site cannot be written.
    """
    packs, out = _folders(packs, out)
    day = as_of or dt.date.today()
    sources = sources_for(workspace, edition, day)
    status = pack_status(workspace, packs, edition=edition, as_of=day)
    result = SiteResult(stale_packs=sorted(rel for rel, state in status.items() if state == "stale"))
    soffice, reason = (
        _thumbnail_tools() if thumbnails else (None, "Miniatyrbilder är inte byggda för den här webbplatsen.")
    )
    if soffice is not None:
        reason = _make_pdfs(packs, status, soffice, jobs) or reason
    built = _built(packs, status)
    news = _news(workspace.root, since) if since else tuple(sources.course.news)
    content = site_content(sources, built, news, frozenset(result.stale_packs))
    writer = _Writer(out, result)
    state = _read_state(out, result.notices)
    writer.text("style.css", STYLE)
    writer.text("index.html", start_page(content))
    report = district_report(workspace, packs, edition=edition, as_of=day, packs=status)
    sources_of = _proposal_sources(workspace, report, writer, content)
    link = sources_of.get
    writer.text("status.html", status_page(content, status_sections(report, out, source_href=link)))
    writer.text("forslag.html", proposals_page(content, proposals(report, out, link)))
    pictures_of: dict[str, list[tuple[str, str]] | None] = {}
    if soffice is not None:
        state.setdefault("thumbnails", {})
        # pdftoppm renders one deck at a time: run one per core.
        with ThreadPoolExecutor(max_workers=worker_count(jobs)) as pool:
            drawn = pool.map(lambda page: (page.path, _thumbnails(writer, page, packs, state)), content.pages)
            pictures_of = dict(drawn)
    records: dict[str, list[str]] = state.get("thumbnails", {})
    kept_decks = set()
    pdfs = read_pdf_state(packs) if records and not clean else {}
    for number, page in enumerate(content.pages, start=1):
        for download in page.downloads:
            if download.built:
                writer.copy(download.path, packs / download.path, packs)
        pictures = pictures_of.get(page.path)
        note = reason or "Miniatyrbilderna saknas: bildspelet är inte byggt."
        if pictures is None and not clean:
            kept, pictures = _earlier_thumbnails(out, page, packs, records, pdfs)
            if kept:
                kept_decks.add(f"{page.folder}/{PARTS['slides'].file}")
                result.kept += kept
                if pictures is None:
                    note = (
                        "Bilderna av bildspelet visas inte: de gjordes från en äldre version av bildspelet. "
                        "Kontakta den som bygger utbildningsmaterialet för att få nya."
                    )
        writer.text(page.path, pack_page(page, content, pictures, note, _trained_line(report, page)))
        if progress:
            progress(number, len(content.pages))
    result.thumbnails = reason
    _remove_unmade(out, state, writer.made | set(result.kept), result)
    made_decks = {f"{page.folder}/{PARTS['slides'].file}" for page in content.pages if pictures_of.get(page.path)}
    _write_state(
        out,
        writer.made | set(result.kept),
        {deck: record for deck, record in records.items() if deck in made_decks | kept_decks},
    )
    result.written.sort()
    result.kept.sort()
    return result


def _proposal_sources(workspace: Workspace, report: Report, writer: _Writer, content: SiteContent) -> dict[str, str]:
    """A page for each local file with a proposal, so the link works for readers without the course's folder.

    Returns each file's path (relative to the workspace) → the link to its page from the site's root.
    """
    links: dict[str, str] = {}
    for rel in sorted({proposal.file for row in report.rows for proposal in row.examples}):
        try:
            text = saferead.read_text(workspace.root / rel, "yaml")
        except saferead.Refused as refused:
            writer.result.notices.append(
                _("skipped the source page of {file}: {reason}").format(file=rel, reason=refused.message)
            )
            continue
        page = "kallor/" + rel.removeprefix("curriculum/local/").removesuffix(".yaml") + ".html"
        writer.text(page, source_page(content, rel, text, depth=page.count("/")))
        links[rel] = href(page)
    return links


def _folders(packs: Path, out: Path) -> tuple[Path, Path]:
    """The packs folder and the site folder, resolved; the site may not be inside the packs.

    Raises:
        UsageError: ``packs`` is not a folder, or ``out`` is inside it.
    """
    packs, out = packs.resolve(), out.resolve()
    require_built(packs, "--packs")
    if out == packs or packs in out.parents:
        raise UsageError(
            _("--out {folder} is inside the packs folder {packs}; choose a folder beside it").format(
                folder=out, packs=packs
            )
        )
    return packs, out


def _make_pdfs(packs: Path, status: dict[str, str], soffice: Path, jobs: int | None) -> str | None:
    """PDFs of the built decks for their thumbnails; what could not be made, in Swedish, or None."""
    decks = {
        rel: digest
        for rel, state in status.items()
        if rel.endswith(".pptx") and state != "missing"
        if (digest := saferead.sha256_or_none(packs / rel, "office")) is not None
    }
    made = make_pdfs(packs, decks, soffice=soffice, jobs=jobs)
    if made.failed:
        return "Några miniatyrbilder kunde inte göras: " + "; ".join(f"{rel}: {why}" for rel, why in made.failed)
    return None


def _built(packs: Path, status: dict[str, str]) -> set[str]:
    """The pack files that are built, and the PDFs built beside them."""
    built = {rel for rel in status if status[rel] != "missing"}
    built |= {pdf_path(rel) for rel in built if (packs / pdf_path(rel)).is_file()}
    return built


def _remove_unmade(out: Path, state: dict[str, Any], made: set[str], result: SiteResult) -> None:
    """Remove what an earlier run made and this one neither made nor kept."""
    # Only what this tool made, inside the site folder: the record may have been edited.
    for rel in sorted(set(inside_only(state.get("files", []), out, SITE_STATE, result.notices)) - made):
        try:
            (out / rel).unlink(missing_ok=True)
        except OSError as error:
            result.notices.append(
                _("could not remove {file}, which the site no longer has: {reason}").format(
                    file=rel, reason=error.strerror or error
                )
            )
            continue
        result.removed.append(rel)


def _news(root: Path, since: str) -> tuple[str, ...]:
    """What changed in the course since the version ``since``, in short lines.

    Raises:
        UsageError: ``since`` names no version, or that version's course does not load.
    """
    from vastbus_cli.changes import news

    with course_version(since, root) as before, course_version(".", root) as now:
        problems = version_problems(before)
        if problems:
            raise UsageError(
                _("--since {since}: its course does not load ({file}: {message})").format(
                    since=since, file=problems[0].file, message=problems[0].message
                )
            )
        return tuple(news(course_changes(before, now)))


def _trained_line(report: Report, page: PackPage) -> str:
    """When this group was last trained, from the training records; nothing when none are kept."""
    last = report.trained.get((page.district, page.audience))
    if last is None:
        return "Ingen utbildning är registrerad för den här gruppen ännu." if report.has_records else ""
    older = "" if last.edition == report.edition else " (en äldre utgåva)"
    return (
        f"Senast utbildade {last.date.isoformat()} med material på {last.edition}{older}; "
        f"{last.participants} deltagare vid {last.sessions} tillfälle{'n' if last.sessions != 1 else ''}."
    )


def _thumbnail_tools() -> tuple[Path | None, str]:
    """LibreOffice for the PDF and pdftoppm for the pictures; without either, why there are no thumbnails."""
    try:
        soffice = find_soffice()
    except NoLibreOffice:
        return None, "Miniatyrbilder är inte byggda: LibreOffice behövs (och pdftoppm från Poppler)."
    if shutil.which("pdftoppm") is None:
        return None, "Miniatyrbilder är inte byggda: pdftoppm (Poppler) behövs."
    return soffice, ""


def _thumbnails(writer: _Writer, page: PackPage, packs: Path, state: dict[str, Any]) -> list[tuple[str, str]] | None:
    """PNG pictures of the deck's slides (made again only when its PDF changed), with alt text."""
    deck = f"{page.folder}/{PARTS['slides'].file}"
    pdf = packs / pdf_path(deck)
    if not pdf.is_file():
        return None
    known: dict[str, list[str]] = state["thumbnails"]
    digest = saferead.sha256_or_none(pdf, "office")
    if digest is None:
        return None
    folder = f"{page.folder}/bilder"
    titles = _slide_titles(packs / deck)
    names = [f"{folder}/bild-{number:02d}.png" for number in range(1, len(titles) + 1)]
    if known.get(deck) != [digest, *names] or not all((writer.out / name).is_file() for name in names):
        with tempfile.TemporaryDirectory(prefix="vastbus-bilder-") as scratch:
            done = subprocess.run(
                ["pdftoppm", "-png", "-scale-to-x", str(THUMB_WIDTH), "-scale-to-y", "-1", str(pdf), f"{scratch}/bild"],
                capture_output=True,
                timeout=300,
                check=False,
            )
            made = sorted(Path(scratch).glob("bild-*.png"))
            if done.returncode != 0 or len(made) != len(names):
                return None
            for name, picture in zip(names, made, strict=True):
                writer.bytes(name, picture.read_bytes())
        known[deck] = [digest, *names]
    else:
        writer.made.update(names)
        writer.result.unchanged.extend(names)
    return _pictures(page, names, titles)


def _earlier_thumbnails(
    out: Path, page: PackPage, packs: Path, records: dict[str, list[str]], pdfs: dict[str, dict[str, Any]]
) -> tuple[list[str], list[tuple[str, str]] | None]:
    """The thumbnails an earlier run made of this page's deck that are still there, and those to show.

    They are shown (else None) while they still picture the deck as built: while the PDF they
    were made from is the one beside the deck (its sha256 is in their record) and that PDF was
    made from the deck's current bytes.
    """
    deck = f"{page.folder}/{PARTS['slides'].file}"
    record = records.get(deck)
    if not record:
        return [], None
    digest, *names = record
    # Only names of this page's pictures: the record may have been edited.
    if names != [f"{page.folder}/bilder/bild-{number:02d}.png" for number in range(1, len(names) + 1)]:
        return [], None
    there = [name for name in names if (out / name).is_file()]
    if not there:
        return [], None
    pdf = pdf_path(deck)
    current = (
        len(there) == len(names)
        and saferead.sha256_or_none(packs / pdf, "office") == digest
        and pdfs.get(pdf, {}).get("from") == saferead.sha256_or_none(packs / deck, "office")
    )
    titles = _slide_titles(packs / deck) if current else []
    if len(titles) != len(names):
        return there, None
    return there, _pictures(page, names, titles)


def _pictures(page: PackPage, names: list[str], titles: list[str]) -> list[tuple[str, str]]:
    """The thumbnails as the page links them (beside it, in <audience>/bilder/), with alt text."""
    prefix = f"{page.audience}/bilder"
    return [
        (f"{prefix}/{name.rsplit('/', 1)[-1]}", f"Bild {number}: {title}")
        for number, (name, title) in enumerate(zip(names, titles, strict=True), start=1)
    ]


def _slide_titles(deck: Path) -> list[str]:
    """The first line of each slide's text, for the thumbnails' alt text."""
    try:
        with saferead.open_regular(deck, "office") as stream, zipfile.ZipFile(stream) as archive:
            pieces = document_text(Parts(archive), "pptx")
            count = sum(
                1 for name in archive.namelist() if name.startswith("ppt/slides/slide") and name.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile, UnreadableDocument, saferead.Refused):
        return []
    first = {
        p.location: p.text.strip().splitlines()[0] for p in pieces if p.location.startswith("slide ") and p.text.strip()
    }
    return [first.get(f"slide {number}", "bild utan text") for number in range(1, count + 1)]


def _read_state(out: Path, notices: list[str]) -> dict[str, Any]:
    """The site record, validated; an unusable one is none (nothing is removed, everything is written)."""
    state = read_state(out / SITE_STATE, SiteState, notices)
    if state is None:
        return {}
    return {"files": list(state.files), "thumbnails": {deck: list(names) for deck, names in state.thumbnails.items()}}


def _write_state(out: Path, files: set[str], thumbnails: object) -> None:
    document = {"files": sorted(files), "thumbnails": thumbnails}
    atomic_write_text(out / SITE_STATE, json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
