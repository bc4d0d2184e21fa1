"""Rewrite several files all or nothing: stage every new file, check, then rename them together.

Used by ``review``, ``upgrade --write`` and ``held``. The steps, and what each guarantees:

1. **Stage.** Every new file is written whole beside its target (``.NAME.XXXX.tmp``, with
   :func:`fsio.write_beside`, flushed to disk). A failure here (a folder that cannot be
   written, a full disk) removes what was staged; no original was touched.
2. **Keep a way back.** Every existing target gets a backup beside it
   (``.NAME.XXXX.bak``): a hard link to the same file, or a copy where the file system has
   no hard links. A failure removes what was staged and the backups made so far.
3. **Verify.** Every target must still be the file that was read (same size, ``mtime_ns``
   and SHA-256; a target that did not exist must still not exist). One that changed, for
   example appended to by another program while the command ran, stops the rewrite before
   any rename: :class:`ChangedDuringRun` names it.
4. **Rename.** The staged files are renamed over their targets one by one (each rename is
   atomic). If one fails, the targets already renamed get their originals back from the
   backups (a rename, so again atomic) and a target that was new is removed.
5. **Tidy.** The backups are removed.

So when any step fails, every original is left byte-identical, nothing staged is left behind,
and the error says "nothing was changed". The one case that cannot be undone is a rename back
from a backup that fails too (the disk going away mid-run): then the error names every file
that could not be restored and the backup that still holds its original, which is kept.
Staging every file first needs room on the disk for all the new files at once (the backups
are hard links and take none); rewriting them one by one needed room for one.
A program that writes a target in the instant between the check and the rename (step 3 to 4)
is not detected; that window is a few system calls wide.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from vastbus_cli import fsio, saferead
from vastbus_cli.errors import InputOutputError
from vastbus_cli.i18n import _


class ChangedDuringRun(InputOutputError):
    """A file about to be rewritten changed after it was read (exit 3); nothing was changed."""


@dataclass(frozen=True)
class Seen:
    """What a file was when it was read: enough to tell whether it changed since."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path, data: bytes) -> Seen:
        """``path`` as it is now, which must hold ``data`` (what was read from it).

        Raises:
            ChangedDuringRun: the file no longer holds ``data``.
        """
        try:
            before = path.stat()
        except OSError as error:
            raise InputOutputError(
                _("nothing was changed: {reason}").format(
                    reason=_("cannot read {file}: {reason}").format(file=path, reason=error.strerror or error)
                )
            ) from None
        seen = cls(before.st_size, before.st_mtime_ns, hashlib.sha256(data).hexdigest())
        if _current(path) != seen:
            raise ChangedDuringRun(
                _("nothing was changed: {file} changed while vastbus was reading it; run the command again").format(
                    file=path
                )
            )
        return seen


@dataclass(frozen=True)
class Change:
    """One file to rewrite: ``target`` gets ``data``; ``seen`` is the original (None: must not exist)."""

    target: Path
    data: bytes
    seen: Seen | None


def _current(path: Path) -> Seen | None:
    """``path``'s size, mtime and hash now; None when there is no such file."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return Seen(-1, 0, "")
    return Seen(status.st_size, status.st_mtime_ns, saferead.sha256_or_none(path, "yaml") or "")


def _changed(change: Change) -> str | None:
    """Why ``change.target`` is not the file that was read, or None when it still is."""
    try:
        now = _current(change.target)
    except OSError as error:
        return _("cannot read {file}: {reason}").format(file=change.target, reason=error.strerror or error)
    if now == change.seen:
        return None
    if change.seen is None:
        return _("{file} was created by another program while vastbus ran").format(file=change.target)
    if now is None:
        return _("{file} was removed while vastbus ran").format(file=change.target)
    return _("{file} changed while vastbus was editing it").format(file=change.target)


def rewrite_all(changes: list[Change]) -> None:
    """Give every target its new bytes, or, when any step fails, leave every original as it was.

    Raises:
        ChangedDuringRun: a target changed after it was read; nothing was changed.
        InputOutputError: a file could not be written; nothing was changed (or, if even the
            way back failed, the message names the backups that hold the originals).
    """
    staged: list[Path] = []
    backups: list[Path | None] = []
    try:
        for change in changes:
            staged.append(fsio.write_beside(change.target, change.data))
        for change in changes:
            backups.append(_backup(change.target) if change.seen is not None else None)
        for change in changes:
            reason = _changed(change)
            if reason is not None:
                raise ChangedDuringRun(_("nothing was changed: {reason}; run the command again").format(reason=reason))
    except InputOutputError as error:
        _remove(staged, backups)
        message = str(error)
        said = _("nothing was changed: {reason}").format(reason="")
        raise type(error)(
            message if message.startswith(said) else _("nothing was changed: {reason}").format(reason=message)
        ) from None
    except BaseException:
        _remove(staged, backups)
        raise
    _rename_all(changes, staged, backups)


def _rename_all(changes: list[Change], staged: list[Path], backups: list[Path | None]) -> None:
    done = 0
    try:
        for change, temporary in zip(changes, staged, strict=True):
            fsio.replace(temporary, change.target)
            done += 1
    except BaseException as error:
        lost = _undo(changes[:done], backups[:done])
        _remove(staged[done:], backups[done:])  # the backups of targets put back were renamed
        if isinstance(error, OSError):
            failed = changes[done].target
            reason = _("cannot write {file}: {reason}").format(file=failed, reason=error.strerror or error)
            if lost:
                raise InputOutputError(
                    _(
                        "{reason}; and could not put back {files}: "
                        "rename each backup over its file to get the original back"
                    ).format(reason=reason, files="; ".join(lost))
                ) from None
            raise InputOutputError(_("nothing was changed: {reason}").format(reason=reason)) from None
        raise
    _remove([], backups)


def _undo(changes: list[Change], backups: list[Path | None]) -> list[str]:
    """Put back the originals of targets already renamed; what could not be put back, with its backup."""
    lost = []
    for change, backup in zip(changes, backups, strict=True):
        try:
            if backup is None:
                change.target.unlink(missing_ok=True)
            else:
                fsio.replace(backup, change.target)
        except OSError:
            lost.append(
                _("{file} (its original is {backup})").format(file=change.target, backup=backup)
                if backup
                else str(change.target)
            )
    return lost


def _backup(target: Path) -> Path:
    """A hard link to ``target`` beside it (a copy where links are not possible).

    Raises:
        InputOutputError: neither can be made.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak", dir=target.parent)
        os.close(handle)
        backup = Path(name)
    except OSError as error:
        raise InputOutputError(
            _("cannot write beside {file}: {reason}").format(file=target, reason=error.strerror or error)
        ) from None
    try:
        backup.unlink()
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
    except OSError as error:
        with contextlib.suppress(OSError):
            backup.unlink()
        raise InputOutputError(
            _("cannot keep a copy of {file}: {reason}").format(file=target, reason=error.strerror or error)
        ) from None
    return backup


def _remove(staged: list[Path], backups: list[Path | None]) -> None:
    for path in [*staged, *(b for b in backups if b is not None)]:
        with contextlib.suppress(OSError):
            path.unlink()
