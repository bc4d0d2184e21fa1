"""Scaffolds for ``vastbus new``: a district's local file, a new guideline edition, a new municipality's workspace.

Each kind is planned first (what to write, as text, checked against its model before
anything is written), then written without replacing anything: a file that exists, or a
folder that is not empty, is refused with its name. The Swedish text of the files is in
:mod:`~vastbus_cli.scaffoldtext`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from vastbus_cli import saferead, scaffoldtext
from vastbus_cli.editions import Editions, select_edition
from vastbus_cli.errors import InputOutputError, UsageError, VastbusError
from vastbus_cli.fsio import current_umask, write_beside
from vastbus_cli.i18n import _
from vastbus_cli.models import ID_PATTERN, Districts, Edition, LocalAddition, earliest_day
from vastbus_cli.scaffoldtext import LOCAL_MINUTES
from vastbus_cli.workspace import Document, Workspace, editions_of, workspace_root
from vastbus_cli.yamlio import key_position, parse_yaml
from vastbus_cli.yamlvalidate import validate

#: The file ``vastbus new local`` writes unless told another name.
LOCAL_FILE = "lokalt.yaml"
#: What a new workspace copies from the current one, by top folder; what it leaves out.
COPIED_FOLDERS = ("guidelines", "curriculum", "templates")
SKIPPED = frozenset({"local", "sessions", "districts.yaml", "__pycache__", "build", "paket", "site"})
_ID = re.compile(ID_PATTERN)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")


@dataclass(frozen=True)
class Scaffold:
    """What ``vastbus new`` wrote: the workspace it belongs to, the files, and what to do next.

    ``todo`` says in one sentence what a person fills in, ``commands`` what to run then (in
    the workspace); ``notes`` are anything else worth saying (a folder that is both a
    district and an area, a district that already has a local part).
    """

    root: Path
    written: tuple[Path, ...]
    todo: str
    commands: tuple[str, ...] = ("vastbus check",)
    notes: tuple[str, ...] = field(default_factory=tuple)


# --- a district's or area's local file ---------------------------------------------------------


def new_local(
    workspace: Workspace, target: str, *, file_name: str = LOCAL_FILE, today: dt.date | None = None
) -> Scaffold:
    """Write ``curriculum/local/<target>/<file_name>``: a commented local file for a district or city area.

    ``target`` is a district or area id from ``curriculum/districts.yaml`` (or its name). The
    file's ``built_on`` is the edition in force ``today``; it validates as written.

    Raises:
        UsageError: an unknown district or area, a bad file name, an existing file, or a
            workspace whose districts or editions do not load.
        InputOutputError: the file cannot be written.
    """
    districts = _districts(workspace)
    key, place_id, name = _place(districts, target)
    edition = select_edition(editions_of(workspace), None, today or dt.date.today())
    name_of_file = _file_name(file_name)
    folder = workspace.root / "curriculum" / "local" / place_id
    path = folder / name_of_file
    _refuse_links(workspace.root, folder)
    if path.exists() or path.is_symlink():
        raise UsageError(
            _("{file} already exists; edit it, or pass --name FILE for another file").format(file=workspace.rel(path))
        )
    course = workspace.course.model if workspace.course else None
    both = key == "district" and any(area.id == place_id for area in districts.areas)
    text = scaffoldtext.local_file(
        key=key,
        place_id=place_id,
        name=name,
        edition=edition.id,
        modules=list(course.modules) if course else [],
        audiences=[a.id for a in course.audiences] if course else [],
        sections=[s.id for s in edition.sections],
        both=both,
        minutes=_free_minutes(workspace, districts, key, place_id),
    )
    _valid(text, path, workspace.rel(path), LocalAddition)
    _create(path, text.encode("utf-8"))
    notes: list[str] = []
    if both:
        notes.append(
            _("'{id}' is both a district and an area: the file is for the district (see its comments)").format(
                id=place_id
            )
        )
    existing = _existing_parts(workspace, districts, key, place_id)
    if existing:
        notes.append(
            _(
                "the packs of {name} already have a local part ({files}); the course's tracks may have "
                "no time or slides left for a second: vastbus check says, and you can add to that file instead"
            ).format(name=name, files=", ".join(existing))
        )
    return Scaffold(
        workspace.root,
        (path,),
        _("Fill it in (the examples are marked 'Exempel')"),
        ("vastbus check", f"vastbus build --district {place_id}" if key == "district" else "vastbus build"),
        tuple(notes),
    )


def _existing_parts(workspace: Workspace, districts: Districts, key: str, place_id: str) -> list[str]:
    """The local files already in the packs a new part for ``place_id`` goes into."""
    served = [d for d in districts.districts if (d.area if key == "area" else d.id) == place_id]
    folders = {place_id} | {d.id for d in served} | {d.area for d in served if d.area}
    return sorted(doc.rel for doc in workspace.local if doc.folder_district in folders)


def _districts(workspace: Workspace) -> Districts:
    doc = workspace.districts
    if doc is None or doc.model is None:
        raise UsageError(_("curriculum/districts.yaml is missing or has errors: run 'vastbus check' and fix it first"))
    return doc.model


def _place(districts: Districts, target: str) -> tuple[str, str, str]:
    """("district" or "area", its id, its name) for a district or area id, or name.

    Raises:
        UsageError: no district or area has that id or name; the known ids, and the closest.
    """
    wanted = unicodedata.normalize("NFC", target.strip())
    for district in districts.districts:
        if wanted == district.id:
            return "district", district.id, district.name
    for area in districts.areas:
        if wanted == area.id:
            return "area", area.id, area.name
    for district in districts.districts:
        if wanted.casefold() == district.name.casefold():
            return "district", district.id, district.name
    for area in districts.areas:
        if wanted.casefold() == area.name.casefold():
            return "area", area.id, area.name
    known = list(dict.fromkeys([d.id for d in districts.districts] + [a.id for a in districts.areas]))
    close = difflib.get_close_matches(wanted.casefold(), known, n=1, cutoff=0.6)
    hint = _("; did you mean '{id}'?").format(id=close[0]) if close else ""
    raise UsageError(
        _(
            "unknown district or area '{target}' in curriculum/districts.yaml{hint} "
            "(known: {known}; add a new district there first)"
        ).format(target=target, hint=hint, known=", ".join(known))
    )


def _free_minutes(workspace: Workspace, districts: Districts, key: str, place_id: str) -> int:
    """The minutes a new local part may take: :data:`LOCAL_MINUTES`, or less where a track has less to spare.

    A track's budget holds its schedule and every local part of a district that applies to
    it (as ``track/over-budget`` counts them); a new part without ``after`` or ``audiences``
    applies to every track and audience of every district it is for.
    """
    course = workspace.course.model if workspace.course else None
    if course is None:
        return LOCAL_MINUTES
    served = [d for d in districts.districts if (d.area if key == "area" else d.id) == place_id]
    free = LOCAL_MINUTES
    for track in course.tracks:
        taught = {entry.module for entry in track.modules}
        for district in served:
            for audience in track.audiences:
                used = sum(
                    doc.model.minutes
                    for doc in workspace.local
                    if doc.model is not None
                    and doc.folder_district in (district.id, district.area)
                    and (doc.model.audiences is None or audience in doc.model.audiences)
                    and (doc.model.after is None or doc.model.after in taught)
                )
                free = min(free, track.budget - track.minutes - used)
    return max(0, free)


def _file_name(name: str) -> str:
    """A plain YAML file name: ``lokalt`` becomes ``lokalt.yaml``.

    Raises:
        UsageError: a path, a hidden name or another suffix.
    """
    name = unicodedata.normalize("NFC", name.strip())
    if not Path(name).suffix:
        name += ".yaml"
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(
            _("--name {name}: give a file name ending in .yaml, without folders (like lokalt.yaml)").format(name=name)
        )
    return name


def _refuse_links(root: Path, folder: Path) -> None:
    """Every folder from ``root`` down to ``folder`` is a real folder (or not there yet), never a link.

    Raises:
        UsageError: one is a link or a file.
    """
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            raise UsageError(
                _("{folder} is a link; vastbus new writes only into real folders of the workspace").format(
                    folder=current
                )
            )
        if current.exists() and not current.is_dir():
            raise UsageError(_("{folder} is a file, not a folder; move it away first").format(folder=current))


# --- a new guideline edition -------------------------------------------------------------------


def new_edition(workspace: Workspace, edition_id: str, *, in_force: str | None, title: str | None = None) -> Scaffold:
    """Write ``guidelines/<edition_id>.yaml``: an edition that supersedes the newest one.

    Its sections are the newest edition's, word for word, so every fingerprint holds and
    the crosswalk starts empty; its sources are copied too. Terms, laws and claims are not
    copied: later editions inherit them through ``supersedes``. What a person must fill in is
    written as a placeholder starting "FYLL I". ``in_force`` is never guessed.

    Raises:
        UsageError: a bad or taken id, no or a bad ``in_force`` date (or one not after the
            edition it supersedes), or no edition that loads.
        InputOutputError: the file cannot be written.
    """
    edition_id = unicodedata.normalize("NFC", edition_id.strip())
    if not _ID.match(edition_id):
        raise UsageError(
            _(
                "'{id}' is not an edition id: use lower-case letters (å, ä, ö allowed), digits and dashes, "
                "like bou-halsa-2027"
            ).format(id=edition_id)
        )
    folder = workspace.root / "guidelines"
    _refuse_links(workspace.root, folder)
    editions = editions_of(workspace)
    taken = [folder / f"{edition_id}{suffix}" for suffix in (".yaml", ".yml")]
    if edition_id in editions or any(p.exists() or p.is_symlink() for p in taken):
        raise UsageError(_("edition '{id}' already exists in guidelines/; choose another id").format(id=edition_id))
    day = _in_force(in_force)
    previous_doc = _newest(workspace, editions)
    previous = previous_doc.model
    assert previous is not None  # _newest picks a loaded one
    if earliest_day(day) <= earliest_day(previous.valid_from):
        raise UsageError(
            _(
                "--in-force {day} is not after {previous} (valid from {since}), the edition it "
                "supersedes; give the day the new edition takes effect"
            ).format(day=day, previous=previous.id, since=previous.valid_from)
        )
    text = scaffoldtext.edition_file(
        edition_id=edition_id,
        previous=previous,
        in_force=day,
        title=title.strip() if title and title.strip() else None,
        sources=_block(previous_doc, "sources"),
        sections=_block(previous_doc, "sections"),
    )
    path = folder / f"{edition_id}.yaml"
    _valid(text, path, workspace.rel(path), Edition)
    _create(path, text.encode("utf-8"))
    return Scaffold(
        workspace.root,
        (path,),
        _("Fill in the 'FYLL I' fields, change the sections the new text changes and declare each under changes"),
        ("vastbus check", f"vastbus diff {previous.id} {edition_id} --changed-only"),
    )


def _in_force(value: str | None) -> str:
    """The day (or month, or year) the new edition takes effect, as written.

    Raises:
        UsageError: missing, or not a date.
    """
    if value is None or not value.strip():
        raise UsageError(
            _(
                "--in-force YYYY-MM-DD is required: the day the new edition takes effect (vastbus never guesses "
                "a date; YYYY-MM or YYYY if only that is known)"
            )
        )
    text = value.strip()
    try:
        if not _PARTIAL_DATE.match(text):
            raise ValueError
        earliest_day(text)  # a day or month that does not exist raises ValueError
    except ValueError:
        raise UsageError(
            _("--in-force {value} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)").format(value=text)
        ) from None
    return text


def _newest(workspace: Workspace, editions: Editions) -> Document[Edition]:
    """The document of the newest edition that loaded (by ``valid_from``).

    Raises:
        UsageError: none loaded.
    """
    if not editions.ordered:
        raise UsageError(_("no guideline edition in guidelines/ loads: run 'vastbus check' and fix it first"))
    newest = editions.ordered[-1]
    return next(doc for doc in workspace.editions if doc.model is newest)


def _block(doc: Document[Edition], key: str) -> str:
    """The text of a top-level key of an edition file, from its line to the next key's, as written.

    Comment lines and blank lines at its end belong to the next key and are left out.

    Raises:
        UsageError: the key is not written as a block of its own.
    """
    data = doc.loaded.data
    lines = doc.loaded.text.split("\n")
    start = key_position(data, key)
    if start is None or start[1] != 1:
        raise UsageError(
            _("{file}: '{key}:' is not a top-level block; copy the new edition's {key} by hand").format(
                file=doc.rel, key=key
            )
        )
    first = start[0] - 1
    last = next((i for i in range(first + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    block = lines[first:last]
    while block and (not block[-1].strip() or block[-1].lstrip().startswith("#")):
        block.pop()
    return "\n".join(block)


# --- a new municipality's workspace ------------------------------------------------------------


def new_workspace(
    source: Path | None, folder: Path, *, name: str | None = None, district_id: str | None = None
) -> Scaffold:
    """Make a workspace in ``folder`` from the one at ``source`` (found from the current folder when None).

    Copies the central course (course, modules, word list, schemas), the guideline editions
    and the templates; leaves out local additions, session records, builds and caches; and
    writes a ``curriculum/districts.yaml`` of its own. The districts file needs one district,
    so the municipality itself is the one (``name``, default the folder's name; ``district_id``,
    default made from the name). ``folder`` must be empty or not exist. The workspace appears
    whole or not at all: it is written beside ``folder`` and renamed into place.

    Raises:
        UsageError: ``folder`` is not empty, is a file or a link, or lies in what is copied;
            no id can be made from the name; no source workspace.
        InputOutputError: a file cannot be read or written.
    """
    root = workspace_root(source)
    _empty_target(folder, root)
    municipality = (name or "").strip() or folder.absolute().name
    place_id = unicodedata.normalize("NFC", district_id.strip()) if district_id else _slug(municipality)
    if not _ID.match(place_id):
        raise UsageError(
            _(
                "cannot make a district id from '{name}': pass --district-id ID (lower-case letters, "
                "digits and dashes; å, ä, ö allowed)"
            ).format(name=municipality)
        )
    files = _copied(root)
    districts = scaffoldtext.districts_file(place_id, municipality)
    _valid(districts, folder / "curriculum" / "districts.yaml", "curriculum/districts.yaml", Districts)
    files["curriculum/districts.yaml"] = districts.encode("utf-8")
    _write_folder(folder, files)
    return Scaffold(
        folder,
        tuple(folder / rel for rel in sorted(files)),
        _("It has one district, '{id}' ({name}): add yours in curriculum/districts.yaml").format(
            id=place_id, name=municipality
        ),
        ("vastbus check", "vastbus build"),
    )


def _empty_target(folder: Path, source: Path) -> None:
    """``folder`` does not exist, or is an empty real folder, outside the folders a workspace copies.

    Raises:
        UsageError: it is a link, a file or a folder with something in it, or lies in the source's copied folders.
    """
    if folder.is_symlink():
        raise UsageError(_("{folder} is a link; name a new folder for the workspace").format(folder=folder))
    if folder.exists():
        if not folder.is_dir():
            raise UsageError(_("{folder} is a file; name a new folder for the workspace").format(folder=folder))
        try:
            entries = sorted(entry.name for entry in folder.iterdir())
        except OSError as error:
            raise InputOutputError(
                _("cannot read {file}: {reason}").format(file=folder, reason=error.strerror or error)
            ) from None
        if entries:
            shown = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
            raise UsageError(
                _(
                    "{folder} is not empty (it holds {shown}); vastbus new workspace writes only into a new or "
                    "empty folder"
                ).format(folder=folder, shown=shown)
            )
    target = folder.absolute().parent.resolve() / folder.absolute().name
    for name in COPIED_FOLDERS:
        if target.is_relative_to(source / name):
            raise UsageError(
                _("{folder} lies inside {copied}, which is copied; choose a folder outside it").format(
                    folder=folder, copied=source / name
                )
            )


def _slug(name: str) -> str:
    """An id from a name: ``Härryda kommun`` → ``härryda-kommun``."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"[\s_/.]+", "-", text)
    text = "".join(c for c in text if re.match(r"[a-z0-9à-öø-ÿ-]", c))
    return re.sub(r"-{2,}", "-", text).strip("-")


