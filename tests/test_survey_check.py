"""``check`` on the knowledge survey: items that no longer match the course, results that name the unknown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import findings_of, replace_in, write

SURVEY = """\
# yaml-language-server: $schema=schemas/survey.schema.json
id: kunskap-2026
title: "Vad vet du om samverkan kring barn och unga?"
built_on: bou-halsa-2023
course_version: "1.0.0"
items:
  - id: mote-utan-samtycke
    claim: mote-utan-samtycke
    text: "Man kan hålla mötet eller dela information utan samtycke."
    right: "stammer-inte"
  - id: quiz-vem
    quiz: samtycke/vem
    text: "Vem samtycker för ett barn?"
    options: ["Rektorn", "Vårdnadshavarna"]
    right: "2"
"""

RESULTS = """\
# yaml-language-server: $schema=../../schemas/survey-results.schema.json
survey: kunskap-2026
source: "Kunskapsenkät före.xlsx"
digest: "9f2c4b7e0d1a3c5b6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f"
imported: 2026-11-22
groups:
  - district: angered
    audience: bvc
    phase: före
    date: 2026-11-20
    respondents: 3
    answers:
      mote-utan-samtycke: {stammer: 1, stammer-inte: 1, vet-inte: 1, blank: 0}
      quiz-vem: {"1": 0, "2": 2, vet-inte: 0, blank: 1}
"""

Check = Callable[..., dict[str, Any]]


def survey_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings of the survey's rules, and any about its files."""
    return [f for f in report["findings"] if f["rule"].startswith("survey/") or "survey" in f["file"]]


@pytest.fixture
def with_survey(mini: Path) -> Path:
    write(mini / "curriculum" / "survey.yaml", SURVEY)
    write(mini / "curriculum" / "surveys" / "kunskap-2026" / "fore.yaml", RESULTS)
    return mini


def test_a_survey_that_matches_the_course_has_no_findings(with_survey: Path, check_json: Check) -> None:
    assert survey_findings(check_json(with_survey)) == []


def test_an_item_whose_misconception_the_edition_lacks_is_stale(with_survey: Path, check_json: Check) -> None:
    replace_in(with_survey / "curriculum" / "survey.yaml", "claim: mote-utan-samtycke", "claim: finns-inte-langre")
    (finding,) = findings_of(check_json(with_survey), "survey/stale-item")
    assert finding["severity"] == "warning"
    assert finding["file"] == "curriculum/survey.yaml"
    assert "'mote-utan-samtycke'" in finding["message"]
    assert "no longer has the misconception 'finns-inte-langre'" in finding["message"]


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("quiz: samtycke/vem", "quiz: samtycke/borta", "has no quiz question 'borta'"),
        ("quiz: samtycke/vem", "quiz: saknas/vem", "the module 'saknas' does not exist"),
        ('text: "Vem samtycker för ett barn?"', 'text: "Vem samtycker?"', "now reads: Vem samtycker för ett barn?"),
        ('["Rektorn", "Vårdnadshavarna"]', '["Läraren", "Vårdnadshavarna"]', "options of the quiz question"),
        ('right: "2"', 'right: "1"', "is now option 2"),
    ],
)
def test_a_question_that_no_longer_repeats_its_quiz_question_is_stale(
    with_survey: Path, check_json: Check, old: str, new: str, why: str
) -> None:
    replace_in(with_survey / "curriculum" / "survey.yaml", old, new)
    (finding,) = findings_of(check_json(with_survey), "survey/stale-item")
    assert "'quiz-vem'" in finding["message"]
    assert why in finding["message"]


def test_a_reworded_misconception_is_only_noted(with_survey: Path, check_json: Check) -> None:
    replace_in(
        with_survey / "curriculum" / "survey.yaml",
        '"Man kan hålla mötet eller dela information utan samtycke."',
        '"Man kan hålla ett SIP-möte utan samtycke."',
    )
    report = check_json(with_survey)
    assert findings_of(report, "survey/stale-item") == []
    (finding,) = findings_of(report, "survey/reworded")
    assert finding["severity"] == "info"
    assert "Man kan hålla mötet eller dela information utan samtycke." in finding["message"]


