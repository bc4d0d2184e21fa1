"""Checks of local additions.

Filed under a known district or area, placed after a real module, with speaker notes,
shown to known audiences, and confirmed by the district.
"""

from __future__ import annotations

from collections.abc import Iterator

from vastbus_cli.checks.context import Context
from vastbus_cli.checks.curriculum import audience_ids, check_slides, unknown_audiences
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _, ngettext
from vastbus_cli.models import Course, LocalAddition
from vastbus_cli.rules import ERROR, LOCAL, WARNING, Rule
from vastbus_cli.workspace import LocalDocument

_LOCAL = N_("a local addition is filed or placed wrongly, or names neither or both of `district:` and `area:`")
LOCAL_UNKNOWN_DISTRICT = Rule("local/unknown-district", ERROR, LOCAL, _LOCAL)
LOCAL_DISTRICT_MISMATCH = Rule("local/district-mismatch", ERROR, LOCAL, _LOCAL)
LOCAL_UNKNOWN_MODULE = Rule("local/unknown-module", ERROR, LOCAL, _LOCAL)
LOCAL_MISSING_AFTER = Rule("local/missing-after", ERROR, LOCAL, _LOCAL)
LOCAL_MISSING_NOTES = Rule(
    "local/missing-notes",
    ERROR,
    LOCAL,
    N_("a local slide or routine has no speaker notes (it is often presented by someone who did not write it)"),
)

LOCAL_UNCONFIRMED = Rule(
    "local/unconfirmed",
    WARNING,
    LOCAL,
    N_(
        "a district has not confirmed some of its local contacts or routines: participants do not "
        "see them until it does, and the trainer guide lists them to confirm"
    ),
)
LOCAL_SHARE_WHY = Rule(
    "local/share-why",
    WARNING,
    LOCAL,
    N_("a local example proposed for the central course (`share: true`) does not say `why`"),
)

RULES: tuple[Rule, ...] = (
    LOCAL_UNKNOWN_DISTRICT,
    LOCAL_DISTRICT_MISMATCH,
    LOCAL_UNKNOWN_MODULE,
    LOCAL_MISSING_AFTER,
    LOCAL_MISSING_NOTES,
    LOCAL_UNCONFIRMED,
    LOCAL_SHARE_WHY,
)


def check_local(ctx: Context) -> Iterator[Finding]:
    """Local files name a known district or area, place slides after a real module, and are confirmed.

    Their items are shown to audiences the course knows; an example proposed for sharing says why.
    """
    districts_doc = ctx.workspace.districts
    districts = {d.id for d in districts_doc.model.districts} if districts_doc and districts_doc.model else set()
    areas = {a.id for a in districts_doc.model.areas} if districts_doc and districts_doc.model else set()
    course = ctx.workspace.course.model if ctx.workspace.course else None
    audiences = audience_ids(ctx)
    for doc in ctx.workspace.local:
        local = doc.model
        if local is None:
            continue
        yield from _check_local_district(ctx, doc, local, districts, areas)
        yield from _check_local_after(ctx, doc, local, course)
        if local.audiences is not None:
            yield from unknown_audiences(ctx, doc, ("audiences",), local.audiences, audiences)
        for key in ("contacts", "routines", "examples"):
            for index, item in enumerate(getattr(local, key)):
                if item.audiences is not None:
                    yield from unknown_audiences(ctx, doc, (key, index, "audiences"), item.audiences, audiences)
        yield from check_slides(ctx, doc, local.slides, ("slides",), audiences)
        yield from _check_local_notes(ctx, doc, local)
        yield from _check_unconfirmed(ctx, doc, local, _names(ctx))
        yield from _check_share_why(ctx, doc, local)


def _names(ctx: Context) -> dict[str, str]:
    """District and area ids to their names, to name them in messages."""
    model = ctx.workspace.districts.model if ctx.workspace.districts else None
    if model is None:
        return {}
    return {**{a.id: a.name for a in model.areas}, **{d.id: d.name for d in model.districts}}


