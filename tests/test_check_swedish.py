"""What `check` finds speaks Swedish by default and English with --lang en; the contract stays the same.

Also: slides no shorter track shows (`track/only-full`), the edition in force suggested for a
missing `built_on`, and the spelling run's progress.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import make_mini, replace_in
from vastbus_cli import api
from vastbus_cli.checks.content import PHRASE_KINDS
from vastbus_cli.phrases import CROSS_REFERENCES, HEDGES

Run = Callable[..., Result]
LOCAL = Path("curriculum/local/örgryte-härlanda/lokalt.yaml")
MODULE = Path("curriculum/modules/samtycke.yaml")

#: Words of the English messages that must not reach a Swedish reader.
ENGLISH = (
    "unknown field",
    "did you mean",
    "missing required field",
    "built on",
    "current edition",
    "misconception '",
    "matched",
    "correct:",
    "nothing it cites changed",
    " in contacts",
)
SWEDISH = (
    "okänt fält 'organization'",
    "menade du 'organisation'?",
    "det obligatoriska fältet 'organisation' saknas",
    "bygger på bou-halsa-2021 men gällande utgåva är bou-halsa-2023",
    "missuppfattning 'bara-komplexa-fall'",
    "matchade 'bara' + 'komplexa'",
)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A workspace with an unknown key, a misconception and a module on an older edition."""
    root = make_mini(tmp_path / "ws", edition="bou-halsa-2021")
    replace_in(root / LOCAL, "organisation:", "organization:")
    replace_in(root / MODULE, "built_on: bou-halsa-2023", "built_on: bou-halsa-2021")
    replace_in(root / MODULE, '"En SIP kräver samtycke."', '"SIP är bara för de mest komplexa fallen."')
    return root


@pytest.mark.usefixtures("swedish")
def test_check_on_a_broken_workspace_speaks_swedish_by_default(broken: Path, run: Run) -> None:
    result = run("check", "--workspace", broken)
    assert result.exit_code == 1
    for words in SWEDISH:
        assert words in result.stdout, words
    for words in ENGLISH:
        assert words not in result.stdout, words


@pytest.mark.usefixtures("swedish")
def test_lang_en_gives_the_english_messages(broken: Path, run: Run) -> None:
    result = run("check", "--workspace", broken, "--lang", "en")
    assert result.exit_code == 1
    for words in ("unknown field 'organization'", "did you mean 'organisation'?", "built on bou-halsa-2021"):
        assert words in result.stdout, words
    for words in SWEDISH:
        assert words not in result.stdout, words


def _contract(report: dict[str, Any]) -> list[tuple[str, str, str, int, int]]:
    return [(f["rule"], f["severity"], f["file"], f["line"], f["column"]) for f in report["findings"]]


@pytest.mark.usefixtures("swedish")
def test_rule_ids_severities_and_places_are_the_same_in_both_languages(broken: Path, run: Run) -> None:
    swedish = json.loads(run("check", "--workspace", broken, "--format", "json").stdout)
    english = json.loads(run("check", "--workspace", broken, "--format", "json", "--lang", "en").stdout)
    assert _contract(swedish) == _contract(english)
    assert {"schema/unknown-key", "schema/missing", "claim/misconception", "edition/outdated"} <= {
        rule for rule, *_ in _contract(swedish)
    }
    assert swedish["summary"] == english["summary"] == {"error": 3, "warning": 1, "info": 0}
    assert [f["message"] for f in swedish["findings"]] != [f["message"] for f in english["findings"]]
    sarif_sv = json.loads(run("check", "--workspace", broken, "--format", "sarif").stdout)
    sarif_en = json.loads(run("check", "--workspace", broken, "--format", "sarif", "--lang", "en").stdout)

    def results(sarif: dict[str, Any]) -> list[tuple[str, str]]:
        return [(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]]

    assert results(sarif_sv) == results(sarif_en) != []


@pytest.mark.usefixtures("swedish")
def test_the_shipped_workspace_reads_swedish(shipped: Path, run: Run) -> None:
    report = json.loads(run("check", "--workspace", shipped, "--format", "json").stdout)
    assert report["findings"], "the shipped workspace has warnings and track infos to read"
    text = " ".join(f"{f['message']} {f['hint'] or ''}" for f in report["findings"])
    for words in (" has not confirmed", " only in the full track", "contact '", " slides ", "the trainer guide"):
        assert words not in text, words
    assert "har inte bekräftat" in text and "finns bara i det fullständiga spåret 'hela'" in text


def test_every_phrase_kind_is_marked_for_the_catalog() -> None:
    assert {phrase.what for phrase in (*HEDGES, *CROSS_REFERENCES)} <= set(PHRASE_KINDS)


