"""Guideline changes: editions, diff, review and upgrade."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import current_fingerprint, findings_of, ref, replace_in, write
from vastbus_cli import fsio

MOD = "curriculum/modules/samtycke.yaml"


def _next_edition(mini: Path, *, hide_change: bool = False) -> None:
    """Add test-2025 after bou-halsa-2023: samtycke renamed, kallelse changed, avvikelser withdrawn."""
    text = (mini / "guidelines/bou-halsa-2023.yaml").read_text(encoding="utf-8")
    head, rest = text.split("sections:\n", 1)
    sections = rest.split("\nchanges:\n", 1)[0]
    head = re.sub(r"(?m)^id: bou-halsa-2023$", "id: test-2025", head)
    head = re.sub(r"(?m)^supersedes: bou-halsa-2021$", "supersedes: bou-halsa-2023", head)
    head = re.sub(r"(?m)^valid_from: 2023-01$", "valid_from: 2025-01-01", head)
    head = re.sub(r"(?m)^adopted: 2023-01$", "adopted: 2025-01-01", head)
    head = head.replace('\nmarkers:\n  - "justera', '\nmarkers:\n  - "testutgåva').split("\nmarkers:")[0] + "\n"
    sections = sections.replace("  - id: samtycke\n", "  - id: samtycke-och-information\n")
    sections = sections.replace(
        "Kallelsen ska ange syfte, långsiktigt mål och vilka frågor mötet ska behandla.",
        "Kallelsen ska ange syfte, långsiktigt mål, frågor och vem som leder mötet.",
    )
    start = sections.index("  - id: avvikelser\n")
    end = sections.index("  - id: utvecklingsomraden\n")
    sections = sections[:start] + sections[end:]
    if hide_change:
        sections = sections.replace("Barn och unga till och med 20 år.", "Barn och unga till och med 21 år.")
    changes = (
        "changes:\n"
        "  - section: samtycke-och-information\n    change: renamed\n    from: samtycke\n"
        '  - section: kallelse\n    change: substantive\n    note: "Kallelsen anger mötesledaren."\n'
        "  - section: avvikelser\n    change: withdrawn\n"
    )
    write(mini / "guidelines/test-2025.yaml", head + "sections:\n" + sections.rstrip("\n") + "\n" + changes)


def _module_citing(mini: Path, sections: list[str]) -> None:
    slides = "".join(
        f'  - id: bild-{name}\n    title: "Om {name}"\n    bullets:\n      - "Text om {name}."\n    refs:\n{ref(name, indent=6)}'
        for name in sections
    )
    write(
        mini / MOD,
        'id: samtycke\ntitle: "Samtycke"\narea: funktion\nbuilt_on: bou-halsa-2023\nminutes: 20\n'
        'objectives:\n  - "Kunna förklara samtycke."\nslides:\n' + slides,
    )


def test_editions_lists_current_and_why(mini: Path, run: Callable[..., Result]) -> None:
    result = run("editions", "--workspace", mini)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("  vastbus-2005")
    current = [line for line in lines if line.startswith("*")]
    assert current == [next(line for line in lines if line.startswith("* bou-halsa-2023"))]
    assert "current: the latest edition valid on" in result.stdout
    data = json.loads(run("editions", "--workspace", mini, "--format", "json", "--as-of", "2022-01-01").stdout)
    assert [row["id"] for row in data if row["current"]] == ["bou-halsa-2021"]


def test_diff_between_editions(mini: Path, run: Callable[..., Result]) -> None:
    _next_edition(mini)
    _module_citing(mini, ["malgrupp", "samtycke", "kallelse", "avvikelser"])
    result = run("diff", "bou-halsa-2023", "test-2025", "--workspace", mini, "--format", "json")
    assert result.exit_code == 0
    by_section = {c["section"]: c for c in json.loads(result.stdout)["sections"]}
    assert by_section["malgrupp"]["kind"] == "unchanged" and by_section["malgrupp"]["diff"] == []
    assert by_section["samtycke"]["kind"] == "renamed"
    assert by_section["samtycke"]["new_ids"] == ["samtycke-och-information"]
    assert by_section["avvikelser"]["kind"] == "withdrawn"
    kallelse = by_section["kallelse"]
    assert kallelse["kind"] == "substantive" and kallelse["declared"]
    assert any(line.startswith("+") and "vem som leder mötet" in line for line in kallelse["diff"])
    assert any(line.startswith("-") and "vilka frågor mötet ska behandla" in line for line in kallelse["diff"])
    assert [c["file"] for c in kallelse["cited_by"]] == [MOD]
    text = run("diff", "bou-halsa-2023", "test-2025", "--workspace", mini, "--changed-only").stdout
    assert "SUBSTANTIVE  kallelse" in text and "UNCHANGED" not in text


def test_diff_flags_a_hidden_change(
    mini: Path, run: Callable[..., Result], check_json: Callable[..., dict[str, Any]]
) -> None:
    _next_edition(mini, hide_change=True)
    result = run("diff", "bou-halsa-2023", "test-2025", "--workspace", mini)
    assert result.exit_code == 1
    assert "SUBSTANTIVE  malgrupp  UNDECLARED" in result.stdout
    assert "+- Barn och unga till och med 21 år." in result.stdout.replace("  +", "+")
    assert findings_of(check_json(mini), "guideline/undeclared-change")


def test_diff_in_the_wrong_order_is_a_usage_error(mini: Path, run: Callable[..., Result]) -> None:
    result = run("diff", "bou-halsa-2023", "bou-halsa-2021", "--workspace", mini)
    assert result.exit_code == 2
    assert "does not follow" in result.stderr


def test_upgrade_moves_restamps_and_lists(
    mini: Path, run: Callable[..., Result], check_json: Callable[..., dict[str, Any]]
) -> None:
    _next_edition(mini)
    _module_citing(mini, ["malgrupp", "samtycke", "kallelse", "avvikelser"])
    dry = run("upgrade", "--to", "test-2025", "--workspace", mini)
    assert dry.exit_code == 0
    assert "dry run" in dry.stderr
    original = (mini / MOD).read_text(encoding="utf-8")
    result = run("upgrade", "--to", "test-2025", "--workspace", mini, "--write")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("restamped malgrupp" in line for line in lines)
    assert any("renamed samtycke: samtycke → samtycke-och-information" in line for line in lines)
    assert any("review kallelse: substantive" in line for line in lines)
    assert any("review avvikelser: withdrawn" in line for line in lines)
    assert any("kept: built_on stays bou-halsa-2023: 2 refs need review" in line for line in lines)
    text = (mini / MOD).read_text(encoding="utf-8")
    assert text != original
    refs = _refs(text)
    # Neither text changed (a fingerprint covers the text, not the id), so the fingerprints stay.
    assert refs["malgrupp"] == ("test-2025", current_fingerprint("malgrupp"))
    assert refs["samtycke-och-information"] == ("test-2025", current_fingerprint("samtycke"))
    assert refs["kallelse"] == ("bou-halsa-2023", current_fingerprint("kallelse"))
    assert refs["avvikelser"] == ("bou-halsa-2023", current_fingerprint("avvikelser"))
    assert "built_on: bou-halsa-2023" in text
    report = check_json(mini)
    assert {f["rule"] for f in report["findings"] if f["file"] == MOD and f["severity"] == "error"} >= {
        "ref/changed-section",
        "ref/withdrawn-section",
    }
    again = run("upgrade", "--to", "test-2025", "--workspace", mini, "--write")
    assert (mini / MOD).read_text(encoding="utf-8") == text
    assert "restamped" not in again.stdout and "renamed" not in again.stdout


def test_upgrade_moves_built_on_when_nothing_needs_review(mini: Path, run: Callable[..., Result]) -> None:
    _next_edition(mini)
    _module_citing(mini, ["malgrupp", "samtycke"])
    result = run("upgrade", "--to", "test-2025", "--workspace", mini, "--write")
    assert result.exit_code == 0
    assert "built_on: test-2025" in (mini / MOD).read_text(encoding="utf-8")
    assert "built_on: test-2025" in (mini / "curriculum/course.yaml").read_text(encoding="utf-8")
    assert "built_on: test-2025" in (mini / "curriculum/local/örgryte-härlanda/lokalt.yaml").read_text(encoding="utf-8")
    second = run("upgrade", "--to", "test-2025", "--workspace", mini, "--write")
    assert "nothing to do" in second.stderr


def _refs(text: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r"- section: (\S+)\n\s+edition: (\S+)\n\s+fingerprint: (\S+)", text)
    return {section: (edition, fp) for section, edition, fp in found}


HANDWRITTEN = """\
# Modul om samtycke – handskriven, med kommentarer.
id: samtycke
title: 'Samtycke'   # enkla citattecken

