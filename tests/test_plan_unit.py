"""The pure planning core, alone: models in, a pack's plan out (render/plan.py).

No workspace on disk and no writer: the sources are the small workspace's YAML validated
into models, and the tests read the plan's structure (slides, agenda, local marking, quiz).
"""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import COURSE, DISTRICTS, LOCAL, MODULE, REPO, ref
from vastbus_cli.editions import Editions
from vastbus_cli.models import Course, Districts, Edition, LocalAddition, Module
from vastbus_cli.render.packplan import PackPlan, PlanSlide
from vastbus_cli.render.plan import Sources, committee_line, local_for, plan_pack, quiz_answer

# A second module, taught first by the track although the course lists it second.
PLAN_MODULE = """\
id: planen
title: "Planen"
area: praktiskt-arbete
built_on: bou-halsa-2023
minutes: 15
objectives:
  - "Kunna säga vad en SIP innehåller."
  - "Kunna följa upp en plan."
slides:
  - id: innehall
    layout: content
    title: "Vad planen innehåller"
    bullets:
      - "Vem gör vad och när."
    refs:
{refs}
  - id: uppfoljning
    layout: content
    title: "Uppföljning av planen"
    bullets:
      - "Planen följs upp på ett nytt möte."
  - id: extra
    layout: content
    title: "En bild som spåret hoppar över"
    bullets:
      - "Den här bilden visas inte i spåret."
quiz:
  - id: vem-foljer-upp
    question: "Vem följer upp planen?"
    options: ["Den som kallade", "Ingen", "Alla parter tillsammans"]
    answer: 3
    explanation: "Parterna följer upp planen tillsammans."
  - id: hoppas-over
    question: "En fråga spåret hoppar över?"
    options: ["Ja", "Nej"]
    answer: 1
    explanation: "Den visas inte."
"""

TRACK = """\
  - planen
tracks:
  - id: kort
    name: "Kort spår"
    audiences: [bvc, forskola]
    budget: 60
    start: "13.00"
    welcome: 5
    closing: 5
    modules:
      - module: planen
        minutes: 12
        slides: [innehall, uppfoljning]
        quiz: [vem-foljer-upp]
      - module: samtycke
        minutes: 18
    breaks:
      - after: planen
        minutes: 10
        title: "Fika"
"""


def _load(text: str) -> Any:
    return YAML(typ="safe").load(text)


@pytest.fixture(scope="module")
def sources() -> Sources:
    editions = [
        Edition.model_validate(_load(path.read_text(encoding="utf-8")))
        for path in sorted((REPO / "guidelines").glob("*.yaml"))
    ]
    edition = next(e for e in editions if e.id == "bou-halsa-2023")
    modules = [
        Module.model_validate(_load(MODULE.format(refs=ref("samtycke")))),
        Module.model_validate(_load(PLAN_MODULE.format(refs=ref("samtycke", indent=6)))),
    ]
    districts = Districts.model_validate(_load(DISTRICTS))
    return Sources(
        course=Course.model_validate(_load(COURSE + TRACK)),
        modules={module.id: module for module in modules},
        edition=edition,
        editions=Editions(editions),
        claims={claim.id: claim for claim in edition.claims},
        local=(("örgryte-härlanda", LocalAddition.model_validate(_load(LOCAL))),),
        districts=tuple(districts.districts),
        areas=tuple(districts.areas),
    )


def _audience(sources: Sources, audience_id: str) -> Any:
    return next(a for a in sources.course.audiences if a.id == audience_id)


def _district(sources: Sources, district_id: str) -> Any:
    return next(d for d in sources.districts if d.id == district_id)


def _central(sources: Sources, audience_id: str = "bvc") -> PackPlan:
    return plan_pack(sources, _audience(sources, audience_id), None, "/arbetsyta")


def _titles(slides: tuple[PlanSlide, ...]) -> list[str]:
    return [slide.title for slide in slides]


def test_slides_are_numbered_in_order_and_open_with_title_and_agenda(sources: Sources) -> None:
    plan = _central(sources)
    assert [slide.number for slide in plan.slides] == list(range(1, len(plan.slides) + 1))
    assert [slide.kind for slide in plan.slides[:2]] == ["title", "agenda"]
    assert plan.slides[0].title == "Testkurs"
    assert plan.slides[-1].kind == "closing"
    assert plan.stamp.district == "central" and plan.stamp.audience == "bvc"
    assert plan.stamp.edition == "bou-halsa-2023"


def test_modules_come_in_the_tracks_order_with_only_the_tracks_slides_and_questions(sources: Sources) -> None:
    titles = _titles(_central(sources).slides)
    # The course lists samtycke first; the track teaches planen first.
    assert titles.index("Vad planen innehåller") < titles.index("Uppföljning av planen") < titles.index("Samtycke")
    assert "En bild som spåret hoppar över" not in titles
    assert "En fråga spåret hoppar över?" not in titles
    # The break after planen sits between the two modules.
    fika = titles.index("Fika – 10 minuter")
    assert titles.index("Uppföljning av planen") < fika < titles.index("Samtycke")


