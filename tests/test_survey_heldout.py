"""`vastbus survey import` on the held-out exports (tests/data/survey_heldout, written blind, never edited).

The set and its expected counts were written from the import contract before the importer
existed, by someone who never saw its code; nothing here may be changed to make the importer
pass. Each file is imported into a fresh copy of the shipped workspace; the stored groups must
be exactly the expected ones (as a set), nothing personal may reach the stored file or the
output, and the refused files must be refused naming what is wrong, with nothing stored.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import Result

HELDOUT = Path(__file__).resolve().parent / "data" / "survey_heldout"
EXPECTED: dict[str, Any] = YAML(typ="safe").load((HELDOUT / "expected.yaml").read_text(encoding="utf-8"))
CASES = {entry["file"]: entry for entry in EXPECTED["files"]}


def _stored(workspace: Path) -> list[Path]:
    return sorted((workspace / "curriculum" / "surveys").rglob("*.yaml"))


def _groups(paths: list[Path]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for path in paths:
        groups += YAML(typ="safe").load(path.read_text(encoding="utf-8"))["groups"]
    return groups


def _key(group: dict[str, Any]) -> tuple[str, str, str, str]:
    return (group["district"], group["audience"], group["phase"], str(group["date"]))


def _import(run: Callable[..., Result], workspace: Path, case: dict[str, Any], tmp_path: Path) -> Result:
    export = tmp_path / case["file"]
    shutil.copyfile(HELDOUT / case["file"], export)
    args: list[Any] = ["survey", "import", export, "--phase", case["phase"], "-w", workspace]
    if case.get("date"):
        args += ["--date", case["date"]]
    return run(*args)


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case["expect"] == "ok"])
def test_a_held_out_export_is_stored_as_exactly_its_counts(
    name: str, shipped: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    case = CASES[name]
    result = _import(run, shipped, case, tmp_path)
    assert result.exit_code == case["exit"], result.output
    stored = _stored(shipped)
    assert len(stored) == 1, stored
    got = {_key(group): group for group in _groups(stored)}
    want = {_key(group): group for group in case["groups"]}
    assert got.keys() == want.keys()
    for key, group in want.items():
        assert got[key]["respondents"] == group["respondents"], key
        assert got[key]["answers"] == group["answers"], key
    text = stored[0].read_text(encoding="utf-8")
    for personal in case.get("personal", []):
        for line in str(personal).splitlines():
            if line.strip():
                assert line.strip() not in text, f"{line!r} was stored"
                assert line.strip() not in result.output, f"{line!r} was printed"
    for respondent in case.get("respondent_ids", []):
        assert str(respondent) not in text
    for heading in case.get("dropped", []):
        assert heading in result.output, f"the output does not say that {heading!r} was dropped"


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case["expect"] == "refused"])
def test_a_held_out_export_that_cannot_be_placed_is_refused_and_nothing_stored(
    name: str, shipped: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    case = CASES[name]
    result = _import(run, shipped, case, tmp_path)
    assert result.exit_code == case["exit"], result.output
    assert case["must_name"] in result.output
    assert "Traceback" not in result.output
    assert _stored(shipped) == []


def test_the_held_out_set_is_what_was_committed() -> None:
    """The set is not edited after the fact: each export still has the digest its expectation names."""
    import hashlib

    for name, case in CASES.items():
        if "digest" in case:
            assert hashlib.sha256((HELDOUT / name).read_bytes()).hexdigest() == case["digest"], name
