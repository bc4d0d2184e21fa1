"""Issue 25's content rules: repealed laws, cross-references, doubled answers, hedges on slides, quiz cues.

Each rule has a failing and a passing case in a small workspace; the shipped course is then
built once (every audience, centrally) and its text read back: no handout writes the answer
twice, and no pack points to a module or step its track does not teach.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import REPO, findings_of, replace_in, rules_of
from vastbus_cli import api, checking
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build, plan_all
from vastbus_cli.models import Course
from vastbus_cli.officetext import Parts, document_text
from vastbus_cli.phrases import CROSS_REFERENCES
from vastbus_cli.render.schedule import taught_modules, taught_targets, track_for

MOD = Path("curriculum") / "modules" / "samtycke.yaml"
EDITION = Path("guidelines") / "bou-halsa-2023.yaml"
CheckJson = Callable[..., dict[str, Any]]


def _quiz(mini: Path, items: str) -> None:
    """Replace the mini module's quiz with ``items`` (YAML list entries, indented two spaces)."""
    path = mini / MOD
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("quiz:\n")] + "quiz:\n" + items, encoding="utf-8")


def _item(item_id: str, question: str, options: list[str], answer: int, explanation: str = "Så är det.") -> str:
    listed = "".join(f'      - "{option}"\n' for option in options)
    return (
        f"  - id: {item_id}\n"
        f'    question: "{question}"\n'
        f"    options:\n{listed}"
        f"    answer: {answer}\n"
        f'    explanation: "{explanation}"\n'
    )


# --- law/repealed -----------------------------------------------------------------------------


def test_a_repealed_law_cited_as_current_is_an_error(mini: Path, check_json: CheckJson) -> None:
    replace_in(mini / MOD, "En SIP kräver samtycke.", "SIP regleras i socialtjänstlagen (2001:453) 2 kap. 7 §.")
    report = check_json(mini)
    found = findings_of(report, "law/repealed")
    assert len(found) == 1 and found[0]["severity"] == "error" and report["exit_code"] == 1
    assert found[0]["file"] == MOD.as_posix() and found[0]["line"] == 16
    assert "30 juni 2025" in found[0]["message"] and "2025:400" in found[0]["message"]


def test_a_repealed_law_cited_with_its_end_date_or_as_history_passes(mini: Path, check_json: CheckJson) -> None:
    replace_in(
        mini / MOD,
        "En SIP kräver samtycke.",
        "Socialtjänstlagen (2001:453) 2 kap. 7 §, gällde 1 januari 2010–30 juni 2025.",
    )
    replace_in(
        mini / MOD,
        "Fråga gruppen hur de brukar be om samtycke.",
        "Den gamla socialtjänstlagen (2001:453) ersattes av en ny lag. Fråga gruppen hur de brukar be om samtycke.",
    )
    assert "law/repealed" not in rules_of(check_json(mini))


def test_the_law_rule_reads_its_dates_from_the_edition(mini: Path, check_json: CheckJson) -> None:
    replace_in(mini / MOD, "En SIP kräver samtycke.", "SIP regleras i socialtjänstlagen (2001:453) 2 kap. 7 §.")
    assert "law/repealed" not in rules_of(check_json(mini, "--as-of", "2025-06-30"))  # still in force that day
    edition = mini / EDITION
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text[: text.index("\nlaws:")] + "\n", encoding="utf-8")
    assert "law/repealed" not in rules_of(check_json(mini))  # no data, no rule


# --- xref/plain-text, xref/unknown-target, see: -------------------------------------------------


def test_a_plain_text_pointer_to_another_module_is_flagged(mini: Path, check_json: CheckJson) -> None:
    replace_in(
        mini / MOD,
        "Fråga gruppen hur de brukar be om samtycke.",
        "Fråga gruppen. Placerade barn tas upp i modulen om placerade barn. Steget kommer i SIP-processen, steg 3.",
    )
    found = findings_of(check_json(mini), "xref/plain-text")
    assert len(found) == 2 and {f["severity"] for f in found} == {"warning"}
    assert all(f["line"] == 19 for f in found)


_SEE = """    see:
      - module: samtycke
        slide: start
        text: "Samtycket tas upp i modulen om samtycke."
      - module: placerade-barn
        text: "Placerade barn tar vi upp i modulen om placerade barn."
        otherwise: "Heldagskursen har en egen modul om placerade barn."
    audience_notes:
"""


