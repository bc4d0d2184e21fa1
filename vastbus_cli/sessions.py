"""Training records: who has been trained, where, when and on which edition (counts only).

``vastbus held PACK`` appends one record to ``curriculum/sessions/<year>.yaml``. What the
record says about the material (edition, course version, district, audience) is read from
the built file's stamp, so a record cannot claim a newer edition than the pack used. No
participant names are kept: a count is enough to see whether every group is trained, and
names would be personal data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from vastbus_cli import saferead
from vastbus_cli.errors import UsageError
from vastbus_cli.fsio import folder_lock
from vastbus_cli.i18n import _
from vastbus_cli.models import MAX_PARTICIPANTS, Session, SessionsFile
from vastbus_cli.packs import PARTS
from vastbus_cli.transaction import Change, Seen, rewrite_all
from vastbus_cli.yamledit import Edit, apply, apply_in_layout
from vastbus_cli.yamlio import normalise_newlines, parse_yaml, read_text
from vastbus_cli.yamlvalidate import validate

SESSIONS_FOLDER = "curriculum/sessions"
#: The built files whose stamp a record can be read from, in the order they are looked for in a pack folder.
_PACK_FILES = tuple(PARTS[part].file for part in ("slides", "guide", "handout"))
#: Names the records' schema for editors; written only where the workspace keeps its schemas.
_MODELINE = "# yaml-language-server: $schema=../schemas/sessions.schema.json\n"
_HEADER = (
    "# Genomförda utbildningar {year}, en post per tillfälle, skrivna av 'vastbus held'.\n"
    "# Bara antal deltagare: inga namn (det vore personuppgifter).\n"
    "sessions:\n"
)


@dataclass(frozen=True)
class PackStamp:
    """What a built file says it is."""

    file: Path
    edition: str
    course_version: str
    district: str
    audience: str


def read_pack(pack: Path) -> PackStamp:
    """The stamp of a built file, or of the first built file in a pack folder.

    Raises:
        UsageError: there is no such file or folder, or it carries no vastbus stamp.
    """
    from vastbus_cli.officetext import Parts, UnreadableDocument, custom_properties

    if pack.is_dir():
        found = next((pack / name for name in _PACK_FILES if (pack / name).is_file()), None)
        if found is None:
            raise UsageError(
                _("{pack} holds no built pack ({files}); give a pack folder or file").format(
                    pack=pack, files=", ".join(_PACK_FILES)
                )
            )
        pack = found
    elif not pack.is_file():
        raise UsageError(
            _("{pack} does not exist; give the pack folder or a file of it, e.g. paket/angered/forskola").format(
                pack=pack
            )
        )
    try:
        with saferead.open_regular(pack, "office") as stream, zipfile.ZipFile(stream) as archive:
            stamp = custom_properties(Parts(archive))
    except saferead.Refused as refused:
        raise UsageError(
            _("{pack} cannot be read: {reason}; give a pack file 'vastbus build' made").format(
                pack=pack, reason=refused.message
            )
        ) from None
    except (OSError, zipfile.BadZipFile, UnreadableDocument) as error:
        raise UsageError(
            _("{pack} is not a pack file vastbus can read ({error})").format(pack=pack, error=error)
        ) from None
    fields = ("vastbus.edition", "vastbus.course_version", "vastbus.district", "vastbus.audience")
    if not all(stamp.get(name) for name in fields):
        raise UsageError(
            _("{pack} carries no vastbus stamp: record sessions held with packs 'vastbus build' made").format(pack=pack)
        )
    return PackStamp(pack, *(stamp[name] for name in fields))


#: The longest trainer name a record keeps.
MAX_TRAINER = 200


def record_session(
    root: Path,
    pack: Path,
    *,
    day: dt.date,
    participants: int,
    trainer: str | None = None,
    today: dt.date | None = None,
) -> tuple[Path, Session]:
    """Append a session held with ``pack`` to the records of its year; comments and layout are kept.

    The year's file keeps its line endings (LF, CRLF or CR) and byte-order mark. A records file
    or ``sessions`` folder that is a symbolic link is followed, if it stays inside the workspace;
    the file is rewritten as :mod:`vastbus_cli.transaction` does: whole, or not at all.

    Raises:
        UsageError: an argument is out of range (the date is in the future, the count is not
            1 to :data:`MAX_PARTICIPANTS`, the trainer is not one printable line); the pack does
            not exist or its stamp is not one vastbus writes; the records folder or the year's
            file is not a folder or readable UTF-8 file in the workspace, or cannot be extended safely.
        InputOutputError: the file cannot be written, or changed while it was extended; nothing was changed.
    """
    problems = _argument_problems(day, participants, trainer, today or dt.date.today())
    stamp = None
    try:
        stamp = read_pack(pack)
    except UsageError as error:
        problems.append(str(error))
    if problems or stamp is None:
        raise UsageError("; ".join(problems))
    session = _session(stamp, day, participants, trainer.strip() if trainer else None)
    workspace = root.resolve()
    folder = _records_folder(workspace)
    path = folder / f"{day.year}.yaml"
    with folder_lock(folder, ".vastbus-sessions.lock"):
        target, seen_text = _records_file(workspace, path)
        if seen_text is None:
            schemas = (root / "curriculum" / "schemas" / "sessions.schema.json").is_file()
            text = (_MODELINE if schemas else "") + _HEADER.format(year=day.year)
            new, seen = apply(text, _append_edits(text, session)), None
        else:
            bom = seen_text.startswith("\ufeff")
            original = seen_text[1:] if bom else seen_text
            text = normalise_newlines(original)
            new = ("\ufeff" if bom else "") + apply_in_layout(original, _append_edits(text, session))
            seen = Seen.of(target, seen_text.encode("utf-8"))
        _verify(path, apply(text, _append_edits(text, session)), session)
        rewrite_all([Change(target, new.encode("utf-8"), seen)])
    return path, session


def _argument_problems(day: dt.date, participants: int, trainer: str | None, today: dt.date) -> list[str]:
    """What is wrong with the command's arguments, each with its fix; none is echoed raw."""
    problems = []
    if day > today:
        problems.append(
            _("--date {day} is in the future; record a session after it is held").format(day=day.isoformat())
        )
    if not 1 <= participants <= MAX_PARTICIPANTS:
        problems.append(
            _("--participants {n} is not a number of people at one session; give 1 to {most}").format(
                n=participants, most=MAX_PARTICIPANTS
            )
        )
    if trainer is not None:
        if not trainer.strip():
            problems.append(_("--trainer is empty; leave it out or give a name"))
        elif any(unicodedata.category(c) == "Cs" for c in trainer):
            problems.append(_("--trainer holds bytes that are not UTF-8; give the name as UTF-8 text"))
        elif any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in trainer):
            problems.append(
                _("--trainer holds a line break or control character (such as an escape); give the name on one line")
            )
        elif len(trainer.strip()) > MAX_TRAINER:
            problems.append(
                _("--trainer is {n} characters long; give a name of at most {most}").format(
                    n=len(trainer.strip()), most=MAX_TRAINER
                )
            )
    return problems


