"""PDF copies of built packs, converted by LibreOffice (``soffice``).

The Office files are the packs; a PDF is made from one of them and is current while it
was made from exactly those bytes. Conversion runs one LibreOffice per worker, each with
a private profile (two instances sharing a profile block each other), over a batch of
files, with a time limit. A deck's PDF must have one page per slide, or it is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vastbus_cli import saferead
from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.fsio import atomic_write_bytes, atomic_write_text
from vastbus_cli.i18n import _, ngettext
from vastbus_cli.statefiles import PdfEntry, PdfState, is_inside, read_state
from vastbus_cli.workers import worker_count

#: Which PDF made from which Office file, by that file's sha256; beside the manifest, not in it,
#: because LibreOffice writes the conversion time into every PDF: PDFs are not reproducible.
PDF_STATE = ".vastbus-pdf-state.json"
#: Where LibreOffice is installed when it is not on the PATH.
_KNOWN_PLACES = (
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
    Path("C:/Program Files/LibreOffice/program/soffice.exe"),
    Path("C:/Program Files (x86)/LibreOffice/program/soffice.exe"),
)
#: Starting LibreOffice with a new profile takes a while; each file then takes a few seconds.
_START_SECONDS = 120
_SECONDS_PER_FILE = 60
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_SLIDE_PART = re.compile(r"ppt/slides/slide\d+\.xml")


class NoLibreOffice(UsageError):
    """``--pdf`` was asked for on a machine without LibreOffice."""

    def __init__(self) -> None:
        """Say how to install it, on each system the districts use."""
        super().__init__(
            _(
                "--pdf needs LibreOffice, which was not found (no 'soffice' on the PATH); install it "
                "(Debian/Ubuntu: sudo apt-get install libreoffice-impress libreoffice-writer; macOS: brew install "
                "--cask libreoffice; Windows: https://www.libreoffice.org/download/) or set VASTBUS_SOFFICE to its "
                "soffice program, then build again"
            )
        )


def find_soffice() -> Path:
    """The LibreOffice program: ``$VASTBUS_SOFFICE``, ``soffice`` or ``libreoffice`` on the PATH, or a usual place.

    Raises:
        NoLibreOffice: none is installed.
    """
    named = os.environ.get("VASTBUS_SOFFICE")
    if named:
        if Path(named).is_file():
            return Path(named)
        raise UsageError(
            _("VASTBUS_SOFFICE is {named}, which is not a file; point it at LibreOffice's soffice").format(named=named)
        )
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in _KNOWN_PLACES:
        if place.is_file():
            return place
    raise NoLibreOffice()


def pdf_path(rel: str) -> str:
    """``central/bvc/slides.pptx`` → ``central/bvc/slides.pdf``."""
    return rel.rsplit(".", 1)[0] + ".pdf"


@dataclass
class PdfResult:
    """What a PDF run wrote, left alone, and could not make (with the reason)."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def read_pdf_state(out: Path) -> dict[str, dict[str, Any]]:
    """The PDFs a build made, by path; an unreadable record is treated as none (the PDFs are made again)."""
    state = read_state(out / PDF_STATE, PdfState, [])
    if state is None:
        return {}
    usable = {}
    for rel, entry in state.root.items():
        with contextlib.suppress(ValidationError):
            PdfEntry.model_validate(entry)
            if is_inside(rel, out):
                usable[rel] = entry
    return usable


def _write_pdf_state(out: Path, state: dict[str, dict[str, Any]]) -> None:
    atomic_write_text(out / PDF_STATE, json.dumps(state, sort_keys=True, indent=1) + "\n")


def _is_current(out: Path, rel: str, source_sha256: str, state: dict[str, dict[str, Any]]) -> bool:
    entry = state.get(pdf_path(rel))
    if entry is None or entry.get("from") != source_sha256:
        return False
    try:
        stat = (out / pdf_path(rel)).stat()
    except OSError:
        return False
    if [stat.st_size, stat.st_mtime_ns] == entry.get("stat"):
        return True
    return saferead.sha256_or_none(out / pdf_path(rel), "office") == entry.get("sha256")


def drop_outdated_pdfs(out: Path, built: dict[str, str]) -> list[str]:
    """Remove the PDFs this tool made from an earlier version of a file that is now built anew.

    An outdated PDF beside a new deck would be presented as if current. Only PDFs recorded
    as made here are removed; ``built`` maps each Office file just written to its sha256.
    """
    state = read_pdf_state(out)
    removed = []
    for rel, sha in built.items():
        entry = state.get(pdf_path(rel))
        if entry is not None and entry.get("from") != sha:
            with contextlib.suppress(FileNotFoundError):
                (out / pdf_path(rel)).unlink()
            del state[pdf_path(rel)]
            removed.append(pdf_path(rel))
    if removed:
        _write_pdf_state(out, state)
    return sorted(removed)


