"""Stopping a build cleanly: SIGTERM is handled as Ctrl-C is, and what a killed build left is removed.

SIGTERM (``kill``, a CI runner cancelling a job, systemd stopping a service) used to end the
build at once: its workers went on rendering with no one to move their files into place, and
the files they had left beside their targets (``.slides.pptx.XXXX.tmp``) stayed for good.
Now, while a build runs, SIGTERM stops it as Ctrl-C does: workers ignore both signals (so one
sent to the whole process group does not cut a file in half), the parent starts no more packs,
waits for the running ones, moves into place and records what passed the check, removes what
was left beside its target, and exits with 143 (128 + SIGTERM; Ctrl-C exits with 130). A
second SIGTERM while it stops is ignored; SIGKILL ends it at once.

A build that was killed anyway (SIGKILL, a power cut) may leave such files; the next build
into the same folder removes them (:func:`output_in_use`), unless another build is using it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import ClassVar, ParamSpec, TypeVar

from vastbus_cli.i18n import _

#: Exit code of a build stopped by SIGTERM.
TERMINATED_EXIT = 128 + signal.SIGTERM

P = ParamSpec("P")
R = TypeVar("R")


class Terminated(SystemExit):
    """SIGTERM during a build, raised after the build has stopped cleanly; exits with 143."""

    def __init__(self) -> None:
        """Exit with :data:`TERMINATED_EXIT`."""
        super().__init__(TERMINATED_EXIT)


class _Deferred:
    """Stop signals that arrived inside :func:`uninterrupted` blocks, to act on when the outermost ends."""

    depth: ClassVar[int] = 0
    pending: ClassVar[list[Callable[[], object]]] = []


def _deferrable(handler: Callable[[int, FrameType | None], object]) -> Callable[[int, FrameType | None], None]:
    def run(signum: int, frame: FrameType | None) -> None:
        if _Deferred.depth:
            _Deferred.pending.append(lambda: handler(signum, frame))
            return
        handler(signum, frame)

    return run


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """A stop signal (SIGTERM, Ctrl-C) arriving in the block takes effect when the block ends.

    For steps that must happen together, such as moving a file into place and listing it for
    the manifest: stopped between the two, the file would be on disk but not listed.
    """
    _Deferred.depth += 1
    try:
        yield
    finally:
        _Deferred.depth -= 1
        if not _Deferred.depth and _Deferred.pending:
            first = _Deferred.pending[0]
            _Deferred.pending.clear()
            first()  # raises, as the handler would have


def stops_on_sigterm(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with SIGTERM raising :class:`Terminated` in it (see the module's docstring).

    Only where SIGTERM still has its default action and only in the main thread: a program that
    handles SIGTERM itself keeps its own handler. The Ctrl-C handler in place (Python's, or the
    command line's) is kept, but waits for the end of an :func:`uninterrupted` block too.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if threading.current_thread() is not threading.main_thread():
            return function(*args, **kwargs)
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return function(*args, **kwargs)
        owner = os.getpid()
        received = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal received
            if os.getpid() != owner or received:
                return  # a worker forked before it set its own handlers; or a second SIGTERM
            received = True
            raise Terminated

        interrupt = signal.getsignal(signal.SIGINT)
        signal.signal(signal.SIGTERM, _deferrable(stop))
        if callable(interrupt):
            signal.signal(signal.SIGINT, _deferrable(interrupt))
        try:
            return function(*args, **kwargs)
        except Terminated:
            sys.stderr.write(_("terminated; files already written are whole and listed in the manifest") + "\n")
            raise
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if callable(interrupt):
                signal.signal(signal.SIGINT, interrupt)
            _Deferred.pending.clear()

    return wrapper


def ignore_stop_signals() -> None:
    """In a worker: leave Ctrl-C and SIGTERM to the parent, which lets running packs finish."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _temporaries(names: Iterable[str]) -> re.Pattern[str]:
    """The names :func:`fsio.write_beside` gives a file beside one of ``names``."""
    return re.compile(r"\.(?:" + "|".join(re.escape(name) for name in names) + r")\.[A-Za-z0-9_]+\.tmp")


@contextlib.contextmanager
def output_in_use(out: Path, names: Iterable[str]) -> Iterator[list[Path]]:
    """Mark ``out`` as used by this build while the block runs; first remove what killed builds left there.

    What is removed: regular files in ``out`` and the two folder levels below it (districts,
    audiences) named as :func:`fsio.write_beside` names a file beside one of ``names``, such as
    ``.slides.pptx.k3v9x_q1.tmp``; nothing else. A build holds a shared lock on the folder
    while it runs, and files are removed only when no other build holds one (so the files a
    running build has staged are never taken). The block gets the paths removed. Without
    ``fcntl`` (Windows), or when ``out`` cannot be opened, nothing is removed.

    A missing ``out`` is made for the lock and removed again afterwards if it is still empty.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield []
        return
    made = [folder for folder in (out, *out.parents) if not folder.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # the build reports what is wrong with the folder when it writes there
        _remove_empty(made)
        yield []
        return
    try:
        removed: list[Path] = []
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # another build is running: what it left beside its targets is not stale
        else:
            removed = _remove_stale(out, _temporaries(names))
        fcntl.flock(handle, fcntl.LOCK_SH)  # before anything is staged, so no other build takes it
        yield removed
    finally:
        os.close(handle)
        _remove_empty(made)


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders (innermost first) that are still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _remove_stale(out: Path, pattern: re.Pattern[str]) -> list[Path]:
    removed = []
    folders = [out]
    for _depth in range(3):
        below: list[Path] = []
        for folder in folders:
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        below.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False) and pattern.fullmatch(entry.name):
                        Path(entry.path).unlink()
                        removed.append(Path(entry.path))
        folders = below
    return removed
