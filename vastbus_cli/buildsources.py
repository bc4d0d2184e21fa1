"""What a build plans from: the sources of every pack, and the districts and audiences asked for."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from vastbus_cli.checks.context import suggest
from vastbus_cli.editions import select_edition
from vastbus_cli.errors import UsageError
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import Audience, Course, District, Districts
from vastbus_cli.packs import CENTRAL
from vastbus_cli.render.packplan import PackPlan
from vastbus_cli.render.plan import Sources, plan_pack
from vastbus_cli.workspace import Workspace, editions_of, load_document, workspace_root

#: What ``build`` says of a district or audience it does not know.
UNKNOWN = {
    "district": N_("unknown district '{asked}' ({hint}known: {known})"),
    "audience": N_("unknown audience '{asked}' ({hint}known: {known})"),
}


def _folded(text: str) -> str:
    """A name as people write it, compared the way ids are made: "Västra Hisingen" ~ "västra-hisingen"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", "-", plain).strip("-")


def _select(kind: str, wanted: list[str] | None, known: dict[str, Any]) -> list[str]:
    """The ids asked for: each by its id or name, in any case, with or without å, ä, ö, or their unique start.

    "Barnavårds" names bvc (Barnavårdscentral); "cen" names nothing while both central and Centrum begin so.

    Raises:
        UsageError: a value that names no id (with a suggestion), or that begins more than one (naming them).
    """
    if not wanted:
        return list(known)
    names = {key: getattr(value, "name", key) for key, value in known.items()}
    return list(dict.fromkeys(_resolve(kind, asked, names) for asked in wanted))


def _resolve(kind: str, asked: str, names: dict[str, str]) -> str:
    """The one id ``asked`` names: an id or a name, whole, else the one id or name it is the beginning of."""
    if asked in names:
        return asked
    folded = _folded(asked)
    whole = [key for key, name in names.items() if folded in (_folded(key), _folded(name))]
    begun = [key for key, name in names.items() if _folded(key).startswith(folded) or _folded(name).startswith(folded)]
    for found in (whole, begun):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            candidates = ", ".join(key if names[key] == key else f"{key} ({names[key]})" for key in found)
            template = (
                _("'{asked}' could be more than one district: {candidates}; write more of the name")
                if kind == "district"
                else _("'{asked}' could be more than one audience: {candidates}; write more of the name")
            )
            raise UsageError(template.format(asked=asked, candidates=candidates))
    hint = suggest(asked, [*names, *names.values()])
    known = ", ".join(names)
    template = _(UNKNOWN.get(kind, UNKNOWN["district"]))
    raise UsageError(template.format(asked=asked, hint=hint + " " if hint else "", known=known))


def choices(workspace: Path | None, kind: str) -> list[tuple[str, str]]:
    """The districts (with ``central``) or audiences a build takes, as (id, name), from a workspace's own files.

    Reads only ``curriculum/districts.yaml`` or ``curriculum/course.yaml``, so that shell completion is quick.

    Raises:
        UsageError: no workspace, or the file does not load.
    """
    root = workspace_root(workspace)
    if kind == "district":
        districts = load_document(Workspace(root), root / "curriculum" / "districts.yaml", Districts).model
        if districts is None:
            raise UsageError("curriculum/districts.yaml does not load")
        return [(CENTRAL, CENTRAL), *((d.id, d.name) for d in districts.districts)]
    course = load_document(Workspace(root), root / "curriculum" / "course.yaml", Course).model
    if course is None:
        raise UsageError("curriculum/course.yaml does not load")
    return [(a.id, a.name) for a in course.audiences]


def sources_for(workspace: Workspace, edition: str | None = None, as_of: dt.date | None = None) -> Sources:
    """What every pack is planned from: the course, modules, edition in force, local additions and districts."""
    course = workspace.course.model if workspace.course else None
    districts_file = workspace.districts.model if workspace.districts else None
    if course is None or districts_file is None:
        raise UsageError(_("the course or districts file did not load; run 'vastbus check'"))
    editions = editions_of(workspace)
    selected = select_edition(editions, edition, as_of or dt.date.today())
    lineage = editions.lineage(selected.id)
    return Sources(
        course=course,
        modules={doc.model.id: doc.model for doc in workspace.modules if doc.model is not None},
        edition=selected,
        editions=editions,
        claims={claim.id: claim for e in lineage for claim in e.claims},
        local=tuple((doc.folder_district, doc.model) for doc in workspace.local if doc.model is not None),
        districts=tuple(districts_file.districts),
        areas=tuple(districts_file.areas),
    )


def selection(
    sources: Sources, districts: list[str] | None, audiences: list[str] | None
) -> list[tuple[District | None, Audience]]:
    """The packs asked for, as (district, audience); ``central`` is the pack without a district (None).

    Raises:
        UsageError: an unknown district or audience.
    """
    by_district: dict[str, District | None] = {CENTRAL: None, **{d.id: d for d in sources.districts}}
    by_audience: dict[str, Audience] = {a.id: a for a in sources.course.audiences}
    return [
        (by_district[district_id], by_audience[audience_id])
        for district_id in _select("district", districts, by_district)
        for audience_id in _select("audience", audiences, by_audience)
    ]


def plan_all(
    workspace: Workspace,
    *,
    edition: str | None = None,
    as_of: dt.date | None = None,
    districts: list[str] | None = None,
    audiences: list[str] | None = None,
) -> list[PackPlan]:
    """Plans for the selected districts (``central`` is the pack without a district) and audiences."""
    sources = sources_for(workspace, edition, as_of)
    root = workspace.root.as_posix()
    return [
        plan_pack(sources, audience, district, root) for district, audience in selection(sources, districts, audiences)
    ]