def _session(stamp: PackStamp, day: dt.date, participants: int, trainer: str | None) -> Session:
    """The record; a stamp another program wrote (a district such as '../x') is refused.

    Raises:
        UsageError: a stamp field is not what vastbus writes.
    """
    try:
        return Session(
            date=day,
            district=stamp.district,
            audience=stamp.audience,
            participants=participants,
            edition=stamp.edition,
            course_version=stamp.course_version,
            trainer=trainer,
        )
    except ValidationError as error:
        fields = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]})
        names = ", ".join(f"vastbus.{name}" for name in fields) or _("its stamp")
        raise UsageError(
            _(
                "{file} carries a stamp vastbus did not write ({names} is not valid); "
                "record sessions held with packs 'vastbus build' made"
            ).format(file=stamp.file, names=names)
        ) from None


def _inside(workspace: Path, path: Path, rel: str, kind: str) -> Path:
    """``path`` with links followed, which must stay inside the workspace.

    Raises:
        UsageError: it leads outside the workspace, or to nothing.
    """
    resolved = path.resolve()
    if not resolved.is_relative_to(workspace):
        message = (
            _(
                "{rel} is a link to {target}, outside the workspace; "
                "make it a folder inside the workspace or record the session there"
            )
            if kind == "folder"
            else _(
                "{rel} is a link to {target}, outside the workspace; "
                "make it a file inside the workspace or record the session there"
            )
        )
        raise UsageError(message.format(rel=rel, target=resolved))
    return resolved