def make_pdfs(
    out: Path,
    files: dict[str, str],
    *,
    soffice: Path,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    time_limit: float | None = None,
) -> PdfResult:
    """Convert each built Office file (``rel`` → its sha256) whose PDF is missing or outdated.

    ``time_limit`` is the seconds one LibreOffice may take for its batch (default: two minutes
    to start and one per file); a conversion over it is stopped and its files reported as failed.

    Raises:
        InputOutputError: the output folder cannot be written.
    """
    out = out.resolve()
    state = read_pdf_state(out)
    result = PdfResult()
    todo = []
    for rel in sorted(files):
        if not force and _is_current(out, rel, files[rel], state):
            result.skipped.append(pdf_path(rel))
        else:
            todo.append(rel)
    if not todo:
        return result
    workers = worker_count(jobs, len(todo))
    batches = [todo[number::workers] for number in range(workers)]
    lock = threading.Lock()
    done = 0

    def converted(rel: str, outcome: bytes | str) -> None:
        nonlocal done
        with lock:
            if isinstance(outcome, str):
                result.failed.append((rel, outcome))
            else:
                atomic_write_bytes(out / pdf_path(rel), outcome)
                stat = (out / pdf_path(rel)).stat()
                state[pdf_path(rel)] = {
                    "from": files[rel],
                    "sha256": hashlib.sha256(outcome).hexdigest(),
                    "stat": [stat.st_size, stat.st_mtime_ns],
                }
                result.written.append(pdf_path(rel))
            done += 1
            if progress:
                progress(done, len(todo))

    try:
        scratch = Path(tempfile.mkdtemp(prefix=".vastbus-pdf-work-", dir=out))
    except OSError as error:
        raise InputOutputError(
            _("cannot write in {folder}: {reason}").format(folder=out, reason=error.strerror or error)
        ) from None
    try:
        running = _Running()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(
                    _convert_batch, soffice, out, batch, scratch / f"worker{number}", converted, time_limit, running
                )
                for number, batch in enumerate(batches)
            ]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                # Ctrl-C reaches only this process: LibreOffice runs in a session of its own.
                running.stop_all()
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        # Whatever was converted before an interruption is kept and recorded.
        _write_pdf_state(out, {rel: entry for rel, entry in state.items() if (out / rel).is_file()})
    result.written.sort()
    result.failed.sort()
    return result


def _convert_batch(
    soffice: Path,
    out: Path,
    batch: list[str],
    scratch: Path,
    converted: Callable[[str, bytes | str], None],
    time_limit: float | None,
    running: _Running,
) -> None:
    """One LibreOffice, with its own profile, converts the batch; each file's outcome goes to ``converted``."""
    inputs, outputs, profile = scratch / "in", scratch / "out", scratch / "profile"
    inputs.mkdir(parents=True)
    # Every deck is called slides.pptx: give each a unique name in the batch, or their PDFs overwrite each other.
    names = {}
    for number, rel in enumerate(batch):
        name = f"{number:04d}-{Path(rel).name}"
        _link_or_copy(out / rel, inputs / name)
        names[rel] = name
    command = [
        str(soffice),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outputs),
        *(str(inputs / names[rel]) for rel in batch),
    ]
    failure = running.run(command, time_limit or _START_SECONDS + _SECONDS_PER_FILE * len(batch))
    for rel in batch:
        made = outputs / (Path(names[rel]).stem + ".pdf")
        if not made.is_file():
            converted(rel, failure or "LibreOffice wrote no PDF for it")
            continue
        data = made.read_bytes()
        converted(rel, _verified(out / rel, data))


def _link_or_copy(source: Path, link: Path) -> None:
    try:
        link.symlink_to(source)
    except OSError:  # no symbolic links (Windows without the privilege)
        shutil.copyfile(source, link)


class _Running:
    """The LibreOffice processes of one run, so that an interruption stops them all at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[bytes]] = set()
        self._stopped = False

    def run(self, command: list[str], limit: float) -> str | None:
        """Run LibreOffice; the reason it failed, or None. A run over the time limit is stopped, children too."""
        with self._lock:
            if self._stopped:
                return _("the build was interrupted")
            try:
                process = subprocess.Popen(
                    command,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            except OSError as error:
                return _("LibreOffice could not be started: {reason}").format(reason=error.strerror or error)
            self._processes.add(process)
        try:
            _output, errors = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(process)
            return _("LibreOffice did not finish within {seconds} s and was stopped").format(seconds=f"{limit:.0f}")
        finally:
            with self._lock:
                self._processes.discard(process)
        if process.returncode != 0:
            last = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [
                _("exit code {code}").format(code=process.returncode)
            ]
            return _("LibreOffice failed: {reason}").format(reason=last[0])
        return None

    def stop_all(self) -> None:
        with self._lock:
            self._stopped = True
            for process in self._processes:
                _stop(process, wait=False)


def _stop(process: subprocess.Popen[bytes], *, wait: bool = True) -> None:
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    if wait:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


def _verified(source: Path, data: bytes) -> bytes | str:
    """The PDF, or why it is not kept: not a PDF, or a deck whose page count is not its slide count."""
    if not data.startswith(b"%PDF"):
        return _("LibreOffice wrote something that is not a PDF")
    pages = page_count(data)
    if source.suffix == ".pptx":
        try:
            slides = slide_count(source)
        except (saferead.Refused, OSError, zipfile.BadZipFile) as error:
            return _("its deck cannot be read to count the slides ({error})").format(error=error)
        if pages != slides:
            return ngettext(
                "the PDF has {pages} page for {slides} slides", "the PDF has {pages} pages for {slides} slides", pages
            ).format(pages=pages, slides=slides)
    elif pages < 1:
        return _("the PDF has no pages")
    return data


def slide_count(deck: Path) -> int:
    """How many slides a deck has."""
    with saferead.open_regular(deck, "office") as stream, zipfile.ZipFile(stream) as archive:
        return sum(1 for name in archive.namelist() if _SLIDE_PART.fullmatch(name))


def page_count(pdf: bytes) -> int:
    """How many pages a PDF written by LibreOffice has (its page objects are not compressed)."""
    return len(_PAGE.findall(pdf))
