"""The state files the tool keeps in its output folders, validated before anything trusts them.

The build manifest, the build cache, the PDF record and the site record are written by
this tool, but anyone can edit them: a record that names ``../victim.txt`` must not make
``site`` delete it. Each is read through :mod:`~vastbus_cli.saferead` and checked against
a model; one that cannot be read or has the wrong shape is "no usable state" (everything
is made again), and a path that could lead out of the output folder is ignored with a
warning.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictInt, StrictStr, ValidationError

from vastbus_cli import saferead
from vastbus_cli.i18n import _, ngettext

StateT = TypeVar("StateT", bound=BaseModel)


class _State(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class BuildState(_State):
    """``.vastbus-build-state.json``: sizes and times of built files, and their input keys."""

    inputs: StrictStr | None = None
    files: dict[StrictStr, tuple[StrictStr | None, StrictInt, StrictInt]]
    keys: dict[StrictStr, StrictStr] = Field(default_factory=dict)


class Manifest(_State):
    """``manifest.json``: the built files (each entry is checked on its own, see :class:`ManifestEntry`)."""

    files: list[Any]


class ManifestEntry(BaseModel):
    """One built file in the manifest; other fields are kept as they are."""

    model_config = ConfigDict(extra="allow")

    path: StrictStr
    sha256: StrictStr


class PdfEntry(_State):
    """One PDF a build made: from which Office file's sha256, its own sha256 and stat."""

    made_from: StrictStr = Field(alias="from")
    sha256: StrictStr | None = None
    stat: list[StrictInt] | None = None


class PdfState(RootModel[dict[StrictStr, Any]]):
    """``.vastbus-pdf-state.json``: PDF path → :class:`PdfEntry` (damaged entries are dropped)."""


class SiteState(_State):
    """``.vastbus-site-state.json``: the files the site build made, and its thumbnails."""

    files: list[StrictStr] = Field(default_factory=list)
    thumbnails: dict[StrictStr, list[StrictStr]] = Field(default_factory=dict)


def read_state(path: Path, model: type[StateT], notices: list[str]) -> StateT | None:
    """The state file as ``model``; None when there is none or it is not usable (said in ``notices``).

    Never raises for what the file holds: a pipe, a device, a huge or deeply nested file and
    a wrong shape are all "no usable state".
    """
    try:
        data = saferead.read_json(path, "state")
    except saferead.Refused as refused:
        if refused.problem != "missing":
            notices.append(
                _("ignoring {file}, which cannot be read ({reason}); it is made again").format(
                    file=path.name, reason=refused.message
                )
            )
        return None
    try:
        return model.model_validate(data)
    except (ValidationError, RecursionError):
        notices.append(
            _("ignoring {file}: it does not have the expected fields; it is made again").format(file=path.name)
        )
        return None


def is_inside(rel: object, out: Path) -> bool:
    """Whether ``rel`` is a path this tool could have written into ``out``.

    Relative, with forward slashes, no ``..`` or empty part, and still inside ``out`` when
    its folders' links are followed (a link in the output folder can lead anywhere).
    """
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        return False
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in rel.split("/")):
        return False
    try:
        base = out.resolve()
        target = (out / pure).parent.resolve() / pure.name
    except (OSError, RuntimeError):
        return False
    return target.is_relative_to(base) and target != base


def inside_only(rels: list[str], out: Path, what: str, notices: list[str]) -> list[str]:
    """The paths of ``rels`` inside ``out``; the others are dropped, with a warning in ``notices``."""
    kept = [rel for rel in rels if is_inside(rel, out)]
    dropped = [rel for rel in rels if rel not in kept]
    if dropped:
        shown = ", ".join(repr(rel) for rel in dropped[:3]) + (" …" if len(dropped) > 3 else "")
        notices.append(
            ngettext(
                "ignoring {n} path in {file} that leads out of {folder}: {shown}",
                "ignoring {n} paths in {file} that lead out of {folder}: {shown}",
                len(dropped),
            ).format(n=len(dropped), file=what, folder=out, shown=shown)
        )
    return kept
