"""A district's own material in its pack: which additions, the committee, local slides and appendices.

Pure: models in, frozen dataclasses out (see :mod:`vastbus_cli.render.plan`).
"""

from __future__ import annotations

from vastbus_cli.models import (
    CityArea,
    Contact,
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
    """The local additions a district's pack holds: its area's first, then its own.

    Each is narrowed to the audience (:func:`narrowed`); one with nothing left for it is left out.
    """
    if district is None:
        return []
    shared = [a for folder, a in local if district.area and folder == district.area]
    own = [a for folder, a in local if folder == district.id]
    chosen = [
        narrowed(addition, audience_id) for addition in shared + own if applies_to(addition.audiences, audience_id)
    ]
    return [a for a in chosen if a.slides or a.contacts or a.routines or a.examples]


def narrowed(addition: LocalAddition, audience_id: str) -> LocalAddition:
    """The addition as one audience's pack holds it: only the slides, contacts, routines and examples for it."""
    return addition.model_copy(
        update={
            "slides": [s for s in addition.slides if applies_to(s.audiences, audience_id)],
            "contacts": [c for c in addition.contacts if applies_to(c.audiences, audience_id)],
            "routines": [r for r in addition.routines if applies_to(r.audiences, audience_id)],
            "examples": [e for e in addition.examples if applies_to(e.audiences, audience_id)],
        }
    )


def confirmed_contacts(addition: LocalAddition) -> list[Contact]:
    """The contacts the district has confirmed: the only ones participants see."""
    return [contact for contact in addition.contacts if contact.verified]


#: Whom to turn to when neither the district's contacts nor the course's ``contact_route`` say.
FALLBACK_ROUTE = ("Fråga din chef vilken rutin för SIP som gäller på din arbetsplats.",)


def contact_route(pack: Pack) -> tuple[str, ...]:
    """The municipality's general route to contacts, for participants whose district has confirmed none."""
    return tuple(line.strip() for line in pack.sources.course.contact_route) or FALLBACK_ROUTE


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

    Participants see only what the district has confirmed: confirmed contacts (else the course's
    general route) and decided routines. In the trainer guide it is one part of the schedule, its
    slides' pages under its heading, then the district's good examples; what is still to confirm
    is in "Före kursen".
    """
    pack.guide.append(Block("heading", local_title(addition, pack.stamp.district_name), level=1))
    pack.guide.append(Block("local", local_notice(pack)))
    pack.mark(addition.minutes)
    _local_slides(pack, addition)
    if addition.contacts:
        _contact_slides(pack, addition)
    for routine in addition.routines:
        if routine.verified:
            _routine_slides(pack, routine)
    for example in addition.examples:
        pack.guide.append(Block("heading", f"Gott exempel: {example.title}", level=2))
        pack.guide.append(Block("paragraph", example.summary.strip()))
        if example.share:
            why = f" {example.why.strip()}" if example.why else ""
            pack.guide.append(Block("local", f"Föreslås för den centrala kursen.{why}"))


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
    """The confirmed contacts as a table, continued on as many slides as they need; none confirmed: the route."""
    confirmed = confirmed_contacts(addition)
    waiting = len(addition.contacts) - len(confirmed)
    title = f"Lokala kontakter – {pack.stamp.district_name}"
    if not confirmed:
        pack.deck.add(
            "local",
            f"Vem kontaktar du? – {pack.stamp.district_name}",
            bullets=contact_route(pack),
            notes=(
                f"Områdets kontaktvägar är inte bekräftade ännu ({waiting} st.), så de står varken på bilden "
                "eller i deltagarmaterialet. Visa den väg som gäller i hela kommunen. De kontakter området ska "
                "bekräfta står i handledningen under Före kursen; när området har bekräftat dem kommer de med här."
            ),
            local_label=pack.label,
        )
        return
    header = ("Roll", "Verksamhet", "Så når du oss")
    body = [(c.role, c.organisation, c.how) for c in confirmed]
    notes = "Kontaktvägarna är bekräftade av området."
    if waiting:
        notes += (
            f" {waiting} till är inte bekräftade och visas inte för deltagarna; de står i handledningen "
            "under Före kursen."
        )
    for part, start in enumerate(range(0, len(body), CONTACT_ROWS)):
        pack.deck.add(
            "local",
            title + (" (forts.)" if part else ""),
            table=(header, *body[start : start + CONTACT_ROWS]),
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
    """A district's addition in the handout: its confirmed contacts (else the route) and decided routines.

    The guide has them once: the routine on its slides' pages, what is still to confirm in "Före kursen".
    """
    handout = pack.handout
    routines = [routine for routine in addition.routines if routine.verified]
    if not (addition.contacts or routines):
        return
    handout.append(Block("heading", local_title(addition, pack.stamp.district_name), level=1))
    handout.append(Block("local", local_notice(pack)))
    confirmed = confirmed_contacts(addition)
    if confirmed:
        handout.append(Block("heading", "Lokala kontakter", level=2))
        rows = [("Roll", "Verksamhet", "Så når du oss"), *((c.role, c.organisation, c.how) for c in confirmed)]
        handout.append(Block("table", rows=tuple(rows)))
    elif addition.contacts:
        handout.append(Block("heading", "Vem kontaktar du?", level=2))
        handout.append(Block("bullets", items=contact_route(pack)))
    for routine in routines:
        handout.append(Block("heading", routine.title, level=2))
        handout.append(Block("numbered", items=tuple(routine.steps)))


def contact_rows(addition: LocalAddition) -> tuple[tuple[str, ...], ...]:
    """The addition's contacts as a table for the trainer, with whether the district has confirmed each."""
    rows = [("Roll", "Verksamhet", "Så når du oss", "Bekräftad")]
    rows.extend(
        (c.role, c.organisation, c.how, "ja" if c.verified else "nej, ska bekräftas") for c in addition.contacts
    )
    return tuple(rows)
