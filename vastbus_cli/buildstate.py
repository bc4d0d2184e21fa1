"""What a build keeps between runs in ``--out``: the manifest and the state cache.

The manifest lists every built file with its hashes, input key and stamp; it is
reproducible. The state cache beside it holds sizes, times and input keys, so an unchanged
build needs no hashing. Both are read forgivingly (damage is said and rebuilt) and merged
under a lock, so concurrent builds into one folder add up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vastbus_cli import __version__, saferead
from vastbus_cli.fsio import atomic_write_text, folder_lock
from vastbus_cli.i18n import ngettext
from vastbus_cli.statefiles import BuildState, Manifest, ManifestEntry, is_inside
from vastbus_cli.statefiles import read_state as read_state_file

MANIFEST = "manifest.json"


#: Endings of a file someone means to write (a report, a page, a table): never a folder of packs.
FILE_SUFFIXES = frozenset({".txt", ".csv", ".html", ".htm", ".json", ".md", ".pdf", ".xlsx", ".xml"})


def looks_like_a_file(path: Path) -> bool:
    """``path`` is an existing file, or a name ending as a file one writes does (``x.txt``, ``rapport.html``)."""
    return path.is_file() or (not path.is_dir() and path.suffix.lower() in FILE_SUFFIXES)


def require_built(folder: Path, option: str, *, writes: str | None = None) -> None:
    """Refuse a folder that holds no build: only a build's manifest says that packs are there.

    A folder of the same name that another tool wrote (setuptools writes ``build/lib``) is no build.
    A file, or a name like ``x.txt``, was meant as the command's output: ``writes`` names the
    options that write it (``report``: ``--output FILE or --html FILE``).

    Raises:
        UsageError: ``folder`` has no manifest (``option`` names where the user can point elsewhere).
    """
    from vastbus_cli.errors import UsageError
    from vastbus_cli.i18n import _

    if (folder / MANIFEST).is_file():
        return
    if looks_like_a_file(folder):
        message = _("{option} {folder} names the folder the packs are built in, not a file to write").format(
            option=option, folder=folder
        )
        if writes:
            message += _("; to write the report to a file, use {options}").format(options=writes)
        raise UsageError(message)
    if not folder.exists():
        message = _("{folder} does not exist: run 'vastbus build' first, or pass {option} DIR where the packs are")
    else:
        message = _(
            "{folder} holds no build (no {manifest}): run 'vastbus build' first, "
            "or pass {option} DIR where the packs are"
        )
    raise UsageError(message.format(folder=folder, option=option, manifest=MANIFEST))


#: Sizes and modification times of the built files, so an unchanged build needs no hashing;
#: kept out of the manifest so that the manifest is reproducible.
STATE = ".vastbus-build-state.json"
#: Held while the manifest and the state cache are merged, so concurrent builds into one folder add up.
LOCK = ".vastbus-build.lock"


def merge_manifest(
    out: Path, written: dict[str, dict[str, Any]], header: dict[str, Any], inputs: str | None, keys: dict[str, str]
) -> None:
    """Add this build's files to the manifest and the state cache, under a lock.

    Another build into the same folder may have finished meanwhile, so both files are
    read again under the lock and merged; entries whose file is gone are dropped.
    """
    with folder_lock(out, LOCK):
        manifest_path = out / MANIFEST
        damage: list[str] = []
        on_disk = read_manifest(manifest_path, damage)
        entries = {rel: entry for rel, entry in {**on_disk, **written}.items() if (out / rel).is_file()}
        if entries != on_disk or damage or not manifest_path.is_file():
            _write_manifest(manifest_path, entries, header)
        _write_state(out / STATE, out, entries, inputs, read_state(out / STATE, []), keys)


def untouched(path: Path, entry: dict[str, Any], state: dict[str, Any]) -> bool:
    """Whether a built file is still the one the manifest describes (stat first, hash if needed)."""
    try:
        stat = path.stat()
    except OSError:
        return False
    if state.get("files", {}).get(entry["path"]) == [entry.get("sha256"), stat.st_size, stat.st_mtime_ns]:
        return True
    return saferead.sha256_or_none(path, "office") == entry.get("sha256")


def outputs_untouched(out: Path, entries: dict[str, dict[str, Any]], state: dict[str, Any]) -> bool:
    """Whether there are built files and every one is still as the manifest describes it."""
    return bool(entries) and all(untouched(out / rel, entry, state) for rel, entry in entries.items())


def read_manifest(path: Path, notices: list[str]) -> dict[str, dict[str, Any]]:
    """The manifest's entries by path; a damaged manifest or entry is ignored (and said) and rebuilt.

    An entry whose path leads out of the output folder (absolute, ``..``, through a link) is
    damaged: nothing is ever read, compared or removed there.
    """
    manifest = read_state_file(path, Manifest, notices)
    if manifest is None:
        return {}
    entries = {}
    for entry in manifest.files:
        try:
            checked = ManifestEntry.model_validate(entry)
        except ValidationError:
            continue
        if is_inside(checked.path, path.parent):
            entries[checked.path] = entry
    if len(entries) != len(manifest.files):
        n = len(manifest.files) - len(entries)
        notices.append(
            ngettext(
                "ignoring {n} damaged entry in {file}; built again",
                "ignoring {n} damaged entries in {file}; built again",
                n,
            ).format(n=n, file=path.name)
        )
    return entries


def _write_manifest(path: Path, entries: dict[str, dict[str, Any]], header: dict[str, Any]) -> None:
    document = {
        "tool": {"name": "vastbus", "version": __version__},
        "edition": header.get("edition"),
        "course": header.get("course"),
        "course_version": header.get("course_version"),
        "files": [entries[key] for key in sorted(entries)],
    }
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def read_state(path: Path, notices: list[str]) -> dict[str, Any]:
    """The build cache; one that cannot be read is ignored (and said), and rebuilt."""
    state = read_state_file(path, BuildState, notices)
    if state is None:
        return {}
    return {
        "inputs": state.inputs,
        "files": {rel: list(value) for rel, value in state.files.items()},
        "keys": dict(state.keys),
    }


def _write_state(
    path: Path,
    out: Path,
    entries: dict[str, dict[str, Any]],
    inputs: str | None,
    kept: dict[str, Any],
    keys: dict[str, str],
) -> None:
    """Sizes and times of the built files, and the input key each was last found current for."""
    files = dict(kept.get("files", {}))
    for rel, entry in entries.items():
        try:
            stat = (out / rel).stat()
        except OSError:
            continue
        files[rel] = [entry.get("sha256"), stat.st_size, stat.st_mtime_ns]
    files = {rel: value for rel, value in files.items() if rel in entries}
    # A file's input key is kept only while the file stands as a build left it (written, or found current).
    current = {rel: key for rel, key in {**kept.get("keys", {}), **keys}.items() if rel in files}
    document = {"inputs": inputs, "files": files, "keys": current}
    atomic_write_text(path, json.dumps(document, sort_keys=True) + "\n")
