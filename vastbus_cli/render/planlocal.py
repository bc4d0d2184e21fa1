"""A district's own material in its pack: which additions, the committee, local slides and appendices.

Pure: models in, frozen dataclasses out (see :mod:`vastbus_cli.render.plan`).
"""

from __future__ import annotations

from vastbus_cli.models import (
    CityArea,
    District,
    LocalAddition,
    Routine,
)
from vastbus_cli.render.packplan import (
    Block,
)
from vastbus_cli.render.planbase import Pack, add_slide, local_notice, slide_blocks
from vastbus_cli.render.schedule import (
    applies_to,
    local_title,
)


def local_for(
    local: tuple[tuple[str, LocalAddition], ...], district: District | None, audience_id: str
) -> list[LocalAddition]:
    """The local additions a district's pack holds: its area's first, then its own."""
    if district is None:
        return []
    shared = [a for folder, a in local if district.area and folder == district.area]
    own = [a for folder, a in local if folder == district.id]
    return [addition for addition in shared + own if applies_to(addition.audiences, audience_id)]


def committee_line(district: District | None, areas: tuple[CityArea, ...]) -> str:
    """Which social-services committee answers for the district, so local slides need not leave it open."""
    if district is None:
        return ""
    area = next((a for a in areas if a.id == district.area), None)
    committee = district.committee or (area.committee if area else None)
    if not committee:
        return ""
    where = f" (stadsområde {area.name})" if area else ""
    return f"Socialtjänsten i {district.name}: {committee}{where}"


#: Most steps of a routine on one slide; a longer routine continues on the next.
ROUTINE_STEPS = 8


#: Most contacts in one slide's table.
CONTACT_ROWS = 5


def local_part(pack: Pack, addition: LocalAddition) -> None:
    """A district's addition: a divider, its slides, contacts as a table, routines as numbered steps.

    In the trainer guide it is one part of the schedule, its slides' pages under its heading,
    then the district's good examples; the contacts are in "Före kursen", to confirm them.
    """
    pack.guide.append(Block("heading", local_title(addition, pack.stamp.district_name), level=1))
    pack.guide.append(Block("local", local_notice(pack)))
    pack.mark(addition.minutes)
    _local_slides(pack, addition)
    if addition.contacts:
        _contact_slides(pack, addition)
    for routine in addition.routines:
        _routine_slides(pack, routine)
    for example in addition.examples:
        pack.guide.append(Block("heading", f"Gott exempel: {example.title}", level=2))
        pack.guide.append(Block("paragraph", example.summary.strip()))
        if example.share:
            pack.guide.append(Block("local", "Föreslås för den centrala kursen."))


def _local_slides(pack: Pack, addition: LocalAddition) -> None:
    """The addition's own slides, after a divider unless its first slide is one."""
    slides = [s for s in addition.slides if applies_to(s.audiences, pack.audience.id)]
    committee = (pack.committee,) if pack.committee else ()
    opens_itself = bool(slides) and slides[0].layout == "section"
    if not opens_itself:
        pack.deck.add(
            "local-section",
            addition.title,
            bullets=(pack.label, *committee),
            notes="Här börjar områdets egen del. Säg vem som ansvarar för att den hålls aktuell.",
            local_label=pack.label,
        )
    for index, slide in enumerate(slides):
        add_slide(pack, slide, local=True, extra=committee if opens_itself and index == 0 else ())
        slide_blocks(pack, slide)


def _contact_slides(pack: Pack, addition: LocalAddition) -> None:
    """The contacts as a table, continued on as many slides as they need."""
    rows = [("Roll", "Verksamhet", "Så når du oss")]
    rows.extend((c.role, c.organisation, c.how) for c in addition.contacts)
    unconfirmed = sum(1 for c in addition.contacts if not c.verified)
    notes = "Kontaktvägarna är lokala."
    if unconfirmed:
        notes += (
            f" {unconfirmed} av {len(addition.contacts)} är inte bekräftade av området: "
            "stäm av dem före kurstillfället."
        )
    body = rows[1:]
    for part, start in enumerate(range(0, len(body), CONTACT_ROWS)):
        contacts = body[start : start + CONTACT_ROWS]
        title = f"Lokala kontakter – {pack.stamp.district_name}"
        pack.deck.add(
            "local",
            title + (" (forts.)" if part else ""),
            table=(rows[0], *contacts),
            notes=notes,
            local_label=pack.label,
        )


def _routine_slides(pack: Pack, routine: Routine) -> None:
    """A routine as numbered steps, split evenly over slides beyond :data:`ROUTINE_STEPS`."""
    steps = routine.steps
    # Split evenly beyond the limit, so no slide holds a lone step (9 steps: 5 + 4, not 8 + 1).
    slides_needed = -(-len(steps) // ROUTINE_STEPS)
    size = -(-len(steps) // slides_needed)
    step_chunks = [steps[i : i + size] for i in range(0, len(steps), size)]
    first = 1
    for part, chunk in enumerate(step_chunks):
        title = routine.title if not part else f"{routine.title}, forts. från steg {first}"
        pack.deck.add(
            "local",
            title,
            bullets=tuple(chunk),
            numbered=True,
            notes=(routine.notes or "").strip(),
            local_label=pack.label,
            start_at=first,
        )
        first += len(chunk)


def local_appendix(pack: Pack, addition: LocalAddition) -> None:
    """A district's addition in the handout: its contacts and routines to keep.

    The guide has them once: the routine on its slides' pages, the contacts in "Före kursen".
    """
    handout = pack.handout
    handout.append(Block("heading", local_title(addition, pack.stamp.district_name), level=1))
    handout.append(Block("local", local_notice(pack)))
    if addition.contacts:
        handout.append(Block("heading", "Lokala kontakter", level=2))
        handout.append(Block("table", rows=contact_rows(addition)))
    for routine in addition.routines:
        handout.append(Block("heading", routine.title, level=2))
        handout.append(Block("numbered", items=tuple(routine.steps)))


def contact_rows(addition: LocalAddition) -> tuple[tuple[str, ...], ...]:
    """The addition's contacts as a table, with whether the district has confirmed each."""
    rows = [("Roll", "Verksamhet", "Så når du oss", "Bekräftad")]
    rows.extend(
        (c.role, c.organisation, c.how, "ja" if c.verified else "nej, ska bekräftas") for c in addition.contacts
    )
    return tuple(rows)