area: funktion
built_on: bou-halsa-2023
minutes: 20
objectives:
  - "Kunna förklara samtycke."

slides:
  # Första bilden
  - id: kravs
    title: "Ingen SIP utan samtycke"
    bullets:
      - 'En SIP kräver samtycke.'
    refs:
      - section: samtycke      # granskad förra året
        edition: "bou-halsa-2023"
        fingerprint: h1:0123456789abcdef
        reviewed:
          by: "Gammal Granskare"
          on: 2025-01-10
          note: "Första versionen."

      - section: malgrupp
        edition: bou-halsa-2023
        fingerprint: {malgrupp}


  - id: vem
    title: Vem samtycker?
    bullets: ["Vårdnadshavarna."]
    refs:
      - {{section: samtycke, edition: bou-halsa-2023, fingerprint: "{samtycke}", reviewed: {{by: X, on: 2025-01-01}}}}
"""


def test_review_changes_only_that_refs_lines(
    mini: Path, run: Callable[..., Result], check_json: Callable[..., dict[str, Any]]
) -> None:
    original = HANDWRITTEN.format(malgrupp=current_fingerprint("malgrupp"), samtycke=current_fingerprint("samtycke"))
    write(mini / MOD, original)
    assert findings_of(check_json(mini), "ref/suspect")
    result = run(
        "review",
        "--workspace",
        mini,
        "--module",
        "samtycke",
        "--slide",
        "kravs",
        "--section",
        "samtycke",
        "--by",
        "Anna Berg",
        "--on",
        "2026-11-30",
        "--note",
        "Läst mot 2023 års text.",
    )
    assert result.exit_code == 0, result.output
    edited = (mini / MOD).read_text(encoding="utf-8")
    old_lines, new_lines = original.splitlines(keepends=True), edited.splitlines(keepends=True)
    changed = [tag for tag in difflib.SequenceMatcher(a=old_lines, b=new_lines).get_opcodes() if tag[0] != "equal"]
    ref_first, ref_last = 18, 24  # 1-based lines of the reviewed ref in HANDWRITTEN
    for _, a_start, a_end, _, _ in changed:
        assert ref_first - 1 <= a_start and a_end <= ref_last, changed
    assert new_lines[: ref_first - 1] == old_lines[: ref_first - 1]
    assert new_lines[ref_last:][-12:] == old_lines[ref_last:][-12:]
    assert '        edition: "bou-halsa-2023"\n' in edited
    assert f"        fingerprint: {current_fingerprint('samtycke')}\n" in edited
    assert '          by: "Anna Berg"\n          on: 2026-11-30\n          note: "Läst mot 2023 års text."\n' in edited
    assert findings_of(check_json(mini), "ref/suspect") == []
    assert [p.name for p in (mini / "curriculum/modules").iterdir()] == ["samtycke.yaml"]  # nothing left beside it


def test_review_adds_a_missing_record_and_edits_flow_refs(mini: Path, run: Callable[..., Result]) -> None:
    original = HANDWRITTEN.format(malgrupp=current_fingerprint("malgrupp"), samtycke=current_fingerprint("samtycke"))
    write(mini / MOD, original)
    result = run("review", "--workspace", mini, "--section", "malgrupp", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    edited = (mini / MOD).read_text(encoding="utf-8")
    assert (
        f'        fingerprint: {current_fingerprint("malgrupp")}\n        reviewed:\n          by: "Anna"\n'
        "          on: 2026-11-30\n\n\n  - id: vem"
    ) in edited
    result = run("review", "--workspace", mini, "--slide", "vem", "--by", "Bo", "--on", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert 'reviewed: {by: "Bo", on: 2026-12-01}}' in (mini / MOD).read_text(encoding="utf-8")


def test_review_needs_a_selection_and_a_reviewer(mini: Path, run: Callable[..., Result]) -> None:
    assert run("review", "--workspace", mini, "--by", "Anna").exit_code == 2
    assert run("review", "--workspace", mini, "--section", "samtycke").exit_code == 2
    nothing = run("review", "--workspace", mini, "--section", "finns-inte", "--by", "Anna")
    assert nothing.exit_code == 2 and "no ref matches" in nothing.stderr


def test_interrupted_review_leaves_the_file_whole(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (mini / MOD).read_bytes()

    def failing_replace(source: Path, target: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fsio, "replace", failing_replace)
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna")
    assert result.exit_code == 3
    assert "cannot write" in result.stderr
    assert (mini / MOD).read_bytes() == before
    assert not list((mini / "curriculum/modules").glob("*.tmp"))


def test_suspect_ref_hint_shows_the_text_difference(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    _module_citing(mini, ["placerade-barn"])
    replace_in(
        mini / MOD, current_fingerprint("placerade-barn"), current_fingerprint("placerade-barn", "bou-halsa-2021")
    )
    (finding,) = findings_of(check_json(mini), "ref/suspect")
    assert finding["hint"].startswith("reviewed against the text in bou-halsa-2021; changed: ")
    assert "+- En RMR för munhälsa väntades våren 2023." in finding["hint"]