def _kind(rel: str) -> saferead.Kind:
    """How a copied file is read (each kind has its size limit)."""
    suffix = Path(rel).suffix.lower()
    if rel.startswith("templates/images/"):
        return "picture"
    if rel.startswith("templates/"):
        return "template"
    if suffix == ".json":
        return "schema"
    if suffix == ".txt":
        return "word-list"
    return "yaml"


def _copied(root: Path) -> dict[str, bytes]:
    """The files a new workspace takes from ``root``, by path relative to it; every problem is collected.

    Raises:
        InputOutputError: one or more files cannot be read (all are named).
    """
    files: dict[str, bytes] = {}
    problems: list[str] = []
    for top in COPIED_FOLDERS:
        base = root / top
        if not base.is_dir():
            continue
        for folder, subfolders, names in os.walk(base, onerror=lambda error: problems.append(str(error))):
            subfolders[:] = sorted(d for d in subfolders if not _skipped(d, Path(folder), root))
            for linked in (d for d in subfolders if (Path(folder) / d).is_symlink()):  # os.walk does not enter them
                problems.append(
                    _("{file} is a link to a folder").format(file=(Path(folder) / linked).relative_to(root).as_posix())
                )
            for file_name in sorted(names):
                if _skipped(file_name, Path(folder), root):
                    continue
                path = Path(folder) / file_name
                rel = path.relative_to(root).as_posix()
                try:
                    files[rel] = saferead.read_bytes(path, _kind(rel))
                except saferead.Refused as refused:
                    problems.append(f"{rel}: {refused.message}")
    if problems:
        raise InputOutputError(
            _("cannot copy the workspace {folder}: {problems}; nothing was written (fix or remove them)").format(
                folder=root, problems="; ".join(problems)
            )
        )
    return files


