"""Atomic writes (a temporary file beside the target, then one rename), a folder lock, and file hashes."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vastbus_cli.errors import InputOutputError


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
        raise InputOutputError(f"cannot write {path}: {error.strerror or error}") from None
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
        raise InputOutputError(f"cannot write {path}: {error.strerror or error}") from None
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
        raise InputOutputError(f"cannot lock {folder}: {error.strerror or error}") from None
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