def _check_unconfirmed(
    ctx: Context, doc: LocalDocument, local: LocalAddition, names: dict[str, str]
) -> Iterator[Finding]:
    """One finding per file: the contacts and routines its district has not confirmed, named."""
    contacts, routines = (set(map(id, found)) for found in local.unconfirmed())
    items = [
        ("contacts", i, _("contact '{role}'").format(role=c.role))
        for i, c in enumerate(local.contacts)
        if id(c) in contacts
    ]
    items += [
        ("routines", i, _("routine '{id}'").format(id=r.id)) for i, r in enumerate(local.routines) if id(r) in routines
    ]
    if not items:
        return
    owner = local.area or local.district or doc.folder_district
    key, index, _what = items[0]
    listed = "; ".join(what for _key, _index, what in items)
    yield ctx.finding(
        LOCAL_UNCONFIRMED,
        Severity.WARNING,
        ngettext(
            "{owner} has not confirmed {n} local item, so participants do not see it: {items}",
            "{owner} has not confirmed {n} local items, so participants do not see them: {items}",
            len(items),
        ).format(owner=names.get(owner, owner), n=len(items), items=listed),
        doc,
        (key, index),
        hint=_(
            "when the district has confirmed an item, set 'verified: true' on it (and 'confirmed: {by, "
            "on}' on the file); until then the trainer guide lists it under 'Att bekräfta före kursen'"
        ),
    )


def _check_share_why(ctx: Context, doc: LocalDocument, local: LocalAddition) -> Iterator[Finding]:
    """An example proposed for the central course says why."""
    for index, example in enumerate(local.examples):
        if example.share and not (example.why or "").strip():
            yield ctx.finding(
                LOCAL_SHARE_WHY,
                Severity.WARNING,
                _("example '{example}' is proposed for the central course but does not say why").format(
                    example=example.id
                ),
                doc,
                ("examples", index, "share"),
                hint=_(
                    "add 'why:' with a sentence on what the example does for children or staff; the steering "
                    "group reads it with the proposal"
                ),
            )


def _check_local_district(
    ctx: Context, doc: LocalDocument, local: LocalAddition, districts: set[str], areas: set[str]
) -> Iterator[Finding]:
    """The file's folder is a known district or area, and the file names that one (district or area)."""
    key = "area" if local.area is not None else "district"
    if districts and doc.folder_district not in districts | areas:
        yield ctx.unknown(
            LOCAL_UNKNOWN_DISTRICT,
            _("folder '{folder_district}' is not a district or area in curriculum/districts.yaml").format(
                folder_district=doc.folder_district
            ),
            doc,
            (key,),
            doc.folder_district,
            districts | areas,
            otherwise=_("add the district to districts.yaml"),
        )
    if (local.district is None) == (local.area is None):
        yield ctx.finding(
            LOCAL_DISTRICT_MISMATCH,
            Severity.ERROR,
            _("a local file names either 'district:' (one district) or 'area:' (every district of an area)"),
            doc,
            ("area",) if local.area is not None else (),
            hint=_("write '{key}: {folder}'").format(
                key="area" if doc.folder_district in areas else "district", folder=doc.folder_district
            ),
        )
    elif (local.area or local.district) != doc.folder_district:
        yield ctx.finding(
            LOCAL_DISTRICT_MISMATCH,
            Severity.ERROR,
            _("{key} '{value}' does not match its folder '{folder_district}'").format(
                key=key, value=local.area or local.district, folder_district=doc.folder_district
            ),
            doc,
            (key,),
            hint=_("write '{key}: {folder_district}' or move the file").format(
                key=key, folder_district=doc.folder_district
            ),
        )


def _check_local_after(
    ctx: Context, doc: LocalDocument, local: LocalAddition, course: Course | None
) -> Iterator[Finding]:
    """Local slides say after which module of the course they come."""
    if local.slides and local.after is None:
        yield ctx.finding(
            LOCAL_MISSING_AFTER,
            Severity.ERROR,
            _("local slides need 'after: <module id>'"),
            doc,
            ("slides",),
            at_key=True,
        )
    if local.after and course and local.after not in course.modules:
        yield ctx.unknown(
            LOCAL_UNKNOWN_MODULE,
            _("'after: {after}' is not a module of the course").format(after=local.after),
            doc,
            ("after",),
            local.after,
            course.modules,
        )


def _check_local_notes(ctx: Context, doc: LocalDocument, local: LocalAddition) -> Iterator[Finding]:
    """Every local slide and routine has speaker notes."""
    unexplained = [("slides", i, s.id) for i, s in enumerate(local.slides) if not (s.notes or "").strip()]
    unexplained += [("routines", i, r.id) for i, r in enumerate(local.routines) if not (r.notes or "").strip()]
    for key, index, item_id in unexplained:
        yield ctx.finding(
            LOCAL_MISSING_NOTES,
            Severity.ERROR,
            (
                _("local slide '{id}' has no speaker notes")
                if key == "slides"
                else _("local routine '{id}' has no speaker notes")
            ).format(id=item_id),
            doc,
            (key, index, "id"),
            hint=_(
                "add 'notes:' telling the trainer what to say and ask; a local slide is often presented by "
                "someone who did not write it"
            ),
        )