def _skipped(name: str, folder: Path, root: Path) -> bool:
    """Hidden files and caches anywhere; local additions, sessions and districts.yaml in curriculum/."""
    if name.startswith(".") or name == "__pycache__" or name.endswith((".pyc", ".tmp")):
        return True
    return folder == root / "curriculum" and name in SKIPPED


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``folder``, then rename it into place (whole or not at all).

    Raises:
        UsageError: ``folder`` got something in it meanwhile.
        InputOutputError: a file cannot be written.
    """
    parent = folder.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.absolute().name}.", suffix=".tmp", dir=parent))
    except OSError as error:
        raise InputOutputError(
            _("cannot write {file}: {reason}").format(file=folder, reason=error.strerror or error)
        ) from None
    try:
        staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; a workspace is not
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            write_beside(path, data, durable=False).replace(path)
        _into_place(staging, folder)
    except OSError as error:
        raise InputOutputError(
            _("cannot write {file}: {reason}").format(file=folder, reason=error.strerror or error)
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)  # the staging folder is ours; the target is untouched


def _into_place(staging: Path, folder: Path) -> None:
    """Rename the staged workspace to ``folder``; an empty folder there is replaced, anything else refused.

    Raises:
        UsageError: ``folder`` got something in it meanwhile.
        OSError: the rename failed.
    """
    if folder.exists():
        if any(folder.iterdir()):
            raise UsageError(_("{folder} is no longer empty; nothing was written").format(folder=folder))
        if os.name != "posix":
            folder.rmdir()  # elsewhere a rename does not replace an empty folder
    staging.rename(folder)  # POSIX replaces an empty folder, and refuses one that is not


# --- writing -----------------------------------------------------------------------------------


def _valid(text: str, path: Path, rel: str, model: type[BaseModel]) -> None:
    """The planned text parses and validates as ``model``; otherwise it is a fault of this module.

    Raises:
        VastbusError: it does not (with the first problem).
    """
    loaded = parse_yaml(text, path, rel)
    findings = list(loaded.findings)
    if loaded.data is not None:
        findings.extend(validate(model, loaded)[1])
    if findings:
        raise VastbusError(
            _("internal error: the planned {file} does not validate ({message})").format(
                file=rel, message=findings[0].message
            )
        )


def _create(path: Path, data: bytes) -> None:
    """Write a new file whole, never replacing one: written beside, then linked to its name.

    Raises:
        UsageError: a file of that name appeared meanwhile.
        InputOutputError: it cannot be written.
    """
    temporary = write_beside(path, data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise UsageError(_("{file} already exists; nothing was written").format(file=path)) from None
    except OSError:  # a file system without hard links: rename, after one more look
        if path.exists() or path.is_symlink():
            raise UsageError(_("{file} already exists; nothing was written").format(file=path)) from None
        try:
            temporary.replace(path)
        except OSError as error:
            raise InputOutputError(
                _("cannot write {file}: {reason}").format(file=path, reason=error.strerror or error)
            ) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