def test_a_see_pointer_passes_and_is_written_only_where_the_pack_teaches_the_target(
    mini: Path, check_json: CheckJson
) -> None:
    replace_in(mini / MOD, "    audience_notes:\n", _SEE)
    report = check_json(mini)
    assert "xref/plain-text" not in rules_of(report)
    unknown = findings_of(report, "xref/unknown-target")  # placerade-barn is not a module of this workspace
    assert [f["line"] for f in unknown] == [24]
    plan = next(p for p in plan_all(api.open_workspace(mini), audiences=["bvc"]) if p.stamp.district == "central")
    notes = "\n".join(slide.notes for slide in plan.slides)
    assert "Samtycket tas upp i modulen om samtycke." in notes
    assert "Heldagskursen har en egen modul om placerade barn." in notes
    assert "Placerade barn tar vi upp" not in notes


def test_a_see_pointer_to_a_missing_slide_is_an_error(mini: Path, check_json: CheckJson) -> None:
    replace_in(mini / MOD, "    audience_notes:\n", _SEE.replace("slide: start", "slide: finns-inte"))
    found = findings_of(check_json(mini), "xref/unknown-target")
    assert {f["severity"] for f in found} == {"error"}
    assert any("finns-inte" in f["message"] for f in found)


# --- hedge/on-slide ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hedge",
    [
        "Regeln har inte kunnat bekräftas i den regionala texten.",
        "Sedan 1 juli 2025 gäller en ny lag. Ange inget paragrafnummer ur den.",
        "Stödet för det kommer från SKR, inte från den regionala riktlinjen.",
        "Uppgiften är obekräftad.",
    ],
)
def test_a_hedge_on_a_slide_is_flagged(mini: Path, check_json: CheckJson, hedge: str) -> None:
    replace_in(mini / MOD, "Vårdnadshavarna bestämmer vilka som deltar.", hedge)
    found = findings_of(check_json(mini), "hedge/on-slide")
    assert len(found) == 1 and found[0]["severity"] == "warning" and found[0]["line"] == 17


def test_a_hedge_in_the_notes_passes(mini: Path, check_json: CheckJson) -> None:
    replace_in(
        mini / MOD,
        "Fråga gruppen hur de brukar be om samtycke.",
        "Regeln har inte kunnat bekräftas i den regionala texten. Ange inget paragrafnummer.",
    )
    assert "hedge/on-slide" not in rules_of(check_json(mini))


def test_a_hedge_in_a_quiz_option_is_flagged(mini: Path, check_json: CheckJson) -> None:
    replace_in(mini / MOD, 'options: ["Rektorn", "Vårdnadshavarna"]', 'options: ["Vi vet inte", "Vårdnadshavarna"]')
    assert len(findings_of(check_json(mini), "hedge/on-slide")) == 1


# --- quiz/repeats-answer and the answer key ---------------------------------------------------


def test_an_explanation_that_repeats_the_answer_is_an_error(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _item("kan", "Kan förskolan kalla till SIP?", ["Ja", "Nej"], 1, "Ja. Förskolan får kalla."))
    found = findings_of(check_json(mini), "quiz/repeats-answer")
    assert len(found) == 1 and found[0]["severity"] == "error"


def test_an_explanation_that_starts_with_the_reason_passes(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _item("kan", "Kan förskolan kalla till SIP?", ["Ja", "Nej"], 1, "Jo, förskolan får kalla."))
    assert "quiz/repeats-answer" not in rules_of(check_json(mini))


def test_the_answer_key_never_writes_the_answer_twice(mini: Path) -> None:
    _quiz(
        mini,
        _item("kan", "Kan förskolan kalla till SIP?", ["Ja", "Nej"], 1, "Ja. förskolan får kalla.")
        + _item("ska", "Ska BVC vänta?", ["Ja", "Nej"], 2, "Nej, BVC kan ta initiativ."),
    )
    plan = next(p for p in plan_all(api.open_workspace(mini), audiences=["bvc"]) if p.stamp.district == "central")
    handout = " ".join(block.text or "" for block in plan.handout.blocks)
    guide = " ".join(block.text or "" for block in plan.guide.blocks)
    notes = " ".join(slide.notes for slide in plan.slides)
    for text in (handout, guide, notes):
        assert not re.search(r"\b(Ja|Nej)[.,] \1\b", text), text
    assert "Rätt svar: Ja. Förskolan får kalla." in handout
    assert "Rätt svar: Nej. BVC kan ta initiativ." in handout