def test_the_agenda_lists_the_tracks_minutes_from_its_start_time(sources: Sources) -> None:
    plan = _central(sources)
    agenda = next(slide for slide in plan.slides if slide.kind == "agenda")
    assert agenda.table == (
        ("Tid", "Innehåll"),
        ("13.00–13.05", "Välkommen och dagens upplägg"),
        ("13.05–13.17", "Planen"),
        ("13.17–13.27", "Fika"),
        ("13.27–13.45", "Samtycke"),
        ("13.45–13.50", "Frågor, utvärdering och avslutning"),
    )
    assert agenda.notes.startswith("Kort spår: 50 minuter.")
    # The trainer guide's schedule has the minutes and their total.
    schedule = next(block for block in plan.guide.blocks if block.kind == "table")
    assert schedule.total and schedule.rows[-1] == ("", "Totalt", "50")
    assert ("13.05–13.17", "Planen", "12") in schedule.rows


def test_a_district_pack_marks_its_local_slides_after_the_module_they_follow(sources: Sources) -> None:
    district = _district(sources, "örgryte-härlanda")
    plan = plan_pack(sources, _audience(sources, "bvc"), district, "/arbetsyta")
    assert plan.stamp.district == "örgryte-härlanda" and plan.stamp.district_name == "Örgryte-Härlanda"
    local = [slide for slide in plan.slides if slide.kind in ("local", "local-section")]
    assert [slide.title for slide in local] == [
        "Lokalt i Örgryte-Härlanda",
        "Så gör vi här",
        "Lokala kontakter – Örgryte-Härlanda",
    ]
    assert {slide.local_label for slide in local} == {"Lokalt tillägg – Örgryte-Härlanda"}
    # Central slides carry no local label; the local part follows samtycke (its "after").
    assert all(slide.local_label is None for slide in plan.slides if slide not in local)
    titles = _titles(plan.slides)
    assert titles.index("Ingen SIP utan samtycke") < titles.index("Så gör vi här")
    assert any(block.kind == "local" for block in plan.guide.blocks)
    # The central pack and another district's have no local part.
    for other in (_central(sources), plan_pack(sources, _audience(sources, "bvc"), _district(sources, "angered"), "/")):
        assert not [slide for slide in other.slides if slide.kind in ("local", "local-section") or slide.local_label]


def test_local_for_and_committee_line_pick_the_districts_own_material(sources: Sources) -> None:
    district = _district(sources, "örgryte-härlanda")
    assert [a.title for a in local_for(sources.local, district, "bvc")] == ["Lokalt i Örgryte-Härlanda"]
    assert local_for(sources.local, None, "bvc") == []
    assert local_for(sources.local, _district(sources, "angered"), "bvc") == []
    assert committee_line(None, sources.areas) == ""


def test_quiz_items_become_slides_handout_questions_and_an_answer_key(sources: Sources) -> None:
    plan = _central(sources)
    quiz = [slide for slide in plan.slides if slide.kind == "quiz"]
    # In track order: planen's one chosen question, then samtycke's.
    assert _titles(tuple(quiz)) == ["Vem följer upp planen?", "Vem samtycker för ett barn?"]
    assert quiz[0].bullets == ("Den som kallade", "Ingen", "Alla parter tillsammans")
    assert quiz[0].notes.startswith("Rätt svar: 3. Alla parter tillsammans.")
    handout = plan.handout.blocks
    questions = [block.text for block in handout if block.kind == "paragraph" and block.strong]
    assert questions == ["1. Vem följer upp planen?", "2. Vem samtycker för ett barn?"]
    key = [block.text for block in handout if block.kind == "note" and block.text.startswith("Rätt svar:")]
    assert len(key) == 2 and key[0].startswith("Rätt svar: Alla parter tillsammans.")
    samtycke = sources.modules["samtycke"].quiz[0]
    assert quiz_answer(samtycke) == "Vårdnadshavarna"


def test_audience_notes_reach_only_their_audience(sources: Sources) -> None:
    def notes_of(audience_id: str) -> str:
        plan = _central(sources, audience_id)
        return next(slide.notes for slide in plan.slides if slide.title == "Ingen SIP utan samtycke")

    assert "För BVC: På BVC möter ni ofta familjen först." in notes_of("bvc")
    assert "På BVC" not in notes_of("forskola")


def test_planning_is_deterministic_and_the_digest_names_each_part(sources: Sources) -> None:
    first, again = _central(sources), _central(sources)
    assert first == again
    digests = {part: first.digest(part) for part in ("slides", "handout", "guide")}
    assert len(set(digests.values())) == 3
    assert digests == {part: again.digest(part) for part in digests}
    other = _central(sources, "forskola")
    assert other.digest("slides") != first.digest("slides")
