"""The content rules: quiz quality, where a rule comes from, unverified crosswalks, snapshot dates, spelling."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MODULE, REPO, findings_of, make_mini, ref, replace_in, rules_of, write
from vastbus_cli import api

Check = Callable[..., dict[str, Any]]

QUIZ_ITEM = """\
  - id: {id}
    question: "{question}"
    options: [{options}]
    answer: {answer}
    explanation: "Förklaring."
"""


def _quiz_module(root: Path, module_id: str, items: list[tuple[str, str, str, int]]) -> None:
    """A second module holding the given quiz items (id, question, options, answer)."""
    text = MODULE.format(refs=ref("samtycke")).replace("id: samtycke\ntitle", f"id: {module_id}\ntitle", 1)
    text = text[: text.index("quiz:\n")] + "quiz:\n"
    text += "".join(QUIZ_ITEM.format(id=i, question=q, options=o, answer=a) for i, q, o, a in items)
    write(root / "curriculum" / "modules" / f"{module_id}.yaml", text)
    replace_in(root / "curriculum" / "course.yaml", "  - samtycke\n", f"  - samtycke\n  - {module_id}\n")


# --- quiz ---------------------------------------------------------------------------------


def test_a_question_asked_in_two_modules_is_an_error(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _quiz_module(
        root, "extra", [("annan", "Vad gör du när en kallelse kommit fel?", '"Hittar rätt enhet", "Inget"', 1)]
    )
    assert "quiz/duplicate-question" not in rules_of(check_json(root))
    _quiz_module(root, "extra2", [("igen", "Vem samtycker för ett barn ?", '"Vårdnadshavarna", "Rektorn"', 1)])
    found = findings_of(check_json(root), "quiz/duplicate-question")
    assert len(found) == 1
    assert found[0]["file"] == "curriculum/modules/extra2.yaml"
    assert "'vem' in curriculum/modules/samtycke.yaml" in found[0]["message"]


def test_an_option_right_in_one_item_and_wrong_in_another_is_a_contradiction(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    statement = "Vårdnadshavarna bestämmer vilka som deltar"
    items = [
        ("a", "Vad stämmer om vilka som deltar?", f'"{statement}", "Skolan bestämmer"', 1),
        ("b", "Vad stämmer om kallelsen?", f'"Kallelsen anger syfte och mål", "{statement.lower()}."', 1),
    ]
    _quiz_module(root, "extra", items[:1])
    assert "quiz/contradiction" not in rules_of(check_json(root))
    _quiz_module(root, "extra2", items[1:])
    found = findings_of(check_json(root), "quiz/contradiction")
    assert [f["file"] for f in found] == ["curriculum/modules/extra2.yaml"]
    assert "right answer of 'a'" in found[0]["message"]


def test_an_option_offered_twice_in_one_item_is_an_error(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _quiz_module(root, "extra", [("dubbel", "Vem leder mötet?", '"Den som kallar", "Den som kallar ", "Någon"', 3)])
    assert len(findings_of(check_json(root), "quiz/duplicate-option")) == 1


def test_answer_positions_that_form_a_pattern_are_reported_with_the_distribution(
    tmp_path: Path, check_json: Check
) -> None:
    root = make_mini(tmp_path / "ws")
    questions = [f"Fråga nummer {word} om samverkan?" for word in ("ett", "två", "tre", "fyra", "fem")]
    options = '"Första svaret", "Andra svaret", "Tredje svaret"'
    _quiz_module(root, "extra", [(f"q{i}", q, options, 2) for i, q in enumerate(questions)])
    found = findings_of(check_json(root), "quiz/answer-skew")
    assert len(found) == 1
    assert found[0]["severity"] == "warning"
    assert "option 2 in 6 of 6" in found[0]["message"]
    assert "option 2: 6 (100 %)" in found[0]["message"]
    balanced = [
        (f"q{i}", q, options, answer) for i, (q, answer) in enumerate(zip(questions, (1, 3, 1, 3, 2), strict=True))
    ]
    _quiz_module(root, "extra", balanced)  # rewrites the module; with the mini's own item (2): 2, 2 and 2
    replace_in(root / "curriculum" / "course.yaml", "  - extra\n  - extra\n", "  - extra\n")
    assert "quiz/answer-skew" not in rules_of(check_json(root))


def test_yes_no_items_that_are_all_no_are_reported(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    myths = ["SIP kräver en diagnos?", "Bara BUP får kalla?", "Mötet är ett beställningsforum?", "SIP är för vuxna?"]
    _quiz_module(root, "myter", [(f"m{i}", q, '"Ja", "Nej"', 2 if i != 1 else 1) for i, q in enumerate(myths)])
    assert "yes/no" not in str(findings_of(check_json(root), "quiz/answer-skew"))
    replace_in(root / "curriculum" / "modules" / "myter.yaml", "answer: 1", "answer: 2")
    assert any(
        "all 4 yes/no items are answered 'Nej'" in f["message"]
        for f in findings_of(check_json(root), "quiz/answer-skew")
    )


def test_the_shipped_quiz_has_no_guessable_position() -> None:
    workspace = api.open_workspace(REPO)
    answers = [item.answer for doc in workspace.modules if doc.model for item in doc.model.quiz]
    most = Counter(answers).most_common(1)[0][1]
    assert most / len(answers) <= 0.40, Counter(answers)


# --- where a rule comes from ----------------------------------------------------------------


def _set_basis(root: Path, section_id: str, basis: str) -> None:
    """Declare what a section of the copied 2023 edition rests on."""
    path = root / "guidelines" / "bou-halsa-2023.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {section_id}\n")
    end = text.index("\n  - id: ", start + 1) if "\n  - id: " in text[start + 1 :] else len(text)
    block = text[start:end]
    lines = [line for line in block.splitlines(keepends=True) if not line.startswith("    basis:")]
    lines.insert(2, f"    basis: [{basis}]\n")
    path.write_text(text[:start] + "".join(lines) + text[end:], encoding="utf-8")


def test_crediting_the_agreement_for_a_rule_resting_on_law_is_an_error(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _set_basis(root, "samtycke", "lag")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(module, "Fråga gruppen hur", "Enligt lagen krävs samtycke. Fråga gruppen hur")
    assert "ref/attribution" not in rules_of(check_json(root))
    replace_in(module, "Enligt lagen krävs", "Enligt överenskommelsen krävs")
    found = findings_of(check_json(root), "ref/attribution")
    assert len(found) == 1
    assert found[0]["severity"] == "error"
    assert "'Enligt överenskommelsen' credits överenskommelsen" in found[0]["message"]
    assert "samtycke (lag)" in found[0]["message"]
    assert found[0]["line"] == 18


def test_crediting_a_source_without_citing_any_section_is_a_warning(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    local = root / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml"
    replace_in(local, "Vi frågar alltid", "Stödmaterialet säger att vi frågar")
    found = findings_of(check_json(root), "ref/attribution")
    assert [(f["severity"], f["file"]) for f in found] == [("warning", "curriculum/local/örgryte-härlanda/lokalt.yaml")]


def test_saying_a_rule_is_not_in_the_agreement_is_not_a_credit(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _set_basis(root, "samtycke", "lag")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(module, "Fråga gruppen hur", "Det står inte i överenskommelsen utan i lagen. Fråga gruppen hur")
    assert "ref/attribution" not in rules_of(check_json(root))


# --- crosswalks and snapshots ------------------------------------------------------------


def test_a_section_whose_fate_is_unknown_is_a_warning_not_a_withdrawal(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    text = MODULE.format(refs=ref("vardegrund", "vastbus-2012")).replace(
        "built_on: bou-halsa-2023", "built_on: vastbus-2012"
    )
    module.write_text(text, encoding="utf-8")
    report = check_json(root)
    assert "ref/withdrawn-section" not in rules_of(report)
    found = findings_of(report, "ref/unverified-section")
    assert found and all(f["severity"] == "warning" for f in found)
    assert "is not verified" in found[0]["message"]
    # Declared withdrawn, the same ref is an error: only a guess would make it so.
    edition = root / "guidelines" / "bou-halsa-2021.yaml"
    text = edition.read_text(encoding="utf-8")
    at = text.index("  - section: vardegrund\n")
    edition.write_text(text[:at] + text[at:].replace("change: unverified", "change: withdrawn", 1), encoding="utf-8")
    assert "ref/withdrawn-section" in rules_of(check_json(root))


def test_an_unverified_change_must_say_what_is_not_known(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    edition = root / "guidelines" / "bou-halsa-2021.yaml"
    text = edition.read_text(encoding="utf-8")
    at = text.index("  - section: vardegrund\n")
    block_end = text.index("\n  - section:", at + 1)
    block = "".join(line for line in text[at:block_end].splitlines(keepends=True) if "unverified:" not in line)
    edition.write_text(text[:at] + block + text[block_end:], encoding="utf-8")
    found = findings_of(check_json(root), "guideline/bad-crosswalk")
    assert any("an unverified change needs 'unverified:'" in f["message"] for f in found)


def test_a_snapshot_mentioning_a_later_year_is_reported(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    assert not {"guideline/later-date", "guideline/update-date"} & rules_of(check_json(root))
    edition = root / "guidelines" / "bou-halsa-2023.yaml"
    replace_in(
        edition,
        '      - "Barn och unga till och med 20 år."\n',
        '      - "Barn och unga till och med 20 år (ändrat 2031)."\n',
    )
    found = findings_of(check_json(root), "guideline/later-date")
    assert len(found) == 1 and "mentions 2031" in found[0]["message"]


def test_an_update_dated_before_the_edition_belongs_in_its_text(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    edition = root / "guidelines" / "bou-halsa-2023.yaml"
    text = edition.read_text(encoding="utf-8")
    at = text.index("  - id: malgrupp\n")
    sources_at = text.index("    sources:", at)
    line_end = text.index("\n", sources_at) + 1
    update = '    updates:\n      - on: 2020-05-01\n        text: "Något som hände före utgåvan."\n'
    edition.write_text(text[:line_end] + update + text[line_end:], encoding="utf-8")
    found = findings_of(check_json(root), "guideline/update-date")
    assert len(found) == 1 and "dated 2020-05-01" in found[0]["message"]


def test_the_shipped_guidelines_keep_later_events_out_of_their_snapshots(check_json: Check) -> None:
    report = check_json(REPO)
    assert not {"guideline/later-date", "guideline/update-date", "guideline/bad-crosswalk"} & rules_of(report)
    assert "ref/withdrawn-section" not in rules_of(report)


# --- spelling ------------------------------------------------------------------------------


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


def test_a_misspelled_word_is_found_with_its_position(tmp_path: Path, check_json: Check, private_cache: Path) -> None:
    root = make_mini(tmp_path / "ws")
    assert "spelling/unknown-word" not in rules_of(check_json(root, "--spelling"))
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(module, "Vårdnadshavarna bestämmer", "Vårdnadshavarna bestämer")
    assert "spelling/unknown-word" not in rules_of(check_json(root)), "spelling runs only when asked"
    found = findings_of(check_json(root, "--spelling"), "spelling/unknown-word")
    assert [(f["message"], f["line"], f["column"]) for f in found] == [
        ("'bestämer' is not in the Swedish dictionary", 17, 26)
    ]
    assert "curriculum/ordlista.txt" in found[0]["hint"]
    assert list(private_cache.glob("vastbus/spelling-*.json")), "answers are cached for the next run"


def test_words_in_the_project_word_list_and_their_compounds_are_accepted(
    tmp_path: Path, check_json: Check, private_cache: Path
) -> None:
    root = make_mini(tmp_path / "ws")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(module, "En SIP kräver samtycke.", "Förr hette det Flobbmöte i Flobb.")
    assert {f["message"] for f in findings_of(check_json(root, "--spelling"), "spelling/unknown-word")} == {
        "'Flobbmöte' is not in the Swedish dictionary",
        "'Flobb' is not in the Swedish dictionary",
    }
    write(root / "curriculum" / "ordlista.txt", "# Våra egna ord\nflobb\n")
    assert "spelling/unknown-word" not in rules_of(check_json(root, "--spelling"))


@pytest.mark.slow
def test_the_shipped_course_is_spelled_right(check_json: Check, private_cache: Path) -> None:
    report = check_json(REPO, "--spelling")
    assert findings_of(report, "spelling/unknown-word") == []


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, check_json: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "inte-en-mapp"
    blocked.write_text("en fil där cachemappen skulle ligga", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    root = make_mini(tmp_path / "ws")
    replace_in(
        root / "curriculum" / "modules" / "samtycke.yaml", "Vårdnadshavarna bestämmer", "Vårdnadshavarna bestämer"
    )
    assert [f["message"] for f in findings_of(check_json(root, "--spelling"), "spelling/unknown-word")] == [
        "'bestämer' is not in the Swedish dictionary"
    ]