def test_a_survey_from_an_older_edition_is_outdated(with_survey: Path, check_json: Check) -> None:
    replace_in(with_survey / "curriculum" / "survey.yaml", "built_on: bou-halsa-2023", "built_on: bou-halsa-2021")
    (finding,) = findings_of(check_json(with_survey), "survey/outdated")
    assert finding["severity"] == "warning"
    assert "bou-halsa-2021" in finding["message"] and "bou-halsa-2023" in finding["message"]
    replace_in(with_survey / "curriculum" / "survey.yaml", "built_on: bou-halsa-2021", "built_on: bou-halsa-2099")
    (unknown,) = findings_of(check_json(with_survey), "survey/unknown-edition")
    assert unknown["severity"] == "error"


@pytest.mark.parametrize(
    ("old", "new", "rule", "named"),
    [
        ("survey: kunskap-2026", "survey: kunskap-2025", "survey/unknown-survey", "kunskap-2025"),
        ("      quiz-vem:", "      quiz-okand:", "survey/unknown-item", "quiz-okand"),
        ("district: angered", "district: angerred", "survey/unknown-district", "angerred"),
        ("audience: bvc", "audience: skola", "survey/unknown-audience", "skola"),
        ('{"1": 0, "2": 2,', '{"1": 0, "3": 2,', "survey/unknown-answer", "'3'"),
    ],
)
def test_results_that_name_what_the_workspace_lacks_are_errors(
    with_survey: Path, check_json: Check, old: str, new: str, rule: str, named: str
) -> None:
    replace_in(with_survey / "curriculum" / "surveys" / "kunskap-2026" / "fore.yaml", old, new)
    report = check_json(with_survey)
    (finding,) = findings_of(report, rule)
    assert finding["severity"] == "error"
    assert finding["file"] == "curriculum/surveys/kunskap-2026/fore.yaml"
    assert named in finding["message"]
    assert report["exit_code"] == 1


def test_counts_that_do_not_add_up_are_refused(with_survey: Path, check_json: Check) -> None:
    replace_in(
        with_survey / "curriculum" / "surveys" / "kunskap-2026" / "fore.yaml",
        "vet-inte: 1, blank: 0",
        "vet-inte: 2, blank: 0",
    )
    report = check_json(with_survey)
    (finding,) = [f for f in report["findings"] if f["file"].endswith("fore.yaml")]
    assert finding["severity"] == "error" and "add up to 4" in finding["message"]


@pytest.mark.usefixtures("swedish")
def test_the_finding_is_in_swedish(with_survey: Path, run: Callable[..., Any]) -> None:
    replace_in(with_survey / "curriculum" / "survey.yaml", "claim: mote-utan-samtycke", "claim: finns-inte-langre")
    result = run("check", "--workspace", with_survey)
    line = next(line for line in result.output.splitlines() if "survey/stale-item" in line)
    assert "stämmer inte längre med kursen" in line


def test_an_item_whose_misconception_was_removed_from_the_edition_is_reported(shipped: Path, check_json: Check) -> None:
    """The issue's done-when, on a copy of the shipped workspace: remove a misconception the survey tests."""
    assert findings_of(check_json(shipped), "survey/stale-item") == []
    edition = shipped / "guidelines" / "bou-halsa-2021.yaml"
    text = edition.read_text(encoding="utf-8")
    start = text.index("  - id: inte-vart-arende\n")
    following = re.compile(r"^  - id: ", re.MULTILINE).search(text, start + 1)
    end = following.start() if following else len(text)
    edition.write_text(text[:start] + text[end:], encoding="utf-8")
    stale = findings_of(check_json(shipped), "survey/stale-item")
    assert [f["file"] for f in stale] == ["curriculum/survey.yaml"]
    assert "survey item 'inte-vart-arende'" in stale[0]["message"]
    assert "no longer has the misconception 'inte-vart-arende'" in stale[0]["message"]