def _records_folder(workspace: Path) -> Path:
    """``curriculum/sessions`` (made if missing), links followed inside the workspace.

    Raises:
        UsageError: it is not a folder, or leads outside the workspace or to nothing.
    """
    folder = _inside(workspace, workspace / SESSIONS_FOLDER, SESSIONS_FOLDER, "folder")
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("{folder} is a file, not a folder; move it away so the records can be kept there").format(
                folder=SESSIONS_FOLDER
            )
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            _("cannot make {folder}: {reason}; make the folder by hand").format(
                folder=SESSIONS_FOLDER, reason=error.strerror or error
            )
        ) from None
    return folder


def _records_file(workspace: Path, path: Path) -> tuple[Path, str | None]:
    """The file to write (a link inside the workspace followed) and its text, None when there is none.

    Raises:
        UsageError: it leads outside the workspace, or is not a readable UTF-8 file.
    """
    rel = f"{SESSIONS_FOLDER}/{path.name}"
    if not path.is_symlink() and not path.exists():
        return path, None
    target = _inside(workspace, path, rel, "file")
    if not target.exists():
        raise UsageError(
            _("{rel} is a link to {target}, which does not exist; remove the link or restore the file").format(
                rel=rel, target=target
            )
        )
    text, findings = read_text(target, rel)
    if text is None:
        first = findings[0]
        fix = first.hint or _("replace it with a UTF-8 YAML file of sessions")
        message = first.message if first.message.startswith(rel) else f"{rel}: {first.message}"
        raise UsageError(f"{message} ({first.rule}); {fix}")
    return target, text


def _append_edits(text: str, session: Session) -> list[Edit]:
    """Edits to LF text that add one entry at the end of its ``sessions`` list."""
    edits = [Edit(m.start(), m.end(), "sessions:") for m in re.finditer(r"^sessions: \[\][ \t]*$", text, re.MULTILINE)]
    lines = text.splitlines()
    items = [line for line in lines if line.lstrip().startswith("- ") and not line.startswith("#")]
    indent = items[0][: len(items[0]) - len(items[0].lstrip())] if items else "  "
    entry = [
        f"{indent}- date: {session.date.isoformat()}",
        f"{indent}  district: {session.district}",
        f"{indent}  audience: {session.audience}",
        f"{indent}  participants: {session.participants}",
        f"{indent}  edition: {session.edition}",
        f'{indent}  course_version: "{session.course_version}"',
    ]
    if session.trainer:
        entry.append(f"{indent}  trainer: {_quoted(session.trainer)}")
    end = len(text.rstrip("\n"))
    edits.append(Edit(end, len(text), "\n" + "\n".join(entry) + "\n"))
    return edits


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _verify(path: Path, new: str, session: Session) -> None:
    """Refuse to write unless the new text reads back as the old records plus this one."""
    loaded = parse_yaml(new, path, path.name)
    model, findings = validate(SessionsFile, loaded) if loaded.data is not None else (None, loaded.findings)
    if model is None or not model.sessions or model.sessions[-1] != session or findings:
        raise UsageError(
            _(
                "{file} could not be extended safely (its 'sessions:' list must be the last thing in the file); "
                "fix it by hand or run 'vastbus check'"
            ).format(file=path)
        )


@dataclass(frozen=True)
class Trained:
    """The last session of one district and audience, and how many were trained in all."""

    date: dt.date
    edition: str
    course_version: str
    participants: int
    sessions: int


def last_trained(records: list[Session]) -> dict[tuple[str, str], Trained]:
    """Per (district, audience): the latest session and the totals."""
    found: dict[tuple[str, str], Trained] = {}
    for record in sorted(records, key=lambda r: r.date):
        key = (record.district, record.audience)
        before = found.get(key)
        found[key] = Trained(
            record.date,
            record.edition,
            record.course_version,
            record.participants + (before.participants if before else 0),
            1 + (before.sessions if before else 0),
        )
    return found