# --- track/only-full ---------------------------------------------------------------------------

TWO_TRACKS = """\
tracks:
  - id: hela
    name: "Hela kursen"
    audiences: [bvc]
    budget: 60
    modules:
      - module: samtycke
        minutes: 20
  - id: kort
    name: "Kort"
    audiences: [forskola]
    budget: 60
    modules:
      - module: samtycke
        minutes: 15
        slides: [{slides}]
"""
NEW_SLIDE = """\
  - id: ny-bild
    layout: content
    title: "En ny bild"
    bullets:
      - "Något som alla borde höra."
      - "Och en sak till."
quiz:
"""


def _tracked(root: Path, slides: str, *, new_slide: bool) -> Path:
    course = root / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + TWO_TRACKS.format(slides=slides), encoding="utf-8")
    if new_slide:
        replace_in(root / MODULE, "quiz:\n", NEW_SLIDE)
    return root


def _only_full(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == "track/only-full"]


def test_a_slide_every_shorter_track_lists_is_not_reported(
    tmp_path: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "start, kravs, ny-bild", new_slide=True)
    assert _only_full(check_json(root)) == []


def test_a_new_slide_only_the_full_track_shows_is_one_info_per_module(
    tmp_path: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "start, kravs", new_slide=True)
    found = _only_full(check_json(root))
    assert len(found) == 1, found
    assert found[0]["severity"] == "info" and found[0]["file"] == "curriculum/course.yaml" and found[0]["line"] > 0
    assert "'samtycke'" in found[0]["message"] and "ny-bild" in found[0]["message"]
    assert "'hela'" in found[0]["message"] and "kort" in found[0]["message"]


@pytest.mark.usefixtures("swedish")
def test_the_track_info_is_swedish(tmp_path: Path, run: Run) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "start, kravs", new_slide=True)
    result = run("check", "--workspace", root)
    line = next(line for line in result.stdout.splitlines() if "track/only-full" in line)
    assert "modulen 'samtycke': bilden ny-bild finns bara i det fullständiga spåret 'hela'" in line


def test_a_slide_for_the_full_tracks_audience_only_is_not_reported(
    tmp_path: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "start, kravs", new_slide=True)
    replace_in(root / MODULE, '    title: "En ny bild"\n', '    title: "En ny bild"\n    audiences: [bvc]\n')
    assert _only_full(check_json(root)) == []


# --- schema/missing built_on ------------------------------------------------------------------


def test_a_missing_built_on_suggests_the_edition_in_force(
    mini: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    replace_in(mini / MODULE, "built_on: bou-halsa-2023\n", "")
    found = [f for f in check_json(mini)["findings"] if f["rule"] == "schema/missing"]
    assert [f["hint"] for f in found] == ["add 'built_on: bou-halsa-2023'"]
    earlier = [f for f in check_json(mini, "--as-of", "2022-06-01")["findings"] if f["rule"] == "schema/missing"]
    assert [f["hint"] for f in earlier] == ["add 'built_on: bou-halsa-2021'"]


def test_another_missing_field_keeps_its_placeholder(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MODULE, "minutes: 20\n", "")
    found = [f for f in check_json(mini)["findings"] if f["rule"] == "schema/missing"]
    assert [f["hint"] for f in found] == ["add 'minutes: ...'"]


@pytest.mark.usefixtures("swedish")
def test_the_built_on_suggestion_is_swedish(mini: Path, run: Run) -> None:
    replace_in(mini / MODULE, "built_on: bou-halsa-2023\n", "")
    assert "(lägg till 'built_on: bou-halsa-2023')" in run("check", "--workspace", mini).stdout


# --- spelling progress ------------------------------------------------------------------------


@pytest.mark.slow
def test_spelling_reports_progress_while_it_builds_its_cache_and_not_after(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    heard: list[tuple[int, int]] = []
    api.check(api.open_workspace(mini), spelling=True, progress=lambda done, total: heard.append((done, total)))
    assert heard and heard[0][0] == 0, "told before the dictionary loads"
    total = heard[0][1]
    assert total > 0 and heard[-1] == (total, total)
    assert [done for done, _total in heard] == sorted(done for done, _total in heard)
    again: list[tuple[int, int]] = []
    api.check(api.open_workspace(mini), spelling=True, progress=lambda done, total: again.append((done, total)))
    assert again == [], "a warm cache looks nothing up, so no bar"


@pytest.mark.slow
def test_spelling_keeps_stdout_to_the_report(mini: Path, tmp_path: Path, run: Run) -> None:
    result = run(
        "check", "--workspace", mini, "--spelling", "--format", "json", env_extra={"XDG_CACHE_HOME": str(tmp_path)}
    )
    assert json.loads(result.stdout)["summary"]