# --- quiz/longest-right, quiz/stem-predicts, quiz/weak-distractor -----------------------------


def _choices(longest_right: int) -> str:
    """Five multiple-choice items; in the first ``longest_right`` the right option is the longest."""
    items = []
    for number in range(5):
        long_one = f"Vårdnadshavarna samtycker för barnet nummer {number}"
        short_one = f"Rektorn på förskolan nummer {number}"
        other = f"Socialtjänsten i området nummer {number}"
        options, answer = (
            ([short_one, long_one, other], 2) if number < longest_right else ([short_one, other, long_one], 1)
        )
        items.append(_item(f"fraga-{number}", f"Vem samtycker i fall {number}?", options, answer))
    return "".join(items)


def test_a_course_whose_right_option_is_mostly_the_longest_is_flagged(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _choices(3))
    found = findings_of(check_json(mini), "quiz/longest-right")
    assert len(found) == 1 and found[0]["severity"] == "warning" and "3 of 5" in found[0]["message"]


def test_a_course_whose_right_option_is_seldom_the_longest_passes(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _choices(2))
    assert "quiz/longest-right" not in rules_of(check_json(mini))


def _yes_no(answers: list[int], stem: str = "Stämmer det?") -> str:
    return "".join(
        _item(f"pastaende-{n}", f"En kollega säger något om fall {n}. {stem}", ["Ja", "Nej"], answer, "Se bilden.")
        for n, answer in enumerate(answers)
    )


def test_a_stem_form_that_predicts_the_answer_is_flagged(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _yes_no([2, 2, 2]) + _yes_no([1, 1, 1, 2], "Kan hon kalla?").replace("pastaende-", "kan-"))
    found = findings_of(check_json(mini), "quiz/stem-predicts")
    assert len(found) == 2 and {f["severity"] for f in found} == {"warning"}
    assert any("'Stämmer …?'" in f["message"] and "Nej 3 times" in f["message"] for f in found)
    assert any("'Kan …?'" in f["message"] for f in found)


def test_balanced_stem_forms_pass(mini: Path, check_json: CheckJson) -> None:
    # 2 of 3 is as even as three items can be; 3 of 5 is 60 %; two items say nothing yet.
    _quiz(
        mini,
        _yes_no([1, 2, 2])
        + _yes_no([1, 2, 1, 2, 1], "Kan hon kalla?").replace("pastaende-", "kan-")
        + _yes_no([1, 1], "Får de vänta?").replace("pastaende-", "far-"),
    )
    assert "quiz/stem-predicts" not in rules_of(check_json(mini))


def test_a_distractor_under_a_third_of_the_right_option_is_flagged(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _item("vem", "Vem samtycker?", ["Vårdnadshavarna, och barnet när det kan", "Ingen"], 1))
    found = findings_of(check_json(mini), "quiz/weak-distractor")
    assert len(found) == 1 and "'Ingen'" in found[0]["message"] and found[0]["severity"] == "warning"


def test_plausible_distractors_pass(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _item("vem", "Vem samtycker?", ["Vårdnadshavarna, och barnet när det kan", "Rektorn på förskolan"], 1))
    assert "quiz/weak-distractor" not in rules_of(check_json(mini))


# --- track/misconception-unquizzed -------------------------------------------------------------

_TRACKS = """tracks:
  - id: kort
    name: "Kort kurs"
    audiences: [bvc, forskola]
    budget: 100
    welcome: 5
    closing: 5
    modules:
      - module: samtycke
        minutes: 20
        quiz: [{quiz}]
"""

_SEED_ITEM = _item(
    "bara-svara-fall",
    "Förskolan ser att ett barn behöver stöd från flera håll, men problemen är små. Kan en SIP bli aktuell?",
    ["Ja", "Nej"],
    1,
    "Samordningsbehovet avgör. Var och en kommer med sitt eget bidrag till mötet.",
)


def _with_track(mini: Path, quiz: str) -> None:
    course = mini / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + _TRACKS.format(quiz=quiz), encoding="utf-8")


def test_a_track_that_does_not_quiz_the_seed_misconceptions_is_an_error(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _SEED_ITEM)  # no discusses: it corrects nothing
    _with_track(mini, "bara-svara-fall")
    found = findings_of(check_json(mini), "track/misconception-unquizzed")
    assert len(found) == 1 and found[0]["severity"] == "error"
    assert "'bara-komplexa-fall', 'bestallningsforum'" in found[0]["message"]


