"""--district/-d and --audience/-a: the start of an id or a name will do; shell completion offers the ids."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import replace_in
from vastbus_cli.cli import app


@pytest.fixture
def named(mini: Path) -> Path:
    """The small workspace with audiences named as the course names them, and a district Centrum."""
    course = mini / "curriculum" / "course.yaml"
    replace_in(course, 'name: "BVC"', 'name: "Barnavårdscentral (BVC)"')
    replace_in(course, 'name: "Förskola"', 'name: "Barn i förskola"')
    replace_in(
        mini / "curriculum" / "districts.yaml", "districts:\n", 'districts:\n  - id: centrum\n    name: "Centrum"\n'
    )
    return mini


def _build(run: Callable[..., Result], workspace: Path, out: Path, *selection: str) -> Result:
    return run("build", "-w", workspace, "--out", out, "--format", "pptx", "--jobs", "1", *selection)


def test_a_unique_start_of_a_name_or_an_id_is_taken(named: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    built = _build(run, named, tmp_path / "ut", "-d", "Örgryte", "-a", "Barnavårdscentral")
    assert built.exit_code == 0, built.output
    assert (tmp_path / "ut" / "örgryte-härlanda" / "bvc" / "slides.pptx").is_file()
    again = _build(run, named, tmp_path / "ut", "-d", "ANG", "-a", "barnav", "-a", "bvc")
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in (tmp_path / "ut").iterdir() if p.is_dir()) == ["angered", "örgryte-härlanda"]
    assert not (tmp_path / "ut" / "angered" / "forskola").exists(), "one pack for the same audience named twice"


@pytest.mark.parametrize(
    ("selection", "line"),
    [
        (("-d", "cen"), "error: 'cen' could be more than one district: central, centrum (Centrum); write more"),
        (
            ("-a", "barn"),
            "error: 'barn' could be more than one audience: bvc (Barnavårdscentral (BVC)), forskola (Barn i förskola);",
        ),
    ],
)
def test_a_start_that_fits_several_is_a_usage_error_naming_them_in_one_line(
    named: Path, run: Callable[..., Result], tmp_path: Path, selection: tuple[str, ...], line: str
) -> None:
    result = _build(run, named, tmp_path / "ut", *selection)
    assert result.exit_code == 2
    assert result.stderr.startswith(line) and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "ut").exists()


def test_a_whole_name_wins_over_the_start_of_another(named: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    districts = named / "curriculum" / "districts.yaml"
    replace_in(districts, "districts:\n", 'districts:\n  - id: angered-norr\n    name: "Angered Norr"\n')
    built = _build(run, named, tmp_path / "ut", "-d", "Angered", "-a", "bvc")
    assert built.exit_code == 0, built.output
    assert [p.name for p in (tmp_path / "ut").iterdir() if p.is_dir()] == ["angered"]


@pytest.mark.parametrize(
    ("selection", "words"),
    [
        (("-a", "xyz"), ["unknown audience 'xyz'", "known: bvc, forskola"]),
        (("-d", "Angred"), ["unknown district 'Angred'", "did you mean 'Angered'?"]),
    ],
)
def test_an_unknown_name_keeps_its_error_and_suggestion(
    named: Path, run: Callable[..., Result], tmp_path: Path, selection: tuple[str, ...], words: list[str]
) -> None:
    result = _build(run, named, tmp_path / "ut", *selection)
    assert result.exit_code == 2
    for word in words:
        assert word in result.stderr


# --- shell completion ----------------------------------------------------------------------------


def _complete(*words: str | Path) -> Result:
    """What bash is offered for the last of ``words`` (Click's completion protocol, as the shell runs it)."""
    line = " ".join(shlex.quote(str(word)) if word else "" for word in ("vastbus", *words))
    env = {"_VASTBUS_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words))}
    return CliRunner().invoke(app, [], env=env, prog_name="vastbus")


def test_completion_offers_district_and_audience_ids_of_the_workspace_given(named: Path) -> None:
    districts = _complete("build", "-w", named, "-d", "")
    assert districts.exit_code == 0, districts.output
    assert districts.stdout.split() == ["central", "centrum", "örgryte-härlanda", "angered"]
    assert _complete("build", "--workspace", named, "--district", "ö").stdout.split() == ["örgryte-härlanda"]
    assert _complete("build", "-w", named, "-a", "").stdout.split() == ["bvc", "forskola"]
    assert _complete("build", "-w", named, "-a", "b").stdout.split() == ["bvc"]


def test_completion_finds_the_workspace_from_the_current_folder(named: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(named / "curriculum")
    assert _complete("build", "--audience", "f").stdout.split() == ["forskola"]


def test_completion_offers_nothing_and_says_nothing_without_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for words in (("build", "-d", ""), ("build", "-w", tmp_path / "ingen", "-a", "")):
        result = _complete(*words)
        assert result.exit_code == 0
        assert result.stdout.strip() == "" and result.stderr == ""


def test_completion_offers_nothing_when_the_file_does_not_load(named: Path) -> None:
    (named / "curriculum" / "districts.yaml").write_text("districts: [ {id: \n", encoding="utf-8")
    result = _complete("build", "-w", named, "-d", "")
    assert result.exit_code == 0
    assert result.stdout.strip() == "" and result.stderr == ""
    assert _complete("build", "-w", named, "-a", "").stdout.split() == ["bvc", "forskola"], "the course still loads"
