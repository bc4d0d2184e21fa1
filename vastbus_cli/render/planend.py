"""The end of a pack: references, the closing slide, and the handout's and guide's last pages.

Pure: models in, frozen dataclasses out (see :mod:`vastbus_cli.render.plan`).
"""

from __future__ import annotations

from vastbus_cli.models import (
    LocalAddition,
    Ref,
)
from vastbus_cli.render.packplan import (
    Block,
)
from vastbus_cli.render.planbase import Pack, ref_label
from vastbus_cli.render.planlocal import confirmed_contacts, contact_route, local_appendix
from vastbus_cli.render.schedule import (
    Taught,
)


def closing(pack: Pack, local: list[LocalAddition]) -> None:
    """The closing slide: questions, the material, where the contacts are, the evaluation."""
    course = pack.sources.course
    lines = ["Frågor och funderingar: vad tar du med dig till din verksamhet?"]
    if course.material:
        lines.append(course.material.strip())
    if any(confirmed_contacts(addition) for addition in local):
        lines.append(f"Kontakter i {pack.stamp.district_name}: de står i deltagarmaterialet.")
    else:
        lines.append(contact_route(pack)[0])
    if course.evaluation:
        lines.append(course.evaluation.strip())
    pack.deck.add(
        "closing",
        "Tack! Frågor?",
        bullets=tuple(lines),
        notes="Avsluta med frågor. Påminn om deltagarmaterialet, checklistan och utvärderingen.",
    )


def references(pack: Pack, cited: list[tuple[str, list[Ref]]]) -> None:
    """One "Läs mer" slide before the closing slide; the documents list the references by module."""
    editions, current = pack.sources.editions, pack.sources.edition

    def label(ref: Ref) -> str:
        key = ("reference", ref.edition, ref.section, True)
        known = pack.sources.worked_out.get(key)
        if isinstance(known, str):
            return known
        # Sections of the edition in force are named without it; the heading says which it is.
        text = ref_label(editions, ref, basis=True)
        text = text.removesuffix(f" – {current.short_title}") if ref.edition == current.id else text
        pack.sources.worked_out[key] = text
        return text

    # The slides send people to the documents: one "Läs mer" slide, readable from the back
    # row, instead of tables of section names at 18 pt. The documents list every section each
    # module rests on, and what each rests on (law, support material).
    groups = [(title, sorted(dict.fromkeys(label(ref) for ref in refs))) for title, refs in cited]
    in_documents = [(title, labels) for title, labels in groups if labels]
    if not in_documents:
        return
    heading = f"Avsnitt i {current.short_title}"
    pack.deck.add(
        "references",
        "Läs mer",
        table=(
            ("Vad", "Var"),
            ("Det som gäller i dag", current.short_title),
            ("Avsnitten som varje del bygger på, och källorna", "Deltagarmaterialet"),
        ),
        notes=(
            f"Kursen bygger på {current.title}. Vilka avsnitt varje modul bygger på, och källorna, "
            "står i deltagarmaterialet och i slutet av den här handledningen."
        ),
    )
    pack.references = (("Modul", heading), *((t, "; ".join(ls)) for t, ls in in_documents))


def handout_end(pack: Pack, taught: list[Taught], local: list[LocalAddition]) -> None:
    """The handout's last pages: pictures, filled-in forms, local appendices, misconceptions, quiz, sources, key."""
    _filled_in_forms(pack.handout, taught)
    # After the forms: alone between the cover and a form's page, one picture left a page nearly empty.
    if pack.diagram_blocks:
        pack.handout.append(Block("heading", "Bilderna från kursen", level=1))
        pack.handout.extend(pack.diagram_blocks)
    for addition in local:
        local_appendix(pack, addition)
    _misconceptions(pack, taught)
    _self_test(pack)
    _handout_sources(pack)
    _answers(pack)


def _filled_in_forms(handout: list[Block], taught: list[Taught]) -> None:
    for form in (form for item in taught for form in item.module.forms):
        # A filled-in example is a page to lay beside a real form, so it starts a page of its own.
        handout.append(Block("page-break"))
        handout.append(Block("heading", form.title, level=1))
        if form.intro:
            handout.append(Block("paragraph", form.intro.strip()))
        handout.append(Block("table", rows=(("Fält", "Ifyllt exempel"), *((f.label, f.value) for f in form.fields))))


def _misconceptions(pack: Pack, taught: list[Taught]) -> None:
    """The misconceptions the pack discusses, each beside what is right."""
    discussed = {claim for item in taught for s in item.slides for claim in s.discusses}
    discussed |= {claim for item in taught for q in item.quiz for claim in q.discusses}
    claims = [claim for claim_id, claim in pack.sources.claims.items() if claim_id in discussed]
    if claims:
        pack.handout.append(Block("heading", "Vanliga missuppfattningar – och hur det är", level=1))
        rows = [("Det sägs ibland", "Så är det")]
        rows.extend((claim.misconception, claim.correct) for claim in claims)
        pack.handout.append(Block("table", rows=tuple(rows)))


def _self_test(pack: Pack) -> None:
    if pack.questions:
        pack.handout.append(Block("heading", "Testa dig själv", level=1))
        pack.handout.append(Block("paragraph", "Kryssa för det svar du tror är rätt. Facit finns sist i materialet."))
        pack.handout.extend(pack.questions)


def _handout_sources(pack: Pack) -> None:
    handout = pack.handout
    if pack.references:
        handout.append(Block("heading", "Referenser", level=1))
        handout.append(Block("table", rows=pack.references))
    edition = pack.sources.edition
    handout.append(Block("heading", "Källor", level=1))
    handout.append(Block("paragraph", f"Kursen bygger på {edition.title}."))
    handout.extend(Block("reference", f"{s.title}: {s.url}") for s in edition.sources)


def _answers(pack: Pack) -> None:
    # No page break before the key: a forced break left a page of three source lines before it.
    # The sources stand between the questions and the key, so the answers are not in view.
    if pack.answers:
        pack.handout.append(Block("heading", "Facit till Testa dig själv", level=1))
        for question, answer in pack.answers:
            pack.handout.append(Block("paragraph", question))
            pack.handout.append(Block("note", f"Rätt svar: {answer}"))


def guide_end(pack: Pack) -> None:
    """The guide's last pages: references, sources, and what is not verified."""
    edition, guide = pack.sources.edition, pack.guide
    if pack.references:
        guide.append(Block("heading", "Referenser", level=1))
        guide.append(Block("table", rows=pack.references))
    guide.append(Block("heading", "Källor", level=1))
    guide.append(Block("paragraph", f"{edition.title}. {' '.join(edition.summary.split())}"))
    guide.extend(Block("reference", f"{s.title}: {s.url}") for s in edition.sources)
    if edition.unverified:
        guide.append(Block("heading", "Det här är inte verifierat", level=2))
        guide.append(
            Block(
                "paragraph", "Följande uppgifter har inte kunnat bekräftas i källorna. Presentera dem inte som fakta."
            )
        )
        guide.append(Block("bullets", items=tuple(edition.unverified)))
