"""Reading files safely: regular files only, never blocking, never more than a limit per kind.

Every reader of workspace and output-folder files goes through here: YAML, pictures,
templates, the word list, manifests and state files, session records and scanned Office
files. A named pipe would block an ``open`` until someone writes to it and a device can be
endless, so a file is ``stat``-ed first, opened with ``O_NONBLOCK`` (a pipe swapped in after
the ``stat`` cannot block) and checked again with ``fstat`` on the open descriptor; then at
most its kind's limit is read, even if the file grows meanwhile. Hashes are streamed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

from vastbus_cli.filerules import FILE_MISSING, FILE_NOT_REGULAR, FILE_TOO_LARGE, FILE_UNREADABLE
from vastbus_cli.i18n import N_, _
from vastbus_cli.rules import Rule

#: What a file is read as; each kind has its size limit in :data:`LIMITS`.
Kind = Literal["yaml", "office", "template", "picture", "state", "word-list", "dictionary", "cache", "schema"]

#: The largest file read of each kind, in bytes. A larger one is refused before it is read.
LIMITS: dict[Kind, int] = {
    "yaml": 2_000_000,  # one curriculum or guideline file; the largest shipped is ~60 KB
    "office": 200_000_000,  # a .pptx or .docx to scan or to hash (built decks are a few MB)
    "template": 100_000_000,  # templates/*.pptx, *.docx
    "picture": 50_000_000,  # a picture on a slide
    "state": 50_000_000,  # manifest.json and the build, PDF and site state files
    "word-list": 5_000_000,  # curriculum/ordlista.txt
    "dictionary": 100_000_000,  # the hunspell .aff and .dic files
    "cache": 50_000_000,  # the spelling answers kept between runs
    "schema": 5_000_000,  # curriculum/schemas/*.json (each ~20 KB)
}
#: What each kind is called in a message.
_NAMES: dict[Kind, str] = {
    "yaml": N_("a YAML file"),
    "office": N_("an Office file"),
    "template": N_("a template"),
    "picture": N_("a picture"),
    "state": N_("a manifest or state file"),
    "word-list": N_("the word list"),
    "dictionary": N_("a dictionary file"),
    "cache": N_("a cache file"),
    "schema": N_("a schema file"),
}
CHUNK_BYTES = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_KINDS = {
    stat.S_IFIFO: N_("a named pipe (FIFO)"),
    stat.S_IFSOCK: N_("a socket"),
    stat.S_IFCHR: N_("a character device"),
    stat.S_IFBLK: N_("a block device"),
    stat.S_IFDIR: N_("a folder"),
    stat.S_IFLNK: N_("a link"),
}

Problem = Literal["missing", "not-regular", "too-large", "unreadable", "damaged"]
#: The finding rule each problem is reported under where a file's problems are findings.
RULES: dict[Problem, Rule] = {
    "missing": FILE_MISSING,
    "not-regular": FILE_NOT_REGULAR,
    "too-large": FILE_TOO_LARGE,
    "unreadable": FILE_UNREADABLE,
    "damaged": FILE_UNREADABLE,
}


class Refused(Exception):
    """A file was not read: it is missing, not a regular file, too large, unreadable or damaged.

    ``problem`` says which; the message says why in words, without the file's name.
    """

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem: Problem = problem
        self.message = message

    @property
    def rule(self) -> Rule:
        """The finding rule for this problem (``file/not-regular``, ``file/too-large``, …)."""
        return RULES[self.problem]


def _stat_refusal(path: Path, error: OSError) -> Refused:
    """Why ``stat`` or ``open`` failed, naming link trouble as such."""
    if error.errno == errno.ELOOP:
        return Refused("unreadable", _("a symbolic link loop (the link leads back to itself)"))
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if path.is_symlink():
            try:
                return Refused(
                    "unreadable", _("a broken symbolic link (to {target})").format(target=path.readlink().as_posix())
                )
            except OSError:
                return Refused("unreadable", _("a broken symbolic link"))
        return Refused("missing", _("it does not exist"))
    return Refused("unreadable", _("cannot be read ({reason})").format(reason=error.strerror or error))


def _refuse(info: os.stat_result, kind: Kind) -> None:
    if not stat.S_ISREG(info.st_mode):
        what = _KINDS.get(stat.S_IFMT(info.st_mode), N_("a special file"))
        raise Refused("not-regular", _("not a regular file: {what}").format(what=_(what)))
    if info.st_size > LIMITS[kind]:
        raise _too_large(info.st_size, kind)


def _too_large(size: int | None, kind: Kind) -> Refused:
    limit = _("the limit of {n} bytes for {kind}").format(n=LIMITS[kind], kind=_(_NAMES[kind]))
    if size is None:
        return Refused("too-large", _("the file grew over {limit} while it was read").format(limit=limit))
    return Refused("too-large", _("the file is {size} bytes, over {limit}").format(size=size, limit=limit))


def check_regular(path: Path, kind: Kind) -> os.stat_result:
    """The file's ``stat``, once it is known to be a regular file within its kind's limit.

    Raises:
        Refused: missing, a broken link or a link loop, not a regular file, or too large.
    """
    try:
        info = path.stat()
    except OSError as error:
        raise _stat_refusal(path, error) from None
    _refuse(info, kind)
    return info


def open_regular(path: Path, kind: Kind) -> BinaryIO:
    """Open a regular file for reading; refuse anything else without blocking on it.

    Raises:
        Refused: missing, a broken link or a link loop, not a regular file, too large, or unreadable.
    """
    check_regular(path, kind)
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as error:
        raise _stat_refusal(path, error) from None
    try:
        _refuse(os.fstat(descriptor), kind)  # swapped for a pipe or device after the stat
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _bounded_chunks(stream: BinaryIO, kind: Kind) -> Iterator[bytes]:
    left = LIMITS[kind]
    while True:
        try:
            chunk = stream.read(min(CHUNK_BYTES, left + 1))
        except OSError as error:
            raise Refused("unreadable", _("cannot be read ({reason})").format(reason=error.strerror or error)) from None
        if not chunk:
            return
        left -= len(chunk)
        if left < 0:
            raise _too_large(None, kind)
        yield chunk


def read_bytes(path: Path, kind: Kind) -> bytes:
    """A regular file's bytes, never more than its kind's limit.

    Raises:
        Refused: see :func:`open_regular`; also a file that grew over the limit while read.
    """
    with open_regular(path, kind) as stream:
        return b"".join(_bounded_chunks(stream, kind))


def read_text(path: Path, kind: Kind) -> str:
    """A regular file's text, as UTF-8.

    Raises:
        Refused: see :func:`read_bytes`; ``damaged`` when the bytes are not UTF-8.
    """
    try:
        return read_bytes(path, kind).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("damaged", _("it is not valid UTF-8 text")) from None


def read_json(path: Path, kind: Kind = "state") -> Any:
    """A JSON file's data.

    Raises:
        Refused: see :func:`read_text`; ``damaged`` when it is not JSON or is nested too deeply.
    """
    text = read_text(path, kind)
    try:
        return json.loads(text)
    except RecursionError:
        raise Refused("damaged", _("its JSON is nested too deeply")) from None
    except ValueError as error:
        raise Refused("damaged", _("it is not valid JSON ({error})").format(error=error)) from None


def sha256(path: Path, kind: Kind) -> str:
    """The SHA-256 of a regular file, streamed: the file is never held whole.

    Raises:
        Refused: see :func:`read_bytes`.
    """
    digest = hashlib.sha256()
    with open_regular(path, kind) as stream:
        for chunk in _bounded_chunks(stream, kind):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_or_none(path: Path, kind: Kind) -> str | None:
    """:func:`sha256`, or None for a file that cannot be read safely."""
    try:
        return sha256(path, kind)
    except Refused:
        return None
