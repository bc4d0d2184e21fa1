"""Training records: who has been trained, where, when and on which edition (counts only).

``vastbus held PACK`` appends one record to ``curriculum/sessions/<year>.yaml``. What the
record says about the material (edition, course version, district, audience) is read from
the built file's stamp, so a record cannot claim a newer edition than the pack used. No
participant names are kept: a count is enough to see whether every group is trained, and
names would be personal data.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from vastbus_cli import saferead
from vastbus_cli.errors import UsageError
from vastbus_cli.fsio import atomic_write_text, folder_lock
from vastbus_cli.models import FullDate, Identifier, Strict
from vastbus_cli.yamlio import parse_yaml, validate

SESSIONS_FOLDER = "curriculum/sessions"
#: The built files whose stamp a record can be read from, in the order they are looked for in a pack folder.
_PACK_FILES = ("slides.pptx", "trainer-guide.docx", "handout.docx")
#: Names the records' schema for editors; written only where the workspace keeps its schemas.
_MODELINE = "# yaml-language-server: $schema=../schemas/sessions.schema.json\n"
_HEADER = (
    "# Genomförda utbildningar {year}, en post per tillfälle, skrivna av 'vastbus held'.\n"
    "# Bara antal deltagare: inga namn (det vore personuppgifter).\n"
    "sessions:\n"
)


class Session(Strict):
    """One training session as it was held."""

    date: FullDate = Field(description="The day the training was held.", examples=["2026-11-20"])
    district: Identifier = Field(description="District id, or 'central'.", examples=["angered", "central"])
    audience: Identifier = Field(description="Audience id.", examples=["forskola", "bvc"])
    participants: int = Field(gt=0, le=10_000, description="How many took part (a count, no names).", examples=[14])
    edition: Identifier = Field(
        description="The edition the pack was built on (from its stamp).", examples=["bou-halsa-2023"]
    )
    course_version: str = Field(
        pattern=r"^\d+\.\d+(\.\d+)?$",
        description="The course version of the pack (from its stamp).",
        examples=["1.0.0"],
    )
    trainer: str | None = Field(
        None, min_length=1, description="Who gave the training (optional).", examples=["Anna Berg"]
    )


class SessionsFile(Strict):
    """``curriculum/sessions/<year>.yaml``: the sessions held that year."""

    sessions: list[Session] = Field(
        default_factory=list,
        description="One entry per session.",
        examples=[
            [
                {
                    "date": "2026-11-20",
                    "district": "angered",
                    "audience": "forskola",
                    "participants": 14,
                    "edition": "bou-halsa-2023",
                    "course_version": "1.0.0",
                }
            ]
        ],
    )


@dataclass(frozen=True)
class PackStamp:
    """What a built file says it is."""

    file: Path
    edition: str
    course_version: str
    district: str
    audience: str


def read_records(path: Path) -> str:
    """The text of a records file, read safely (:mod:`~vastbus_cli.saferead`): never blocks on a pipe.

    Raises:
        UsageError: the file is not a regular UTF-8 file within the YAML size limit.
    """
    try:
        return saferead.read_text(path, "yaml")
    except saferead.Refused as refused:
        raise UsageError(
            f"{path} cannot be read: {refused.message}; make it the YAML file of that year's sessions"
        ) from None


def read_pack(pack: Path) -> PackStamp:
    """The stamp of a built file, or of the first built file in a pack folder.

    Raises:
        UsageError: there is no such file or folder, or it carries no vastbus stamp.
    """
    from vastbus_cli.officetext import Parts, UnreadableDocument, custom_properties

    if pack.is_dir():
        found = next((pack / name for name in _PACK_FILES if (pack / name).is_file()), None)
        if found is None:
            raise UsageError(f"{pack} holds no built pack ({', '.join(_PACK_FILES)}); give a pack folder or file")
        pack = found
    elif not pack.is_file():
        raise UsageError(f"{pack} does not exist; give the pack folder or a file of it, e.g. build/angered/forskola")
    try:
        with zipfile.ZipFile(pack) as archive:
            stamp = custom_properties(Parts(archive))
    except (OSError, zipfile.BadZipFile, UnreadableDocument) as error:
        raise UsageError(f"{pack} is not a pack file vastbus can read ({error})") from None
    fields = ("vastbus.edition", "vastbus.course_version", "vastbus.district", "vastbus.audience")
    if not all(stamp.get(name) for name in fields):
        raise UsageError(f"{pack} carries no vastbus stamp: record sessions held with packs 'vastbus build' made")
    return PackStamp(pack, *(stamp[name] for name in fields))


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

    Raises:
        UsageError: the pack does not exist or is not stamped, the date is in the future,
            the count is not positive, or the year's file cannot be extended safely.
    """
    problems = []
    if day > (today or dt.date.today()):
        problems.append(f"--date {day.isoformat()} is in the future; record a session after it is held")
    if participants < 1:
        problems.append(f"--participants {participants} is not a number of people; give 1 or more")
    if trainer is not None and not trainer.strip():
        problems.append("--trainer is empty; leave it out or give a name")
    stamp = None
    try:
        stamp = read_pack(pack)
    except UsageError as error:
        problems.append(str(error))
    if problems or stamp is None:
        raise UsageError("; ".join(problems))
    session = Session(
        date=day,
        district=stamp.district,
        audience=stamp.audience,
        participants=participants,
        edition=stamp.edition,
        course_version=stamp.course_version,
        trainer=trainer.strip() if trainer else None,
    )
    folder = root / SESSIONS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day.year}.yaml"
    with folder_lock(folder, ".vastbus-sessions.lock"):
        if path.exists():
            text = read_records(path)
        else:
            schemas = (root / "curriculum" / "schemas" / "sessions.schema.json").is_file()
            text = (_MODELINE if schemas else "") + _HEADER.format(year=day.year)
        new = _appended(text, session)
        _verify(path, new, session)
        atomic_write_text(path, new)
    return path, session


def _appended(text: str, session: Session) -> str:
    """The file's text with one more entry at the end of its ``sessions`` list."""
    lines = text.splitlines()
    if any(line.rstrip() == "sessions: []" for line in lines):
        text = "\n".join("sessions:" if line.rstrip() == "sessions: []" else line for line in lines)
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
    return text.rstrip("\n") + "\n" + "\n".join(entry) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _verify(path: Path, new: str, session: Session) -> None:
    """Refuse to write unless the new text reads back as the old records plus this one."""
    loaded = parse_yaml(new, path, path.name)
    model, findings = validate(SessionsFile, loaded) if loaded.data is not None else (None, loaded.findings)
    if model is None or not model.sessions or model.sessions[-1] != session or findings:
        raise UsageError(
            f"{path} could not be extended safely (its 'sessions:' list must be the last thing in the file); "
            "fix it by hand or run 'vastbus check'"
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
