"""The claim language: concepts compared by stem, groups within a sentence, negation scope, explainable matches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.benchmarks.bench_claims import FALSE_ALARM_TARGET, RECALL_TARGET, claim_rules, load_corpus, score
from tests.conftest import REPO, findings_of, make_mini, replace_in
from vastbus_cli.claims import ConceptClaim, Group
from vastbus_cli.claimtext import sentences
from vastbus_cli.textrules import rules_in_text

Check = Callable[..., dict[str, Any]]

ONLY_HARD = ConceptClaim.compile(
    {"bara": ["bara", "endast"], "svar": ["komplex", "svår*", "sammansatt*"], "fall": ["ärende", "fall"]},
    [Group(("bara", "svar", "fall"))],
)


def _words(claim: ConceptClaim, text: str) -> list[tuple[str, ...]]:
    return [match.words for match in claim.find(text)]


def test_words_are_compared_by_stem_so_inflections_are_one_word() -> None:
    # Words of four letters or fewer are compared as written ("svår" would not cover "svåraste"; "svår*" does).
    for text in ("Det gäller bara komplexa ärenden.", "Endast de svåraste ärendena.", "Bara svåra fall."):
        assert _words(ONLY_HARD, text), text
    assert _words(ONLY_HARD, "Bara sammansatta ärendet.") == [("Bara", "sammansatta", "ärendet")]
    assert not _words(ONLY_HARD, "Bara lätta ärenden.")


def test_concepts_must_meet_in_one_sentence() -> None:
    assert not _words(ONLY_HARD, "Vi tar bara en fråga i dag. Svåra ärenden kommer sedan.")


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Det gäller t.ex. bara, enl. 2 kap. 7 §, svåra ärenden. Nästa mening."
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "Det gäller t.ex. bara, enl. 2 kap. 7 §, svåra ärenden.",
        "Nästa mening.",
    ]


def test_a_negation_before_or_after_the_words_turns_the_match_off() -> None:
    assert not _words(ONLY_HARD, "SIP är inte bara för svåra ärenden.")
    assert not _words(ONLY_HARD, "Det är aldrig bara de svåra fallen.")
    forum = ConceptClaim.compile({"forum": ["beställningsforum*"]}, [Group(("forum",))])
    assert not _words(forum, "Mötet är inget beställningsforum.")
    assert not _words(forum, "Mötet är inte ett ställe som liknar ett beställningsforum.")
    assert _words(forum, "Mötet är ett beställningsforum, inte ett samtal.") == [("beställningsforum",)]


def test_a_rhetorical_question_keeps_its_claim() -> None:
    assert _words(ONLY_HARD, "Är det inte bara de svåraste ärendena som får SIP?")
    assert not _words(ONLY_HARD, "Det är inte bara de svåraste ärendena som får SIP.")


def test_a_negative_misconception_requires_its_negation() -> None:
    claim = ConceptClaim.compile(
        {"samtycke": ["samtycke"], "behov": ["behövs", "krävs"]}, [Group(("samtycke", "behov"), negated=True)]
    )
    assert _words(claim, "Samtycke behövs inte.")
    assert not _words(claim, "Samtycke behövs alltid.")
    governing = ConceptClaim.compile(
        {"sip": ["sip*"], "diagnos": ["diagnos*"]}, [Group(("diagnos", "sip"), negated="sip")]
    )
    assert _words(governing, "Utan diagnos blir det ingen SIP.")
    assert not _words(governing, "SIP kräver ingen diagnos.")


def test_a_window_and_an_order_narrow_a_group() -> None:
    claim = ConceptClaim.compile(
        {"sip": ["sip"], "vuxen": ["vuxna"]}, [Group(("sip", "vuxen"), within=4, ordered=True)]
    )
    assert _words(claim, "SIP är för vuxna.")
    assert not _words(claim, "Vuxna kan också få SIP.")
    assert not _words(claim, "SIP ges till barn och unga och ibland även till vuxna.")


def test_unless_turns_a_group_off_anywhere_in_the_sentence() -> None:
    claim = ConceptClaim.compile(
        {"vastbus": ["västbus*"], "galler": ["gäller*"], "forr": ["förr"]},
        [Group(("vastbus", "galler"), unless=("forr",))],
    )
    assert _words(claim, "Västbus gäller för alla skolor.")
    assert not _words(claim, "Förr gällde Västbus, och Västbus gäller inte nu.")


def test_a_finding_names_the_claim_and_the_words_that_matched(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(
        module, "Fråga gruppen hur", "Västbus är bara till för barn med de allra svåraste problemen. Fråga gruppen hur"
    )
    (found,) = findings_of(check_json(root), "claim/misconception")
    assert found["message"].startswith("misconception 'bara-komplexa-fall'")
    assert "matched 'bara' + 'svåraste'" in found["message"]
    lines = module.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "bara till för barn" in text)
    assert (found["line"], found["column"]) == (line, lines[line - 1].index("bara") + 1)
    assert "sections: malgrupp, syfte" in found["hint"]


def test_a_claim_naming_an_unknown_concept_is_a_schema_error(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    edition = root / "guidelines" / "bou-halsa-2021.yaml"
    replace_in(edition, "      - {all: [bara, svar], within: 10}\n", "      - {all: [bara, svaar], within: 10}\n")
    messages = [f["message"] for f in check_json(root)["findings"] if f["rule"].startswith("schema/")]
    assert any("unknown concepts svaar" in message for message in messages), messages


def test_a_negation_must_govern_a_concept_of_its_group(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    edition = root / "guidelines" / "bou-halsa-2021.yaml"
    replace_in(
        edition,
        "      - {all: [diagnos, sip], negated: sip, within: 16}\n",
        "      - {all: [diagnos, sip], negated: vuxen}\n",
    )
    report = check_json(root)
    messages = [f["message"] for f in report["findings"] if f["rule"].startswith("schema/")]
    assert any("'negated: vuxen' must name one of the group's concepts" in message for message in messages), messages


def test_the_corpus_meets_the_targets_for_every_claim() -> None:
    scores = score(claim_rules(REPO / "guidelines"), load_corpus())
    assert len(scores) == 9  # issue 29 adds barnet-inte-delaktigt
    for claim_id, found in scores.items():
        assert found.stated >= 15 and found.correct >= 10, claim_id
        assert found.recall >= RECALL_TARGET, (claim_id, found.missed)
        assert found.false_alarms <= FALSE_ALARM_TARGET, (claim_id, found.alarms)


def test_in_text_from_office_files_each_line_is_its_own_sentence() -> None:
    text = "Bara för tidiga insatser\nSvåra ärenden tas också upp"
    assert _words(ONLY_HARD, text), "in YAML a line break may fall mid-sentence"
    assert [text[a:b].strip() for a, b in sentences(text, lines_are_paragraphs=True)] == [
        "Bara för tidiga insatser",
        "Svåra ärenden tas också upp",
    ]
    from vastbus_cli.claimtext import TextIndex

    assert not list(ONLY_HARD.find(text, TextIndex.of(text, lines_are_paragraphs=True)))


def test_two_texts_checked_together_never_make_one_sentence() -> None:
    from vastbus_cli.findings import Severity
    from vastbus_cli.textrules import RuleSet, TextRule

    rule = TextRule(
        id="bara-komplexa-fall",
        rule="claim/misconception",
        severity=Severity.ERROR,
        sources=(),
        message="",
        hint="",
        edition="x",
        concepts=ONLY_HARD,
    )
    # "osv" is an abbreviation, so a full stop after it would not end a sentence; the texts still stay apart.
    texts = ["Det gäller bara barn osv", "svåra ärenden tas upp", "Bara svåra ärenden."]
    assert [index for index, _ in RuleSet([rule]).matches_many(texts)] == [2]
    assert [index for index, _ in RuleSet([rule], lines_are_paragraphs=True).matches_many(texts)] == [2]


#: What the rules reach on the held-out set (written blind, never tuned on; issue 29), in check,
#: scan and the engine alike. The figures may rise, never fall.
HELDOUT_RECALL, HELDOUT_FALSE_ALARMS = 0.85, 0.02


@pytest.mark.slow
def test_the_held_out_set_is_read_alike_by_check_scan_and_the_engine() -> None:
    from tests.benchmarks.bench_claims import HELDOUT, check_found, engine_found, scan_found, tally, texts_of

    texts = texts_of(load_corpus(HELDOUT))
    rules = claim_rules(REPO / "guidelines")
    found = {"engine": engine_found(rules, texts), "scan": scan_found(texts), "check": check_found(texts)}
    for way, claims in found.items():
        held = tally(texts, claims)
        assert held.stated >= 60 and held.correct >= 40
        assert held.recall >= HELDOUT_RECALL, (way, held)
        assert held.false_alarms <= HELDOUT_FALSE_ALARMS, (way, held)
    assert found["engine"] == found["scan"], "scan reads a text differently from the engine"


def test_a_word_set_is_declared_once_and_named_by_claims(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    edition = root / "guidelines" / "bou-halsa-2021.yaml"
    assert not [f for f in check_json(root)["findings"] if f["rule"] == "guideline/unknown-vocabulary"]
    replace_in(edition, 'barnet: ["@barnet"]', 'barnet: ["@barnen"]')
    found = [f for f in check_json(root)["findings"] if f["rule"] == "guideline/unknown-vocabulary"]
    assert len(found) == 1 and "'@barnen'" in found[0]["message"] and "did you mean" in found[0]["hint"]


def test_the_meeting_word_set_reaches_every_claim_that_names_it() -> None:
    rules = claim_rules(REPO / "guidelines")
    text = "Vi kör nätverksmötet ändå, fast pappan inte har svarat på frågan om samtycke."
    assert rules_in_text([rules["mote-utan-samtycke"]], text) == {"mote-utan-samtycke"}
    assert (
        rules_in_text([rules["mote-utan-samtycke"]], "Vi väntar med nätverksmötet tills pappan har samtyckt.") == set()
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Barnets synpunkter behövs inte i planen.", True),
        ("Planen skriver vi utan att höra vad eleven själv tycker.", True),
        ("Varför ska vi fråga en tioåring vad hon tycker om planen?", True),
        ("Planen tas fram tillsammans med barnet när det är möjligt.", False),
        ("Det är en myt att barnets åsikter inte behövs.", False),
        ("Barnet behöver inte sitta med på hela mötet.", False),
    ],
)
def test_the_childs_part_in_the_plan(text: str, found: bool) -> None:
    rules = claim_rules(REPO / "guidelines")
    assert bool(rules_in_text([rules["barnet-inte-delaktigt"]], text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Flickan klarar sig ganska bra. Då finns det ingen anledning att samordna något med SIP.", True),
        ("Vi vill inte bli de som kallar till SIP, för då måste vi leda mötet.", True),
        ("Många tror att SIP bara är för de svåraste fallen, men så är det inte.", False),
        ("Är SIP bara för de svåraste fallen? Nej, alla barn som behöver samordnat stöd kan få en.", False),
        ("Vi har skickat över uppgifterna utan samtyke.", True),
        ("Under Västbustiden hette det Västbusmöte.", False),
    ],
)
def test_the_language_reaches_past_one_sentence_negation_and_framing(text: str, found: bool) -> None:
    rules = claim_rules(REPO / "guidelines")
    assert bool(rules_in_text(list(rules.values()), text)) is found, rules_in_text(list(rules.values()), text)