def test_a_track_that_quizzes_both_seed_misconceptions_passes(mini: Path, check_json: CheckJson) -> None:
    _quiz(mini, _SEED_ITEM + '    discusses: ["bara-komplexa-fall", "bestallningsforum"]\n')
    _with_track(mini, "bara-svara-fall")
    assert "track/misconception-unquizzed" not in rules_of(check_json(mini))


def test_a_slide_alone_does_not_count_as_quizzing(mini: Path, check_json: CheckJson) -> None:
    replace_in(
        mini / MOD,
        "    audience_notes:\n",
        '    discusses: ["bara-komplexa-fall", "bestallningsforum"]\n    audience_notes:\n',
    )
    _with_track(mini, "vem")
    assert len(findings_of(check_json(mini), "track/misconception-unquizzed")) == 1


# --- the shipped course, built -----------------------------------------------------------------


#: Errors in the quiz data that another change of issue 25 fixes. Until it is merged, the build of
#: the shipped course lets them through, so that what is tested is the writers on that very data.
PENDING = frozenset({"quiz/repeats-answer"})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every audience's central pack of the shipped workspace, built once."""
    out = tmp_path_factory.mktemp("packs25")
    real = checking.check

    def check(*args: Any, **kwargs: Any) -> api.CheckResult:
        result = real(*args, **kwargs)
        return dataclasses.replace(result, findings=[f for f in result.findings if f.rule not in PENDING])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checking, "check", check)
        build(open_workspace(REPO), out, districts=["central"], jobs=1)
    return out


def _text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(piece.text for piece in document_text(Parts(archive), path.suffix.lstrip(".")))


def _course() -> tuple[Course, Any]:
    workspace = api.open_workspace(REPO)
    assert workspace.course is not None and workspace.course.model is not None
    modules = {doc.model.id: doc.model for doc in workspace.modules if doc.model is not None}
    return workspace.course.model, modules


@pytest.mark.slow
def test_no_built_handout_writes_the_answer_twice(built: Path) -> None:
    handouts = sorted(built.rglob("handout.docx"))
    course, _ = _course()
    assert len(handouts) == len(course.audiences)
    for path in [*handouts, *built.rglob("trainer-guide.docx"), *built.rglob("slides.pptx")]:
        text = _text(path)
        assert "Ja. Ja." not in text and "Nej. Nej." not in text, path
        assert not re.search(r"\b(Ja|Nej)[.,]\s+\1\b", text), path


@pytest.mark.slow
def test_no_pack_points_to_material_its_track_does_not_teach(built: Path) -> None:
    course, modules = _course()
    sees = [(see, module.id, slide) for module in modules.values() for slide in module.slides for see in slide.see]
    assert len(sees) >= 15  # the shipped pointers are structured
    checked = 0
    for audience in course.audiences:
        taught = taught_targets(taught_modules(track_for(course, modules, audience.id), modules, audience.id))
        text = " ".join(" ".join(_text(path).split()) for path in (built / "central" / audience.id).glob("*.*x"))
        # What the packs may say: a see's text where the target is taught, else its neutral version.
        allowed = {
            " ".join(line.split())
            for see, _, _ in sees
            if (line := see.text if (see.module, see.slide) in taught else see.otherwise)
        }
        for see, module_id, slide in sees:
            if (see.module, see.slide) not in taught and (module_id, slide.id) in taught:
                assert " ".join(see.text.split()) not in text, (audience.id, see.text)
                checked += 1
        for phrase in CROSS_REFERENCES:
            for match in phrase.compiled.finditer(text):
                sentence = _sentence_at(text, match.start())
                assert any(sentence in line or line in sentence for line in allowed), (audience.id, sentence)
    assert checked > 0  # the core and managers' tracks leave targets out


def _sentence_at(text: str, position: int) -> str:
    start = max(text.rfind(". ", 0, position) + 2, 0) if text.rfind(". ", 0, position) != -1 else 0
    end = text.find(".", position)
    return text[start : end + 1 if end != -1 else len(text)].strip()


def test_the_shipped_course_cites_no_repealed_law_as_current(run: Callable[..., Result]) -> None:
    result = run("check", "--workspace", REPO, "--format", "json", "--fail-on", "never")
    assert '"law/repealed"' not in result.stdout
    assert '"xref/plain-text"' not in result.stdout and '"xref/unknown-target"' not in result.stdout
    assert '"track/misconception-unquizzed"' not in result.stdout
