"""Atomic writes (a temporary file beside the target, then one rename), a folder lock, and file hashes."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.i18n import _


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so readers see either the old file or the new one, whole.

    A new file gets the mode the umask allows, as any program's new file does; a file
    that is replaced keeps its mode and, where the user may set it, its owner and group
    (``mkstemp`` alone would make every file private to its writer).

    ``durable`` flushes the file to disk before the rename, so a power cut cannot leave it
    empty. Output that is made again from its inputs may skip it (``durable=False``): a file
    a power cut damaged no longer matches the size and hash the build recorded, so the next
    build writes it again.

    Raises:
        InputOutputError: the folder cannot be created or written.
    """
    move_into_place(write_beside(path, data, durable=durable), path)


def write_beside(path: Path, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, for :func:`move_into_place`.

    The file already has the mode (and owner) ``path`` would get; see :func:`atomic_write_bytes`.

    Raises:
        InputOutputError: the folder cannot be created or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise InputOutputError(
            _("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    with _removed_on_failure(Path(temporary), path), os.fdopen(handle, "wb") as stream:
        _take_mode(stream.fileno(), path)
        stream.write(data)
        if durable:
            stream.flush()
            os.fsync(stream.fileno())
    return Path(temporary)


def move_into_place(temporary: Path, path: Path) -> None:
    """Rename a file :func:`write_beside` wrote over ``path``; on failure it is removed.

    Raises:
        InputOutputError: the rename failed (the old file, if any, is left as it was).
    """
    with _removed_on_failure(temporary, path):
        replace(temporary, path)


@contextlib.contextmanager
def _removed_on_failure(temporary: Path, path: Path) -> Iterator[None]:
    """Remove ``temporary`` if the block fails; an OS error becomes one line naming ``path``."""
    try:
        yield
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise InputOutputError(
            _("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _take_mode(handle: int, path: Path) -> None:
    """Give the temporary file the mode (and owner) the file it replaces has, or the umask's."""
    if os.name != "posix":  # Windows has no mode bits to lose
        return
    try:
        existing = path.stat()
    except OSError:
        existing = None
    if existing is None or not stat.S_ISREG(existing.st_mode):  # a new file, or one replacing a link to a device
        os.fchmod(handle, 0o666 & ~current_umask())
        return
    os.fchmod(handle, stat.S_IMODE(existing.st_mode))
    with contextlib.suppress(OSError):  # only root (or the owner, for the group) may
        os.fchown(handle, existing.st_uid, existing.st_gid)


def current_umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` (a seam tests use to inject a failure)."""
    source.replace(target)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_output(path: Path, data: str | bytes) -> None:
    r"""Write an output file the user named (``-o``, ``--html``), never replacing what the name points at.

    - A regular file, or a name nothing has yet: written atomically (:func:`atomic_write_bytes`).
    - A symbolic link: followed; its target is written atomically beside the target, so the
      link stays a link.
    - A FIFO, a character device (``/dev/null``) or a socket: written to as a stream (opened for
      writing only: no rename, no truncation), so the node stays in place.
    - ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``: written to that open descriptor, as if it
      were standard output (a file the shell opened for appending is appended to).

    Text is written as UTF-8; a character UTF-8 cannot hold (a lone surrogate) is written as a
    ``\udcff`` escape rather than failing. A reader that closes a pipe or FIFO early raises
    ``BrokenPipeError``, which the command line ends quietly, as for standard output.

    Raises:
        UsageError: ``path`` is a folder (or a link to one), or not a kind of file one can write.
        InputOutputError: the file cannot be written.
    """
    raw = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
    descriptor = _open_descriptor(path)
    try:
        if descriptor is not None:
            _write_all(descriptor, raw)
            return
        try:
            info = path.stat()
        except FileNotFoundError:  # a new file, or a link to a name nothing has yet
            info = None
        if info is None or stat.S_ISREG(info.st_mode):
            atomic_write_bytes(path.resolve() if path.is_symlink() else path, raw)
        elif stat.S_ISDIR(info.st_mode):
            raise UsageError(_("{file} is a folder; name a file to write the output to").format(file=path))
        elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
            stream = os.open(path, flags)
            try:
                _write_all(stream, raw)
            finally:
                os.close(stream)
        else:
            raise UsageError(
                _("{file} is not a regular file, a FIFO or a device; name a file to write the output to").format(
                    file=path
                )
            )
    except BrokenPipeError:
        raise
    except OSError as error:  # a link loop, a folder one may not enter, a full disk
        raise InputOutputError(
            _("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
        ) from None


def _open_descriptor(path: Path) -> int | None:
    """The descriptor ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` or ``/proc/self/fd/N`` names, else None."""
    name = str(path)
    named = {"/dev/stdout": 1, "/dev/stderr": 2}
    if name in named:
        return named[name]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            return int(name[len(prefix) :])
    return None


def _write_all(descriptor: int, data: bytes) -> None:
    """Write every byte to an open descriptor (a pipe may take only part of a large write)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


@contextlib.contextmanager
def folder_lock(folder: Path, name: str = ".vastbus.lock") -> Iterator[None]:
    """Hold an exclusive lock on ``folder/name`` while the block runs (other processes wait).

    Used where two commands may update one file in the same folder at once, such as two
    builds into one ``--out`` merging the manifest. The lock file itself stays; it is empty.

    Raises:
        InputOutputError: the lock file cannot be created.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / name, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise InputOutputError(
            _("cannot lock {folder}: {reason}").format(folder=folder, reason=error.strerror or error)
        ) from None
    try:
        _lock(handle)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _lock(handle: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(handle, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(handle, fcntl.LOCK_EX)
