"""Reading a workspace as it was at a git revision, into a folder, with the ``git`` program.

Only ``guidelines/`` and ``curriculum/`` are read: what loading a workspace needs. Two git
processes do it whatever the number of files (``ls-tree`` lists them, ``cat-file --batch``
reads them); each has a time limit. Links and submodules are left out (a link's target
may lie anywhere), and a file over the YAML size limit is written as an empty file of
its size, so that loading it reports ``file/too-large`` without git having to hand over
its bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.i18n import _
from vastbus_cli.yamlio import MAX_FILE_BYTES

#: Seconds one git command may take.
GIT_TIMEOUT = 60
#: Where the workspace's files are: the rest of the repository is not read.
WORKSPACE_FOLDERS = ("guidelines", "curriculum")
#: Variables that would point git at another repository than the one holding the workspace
#: (set, for instance, while a git hook runs).
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX")
_REGULAR_MODES = (b"100644", b"100755")


@dataclass(frozen=True)
class Revision:
    """A revision read into a folder: the commit it named, and the workspace's path in the repository."""

    commit: str
    prefix: str
    repository: Path


def read_revision(root: Path, revision: str, target: Path) -> Revision:
    """Write the workspace at ``root`` as it was at ``revision`` into the folder ``target``.

    Raises:
        UsageError: git is missing, ``root`` is not in a git repository, the revision is
            unknown, or the workspace did not exist at that revision.
        InputOutputError: git failed or took too long.
    """
    git = shutil.which("git")
    if git is None:
        raise UsageError(
            _(
                "cannot read revision '{revision}': git was not found on the PATH; install git, "
                "or compare two workspace folders"
            ).format(revision=revision)
        )
    if not revision or revision.startswith("-") or any(c in revision for c in "\n\r\0"):
        raise UsageError(
            _("unknown revision '{revision}'; name a commit, a tag or a branch (e.g. HEAD~1)").format(revision=revision)
        )
    found = _git(git, root, ["rev-parse", "--show-toplevel", "--show-prefix"], revision, check=False)
    if found.returncode:
        message = _last_line(found.stderr)
        if "not a git repository" in message.lower():
            raise UsageError(
                _(
                    "cannot read revision '{revision}': {folder} is not in a git repository; "
                    "compare two workspace folders instead"
                ).format(revision=revision, folder=root)
            )
        raise UsageError(
            _("cannot read revision '{revision}': git says: {message}").format(revision=revision, message=message)
        )
    top_line, _newline, prefix_line = os.fsdecode(found.stdout).partition("\n")
    repository = Path(top_line)
    prefix = prefix_line.strip("\n")
    named = _git(git, repository, ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], revision, check=False)
    if named.returncode:
        raise UsageError(
            _(
                "unknown revision '{revision}' in the git repository at {repository} "
                "(name a commit, a tag or a branch, e.g. HEAD~1)"
            ).format(revision=revision, repository=repository)
        )
    commit = os.fsdecode(named.stdout).strip()
    paths = [prefix + folder for folder in WORKSPACE_FOLDERS]
    listing = _git(git, repository, ["ls-tree", "-r", "-z", "-l", "--full-name", commit, "--", *paths], revision)
    blobs = _blobs(listing.stdout, prefix)
    for folder in WORKSPACE_FOLDERS:
        if not any(path.startswith(folder + "/") for path, _oid, _size in blobs):
            where = f"'{prefix.rstrip('/')}'" if prefix else _("the repository's top folder")
            raise UsageError(
                _(
                    "revision '{revision}' ({commit}) has no workspace at {where}: it has no {folder}/ folder there"
                ).format(revision=revision, commit=commit[:10], where=where, folder=folder)
            )
    _write(git, repository, revision, blobs, target)
    return Revision(commit, prefix, repository)


def _blobs(listing: bytes, prefix: str) -> list[tuple[str, str, int]]:
    """(path under the workspace, object id, size) of every regular file ``ls-tree -l -z`` listed."""
    blobs = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) != 4 or parts[0] not in _REGULAR_MODES or parts[1] != b"blob":
            continue  # links, submodules
        path = os.fsdecode(raw_path)
        if not path.startswith(prefix):
            continue
        relative = path[len(prefix) :]
        pieces = relative.split("/")
        if any(piece in ("", ".", "..") for piece in pieces):
            continue  # git does not store such paths; never write outside the target
        blobs.append((relative, parts[2].decode("ascii"), int(parts[3])))
    return blobs


def _write(git: str, repository: Path, revision: str, blobs: list[tuple[str, str, int]], target: Path) -> None:
    wanted = [(path, oid) for path, oid, size in blobs if size <= MAX_FILE_BYTES]
    contents = _cat(git, repository, revision, [oid for _, oid in wanted]) if wanted else {}
    try:
        for path, oid, size in blobs:
            destination = target.joinpath(*path.split("/"))
            destination.parent.mkdir(parents=True, exist_ok=True)
            if size > MAX_FILE_BYTES:
                with destination.open("wb") as stream:
                    stream.truncate(size)  # sparse: loading sees the size and reads nothing
            else:
                destination.write_bytes(contents[oid])
    except OSError as error:
        raise InputOutputError(
            _("cannot write the files of revision '{revision}': {reason}").format(
                revision=revision, reason=error.strerror or error
            )
        ) from None


def _cat(git: str, repository: Path, revision: str, oids: list[str]) -> dict[str, bytes]:
    """The contents of the given blobs, read by one ``git cat-file --batch``."""
    done = _git(git, repository, ["cat-file", "--batch"], revision, stdin="\n".join(oids) + "\n")
    output = done.stdout
    contents: dict[str, bytes] = {}
    at = 0
    while at < len(output):
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split()
        if len(header) != 3:
            raise InputOutputError(
                _("git could not read revision '{revision}': {message}").format(
                    revision=revision, message=os.fsdecode(b" ".join(header))
                )
            )
        size = int(header[2])
        start = header_end + 1
        contents[header[0].decode("ascii")] = output[start : start + size]
        at = start + size + 1
    return contents


def _git(
    git: str, folder: Path, args: list[str], revision: str, *, check: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``folder``; its messages in English, so that they can be recognised."""
    env = {key: value for key, value in os.environ.items() if key not in _REPOSITORY_VARIABLES}
    env |= {"LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0"}
    command = [git, "--literal-pathspecs", "-C", str(folder), *args]
    try:
        done = subprocess.run(
            command,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputOutputError(
            _("git took more than {seconds} s reading revision '{revision}'").format(
                seconds=GIT_TIMEOUT, revision=revision
            )
        ) from None
    except OSError as error:
        raise InputOutputError(_("cannot run git: {reason}").format(reason=error.strerror or error)) from None
    if check and done.returncode:
        raise InputOutputError(
            _("git could not read revision '{revision}': {message}").format(
                revision=revision, message=_last_line(done.stderr)
            )
        )
    return done


def _last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in os.fsdecode(stderr).splitlines() if line.strip()]
    return lines[-1].removeprefix("fatal: ") if lines else _("no message")


__all__ = ["GIT_TIMEOUT", "Revision", "read_revision"]
