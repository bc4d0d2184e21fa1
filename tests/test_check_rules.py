"""Every check rule: the small valid workspace passes it, a one-line mistake fails it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MODULE, current_fingerprint, findings_of, ref, replace_in, rules_of, write

MOD = "curriculum/modules/samtycke.yaml"
COURSE = "curriculum/course.yaml"
LOCAL = "curriculum/local/örgryte-härlanda/lokalt.yaml"
G2023 = "guidelines/bou-halsa-2023.yaml"
G2021 = "guidelines/bou-halsa-2021.yaml"


def test_small_workspace_is_clean(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    report = check_json(mini)
    assert report["findings"] == []
    assert report["edition"] == "bou-halsa-2023"
    assert report["exit_code"] == 0


# (rule, file, old text, new text, expected line or None)
MISTAKES: list[tuple[str, str, str, str, str, int | None]] = [
    ("tab", "yaml/tab", MOD, "  - id: kravs", "\t- id: kravs", 12),
    ("duplicate key", "yaml/duplicate-key", MOD, "minutes: 20\n", "minutes: 20\nminutes: 25\n", 6),
    ("syntax", "yaml/syntax", MOD, 'title: "Samtycke"\narea', 'title: "Samtycke\narea', None),
    ("unknown key", "schema/unknown-key", MOD, "objectives:", "objektives:", 6),
    ("missing field", "schema/missing", MOD, "area: funktion\n", "", 1),
    ("wrong type", "schema/type", MOD, "minutes: 20", "minutes: [20]", 5),
    ("bad value", "schema/value", MOD, "area: funktion", "area: funktioner", 3),
    ("bad date", "schema/value", MOD, "on: 2026-11-22}", "on: 2026-13-40}", 26),
    ("bad id", "schema/value", MOD, "id: kravs", "id: Krav S", 12),
    ("unknown section", "ref/unknown-section", MOD, "section: samtycke", "section: samtyck", 23),
    ("unknown ref edition", "ref/unknown-edition", MOD, "edition: bou-halsa-2023\n", "edition: bou-halsa-2099\n", 24),
    ("suspect fingerprint", "ref/suspect", MOD, current_fingerprint("samtycke"), "h1:0123456789abcdef", 25),
    ("no review", "ref/unreviewed", MOD, "        reviewed: {by: Testare, on: 2026-11-22}\n", "", 23),
    ("unknown built_on", "edition/unknown", MOD, "built_on: bou-halsa-2023", "built_on: bou-halsa-2099", 4),
    ("course on 2012", "edition/outdated", COURSE, "built_on: bou-halsa-2023", "built_on: vastbus-2012", 4),
    ("local on 2012", "edition/outdated", LOCAL, "built_on: bou-halsa-2023", "built_on: vastbus-2012", 2),
    ("outdated term", "term/outdated", MOD, '"En SIP kräver samtycke."', '"Ett Västbusmöte kräver samtycke."', 16),
    (
        "misconception",
        "claim/misconception",
        MOD,
        '"En SIP kräver samtycke."',
        '"Västbus är bara för de mest komplexa fallen."',
        16,
    ),
    ("unknown module", "course/unknown-module", COURSE, "  - samtycke", "  - samtyke", 12),
    ("duplicate slide", "id/duplicate", MOD, "id: kravs", "id: start", 9),
    ("unknown audience", "audience/unknown", MOD, "      bvc:", "      bvcc:", 21),
    ("quiz answer", "quiz/answer", MOD, "answer: 2", "answer: 3", None),
    ("empty title", "a11y/missing-title", MOD, 'title: "Ingen SIP utan samtycke"', 'title: " "', 14),
    ("layout", "slide/layout", MOD, "layout: content", "layout: two-content", 13),
    ("local district", "local/district-mismatch", LOCAL, "district: örgryte-härlanda", "district: angered", 1),
    ("local after", "local/unknown-module", LOCAL, "after: samtycke", "after: sip", 4),
    (
        "unknown discusses",
        "discusses/unknown",
        MOD,
        "    layout: content\n",
        "    layout: content\n    discusses: [okand]\n",
        14,
    ),
    ("unknown claim", "claim/unknown", MOD, "quiz:", "misconceptions:\n  - claim: okand\n    answer: x\nquiz:", 29),
    (
        "undeclared change",
        "guideline/undeclared-change",
        G2023,
        "Ingen SIP utan samtycke.",
        "Ingen SIP utan skriftligt samtycke.",
        None,
    ),
    (
        "bad crosswalk",
        "guideline/bad-crosswalk",
        G2023,
        "  - section: placerade-barn\n    change: substantive",
        "  - section: placerad-barn\n    change: substantive",
        None,
    ),
    (
        "claim example",
        "guideline/claim-example",
        G2021,
        '- "SIP är bara för vuxna."',
        '- "Det regnar i Göteborg."',
        None,
    ),
    (
        "unknown supersedes",
        "guideline/unknown-supersedes",
        G2023,
        "supersedes: bou-halsa-2021",
        "supersedes: bou-halsa-2020",
        15,  # line 1 is the yaml-language-server line
    ),
]


@pytest.mark.parametrize(("name", "rule", "file", "old", "new", "line"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistake_is_found(
    mini: Path,
    check_json: Callable[..., dict[str, Any]],
    name: str,
    rule: str,
    file: str,
    old: str,
    new: str,
    line: int | None,
) -> None:
    replace_in(mini / file, old, new)
    report = check_json(mini, "--fail-on", "warning")
    found = findings_of(report, rule)
    assert found, f"{rule} not reported; got {rules_of(report)}"
    assert report["exit_code"] == 1
    assert any(f["file"] == file for f in found), found
    if line is not None:
        assert any(f["line"] == line for f in found), found


def test_term_position_is_inside_the_text(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MOD, '"En SIP kräver samtycke."', '"Ett Västbusmöte kräver samtycke."')
    (finding,) = findings_of(check_json(mini), "term/outdated")
    assert (finding["line"], finding["column"]) == (16, 14)
    assert "SIP-möte" in finding["message"]
    assert finding["severity"] == "error"


def test_term_in_folded_block_scalar_points_at_the_word(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(
        mini / MOD,
        "      Fråga gruppen hur de brukar be om samtycke.\n",
        "      Fråga gruppen hur de brukar be om samtycke\n      inför ett\n      Västbusmöte.\n",
    )
    (finding,) = findings_of(check_json(mini), "term/outdated")
    assert (finding["line"], finding["column"]) == (21, 7)


def test_discusses_allows_quoting_on_purpose(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MOD, '"En SIP kräver samtycke."', '"Det som förr hette Västbusmöte heter nu SIP-möte."')
    replace_in(mini / MOD, "    layout: content\n", "    layout: content\n    discusses: [vastbusmote]\n")
    assert check_json(mini)["findings"] == []


def test_unused_discusses_is_info(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MOD, "    layout: content\n", "    layout: content\n    discusses: [vastbusmote]\n")
    report = check_json(mini)
    assert [f["severity"] for f in findings_of(report, "discusses/unused")] == ["info"]
    assert report["exit_code"] == 0


def test_unknown_key_suggests_the_field(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    (finding,) = findings_of(check_json(mini), "schema/unknown-key")
    assert finding["hint"] == "did you mean 'objectives'?"
    assert (finding["line"], finding["column"]) == (6, 1)


def test_unknown_section_suggests_a_close_id(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MOD, "section: samtycke", "section: samtyck")
    (finding,) = findings_of(check_json(mini), "ref/unknown-section")
    assert finding["hint"] == "did you mean 'samtycke'?"


def test_all_problems_are_reported_together(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    replace_in(mini / MOD, "section: samtycke", "section: samtyck")
    replace_in(mini / LOCAL, "after: samtycke", "after: sip")
    replace_in(mini / COURSE, "built_on: bou-halsa-2023", "built_on: vastbus-2012")
    rules = rules_of(check_json(mini))
    assert {"schema/unknown-key", "schema/missing", "local/unknown-module", "edition/outdated"} <= rules


def _module_with(mini: Path, refs: str, built_on: str = "bou-halsa-2023") -> None:
    text = MODULE.format(refs=refs).replace("built_on: bou-halsa-2023", f"built_on: {built_on}")
    write(mini / MOD, text)


def test_ref_to_withdrawn_section(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    # The shipped crosswalk says the fate of 'vardegrund' is unverified; declared withdrawn, it is an error.
    replace_in(
        mini / G2021,
        "  - section: vardegrund\n    change: unverified\n",
        "  - section: vardegrund\n    change: withdrawn\n",
    )
    _module_with(mini, ref("vardegrund", "vastbus-2012"), "vastbus-2012")
    report = check_json(mini)
    assert findings_of(report, "ref/withdrawn-section")
    (outdated,) = findings_of(report, "edition/outdated")
    assert outdated["severity"] == "error"


def test_ref_to_substantively_changed_section(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    _module_with(mini, ref("placerade-barn", "bou-halsa-2021"), "bou-halsa-2021")
    report = check_json(mini)
    (changed,) = [f for f in findings_of(report, "ref/changed-section") if f["line"] == 23]
    assert "substantive" in changed["message"]
    assert {f["severity"] for f in findings_of(report, "edition/outdated")} == {"error"}


def test_older_edition_where_nothing_cited_changed_is_a_warning(
    mini: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    _module_with(mini, ref("samtycke", "bou-halsa-2021"), "bou-halsa-2021")
    report = check_json(mini)
    (outdated,) = [f for f in findings_of(report, "edition/outdated") if f["file"] == MOD]
    assert outdated["severity"] == "warning"
    assert "nothing it cites changed" in outdated["message"]
    assert report["summary"]["error"] == 0
    assert report["exit_code"] == 0


def test_ref_on_older_edition_in_current_material_is_a_warning(
    mini: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    _module_with(mini, ref("samtycke", "bou-halsa-2021"))
    report = check_json(mini)
    assert {f["severity"] for f in findings_of(report, "ref/outdated-edition")} == {"warning"}
    assert report["summary"]["error"] == 0


def test_image_rules(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    image = '    image:\n      path: {path}\n      alt: "{alt}"\n    refs:\n'
    text = (mini / MOD).read_text(encoding="utf-8")
    outside = text.replace("    refs:\n", image.format(path="../../hemlig.png", alt="Bild"), 1)
    (mini / MOD).write_text(outside, encoding="utf-8")
    assert findings_of(check_json(mini), "path/outside-workspace")
    missing_alt = text.replace("    refs:\n", image.format(path="templates/saknas.png", alt=" "), 1)
    (mini / MOD).write_text(missing_alt, encoding="utf-8")
    report = check_json(mini)
    assert findings_of(report, "a11y/missing-alt")
    assert findings_of(report, "path/missing-file")
    write(mini / "templates" / "steg.png", "not really a png")
    fake = text.replace("    refs:\n", image.format(path="templates/steg.png", alt="De sex stegen i SIP-processen"), 1)
    (mini / MOD).write_text(fake, encoding="utf-8")
    assert findings_of(check_json(mini), "path/not-an-image")
    good = text.replace("    refs:\n", image.format(path="templates/images/sip-steg.png", alt="De sex stegen"), 1)
    (mini / MOD).write_text(good, encoding="utf-8")
    assert check_json(mini)["findings"] == []


def test_local_folder_must_be_a_district(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    shutil.move(mini / "curriculum/local/örgryte-härlanda", mini / "curriculum/local/okänt")
    replace_in(mini / "curriculum/local/okänt/lokalt.yaml", "district: örgryte-härlanda", "district: okänt")
    assert findings_of(check_json(mini), "local/unknown-district")


def test_unlisted_module_is_a_warning(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    write(
        mini / "curriculum/modules/extra.yaml",
        MODULE.format(refs=ref("samtycke")).replace("id: samtycke", "id: extra", 1),
    )
    report = check_json(mini)
    assert [f["severity"] for f in findings_of(report, "course/unlisted-module")] == ["warning"]
    assert report["exit_code"] == 0


def test_duplicate_edition_id(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    shutil.copy(mini / G2023, mini / "guidelines/kopia.yaml")
    report = check_json(mini)
    assert findings_of(report, "id/duplicate")
    assert findings_of(report, "guideline/file-name")


def test_undeclared_removal(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    replace_in(
        mini / G2021,
        "  - section: vardegrund\n    change: unverified\n",
        "  - section: utvecklingsomraden\n    change: new\n",
    )
    assert findings_of(check_json(mini), "guideline/undeclared-removal")
