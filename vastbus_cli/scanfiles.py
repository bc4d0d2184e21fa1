"""Which files a scan reads and the names it lists them under.

Folders are walked without following links to folders (a link loop cannot make the walk
endless), and every name is shown as valid UTF-8 (:func:`display_name`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from vastbus_cli.safetext import printable

SUFFIXES = {".pptx": "pptx", ".docx": "docx"}


def office_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .pptx and .docx under the given files and folders, sorted, without following links to folders.

    A folder named on the command line is walked even when it is a link; inside it, links to
    folders are not followed, so a link loop cannot make the walk endless.
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(top: Path) -> Iterator[Path]:
    """Depth first, sorted, as ``os.walk`` would, but with a stack: os.walk recurses and fails on deep trees."""
    stack = [top]
    seen: set[tuple[int, int]] = set()
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue  # gone or not readable: os.walk skipped these too
        # A bind mount can bring a folder back inside itself; links are not followed anyway.
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        files, folders = [], []
        for entry in entries:
            if _is_real_folder(entry):
                if not entry.name.startswith("."):
                    folders.append(entry.name)
            elif not _is_link_to_folder(entry):
                name = entry.name
                if Path(name).suffix.lower() in SUFFIXES and not name.startswith("~$"):
                    files.append(name)
        yield from (folder / name for name in sorted(files))
        stack.extend(folder / name for name in sorted(folders, reverse=True))


def _is_real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_link_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def display_name(path: Path, base: Path | None) -> str:
    """The name a file is listed under: relative to ``base`` where it lies inside, always valid UTF-8.

    The folders are resolved but not the name itself, so a link is listed under its own
    name, and a link loop or a broken link cannot stop the listing.
    """
    shown = path
    if base is not None:
        with contextlib.suppress(ValueError):
            shown = _absolute(path).relative_to(_absolute(base))
    return printable(shown.as_posix())


def _absolute(path: Path) -> Path:
    absolute = path.absolute()
    try:
        return absolute.parent.resolve() / absolute.name
    except (OSError, RuntimeError):  # a loop among the folders: keep the path as given
        return absolute
