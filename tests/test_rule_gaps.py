"""Rules no other test produced: each has a workspace that fires it and a near twin that does not.

Every case starts from the small workspace of ``conftest.make_mini`` (clean: no findings),
makes one change, runs ``check --format json`` and looks for the rule by id, file and line.
The passing twin makes the closest change that is not the mistake, so that it runs the
same code path and would fail if the rule fired too eagerly.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import findings_of, ref, replace_in

Check = Callable[..., dict[str, Any]]

MOD = "curriculum/modules/samtycke.yaml"
LOCAL = "curriculum/local/örgryte-härlanda/lokalt.yaml"
COURSE = "curriculum/course.yaml"
G2021 = "guidelines/bou-halsa-2021.yaml"
G2023 = "guidelines/bou-halsa-2023.yaml"
SLIDES = "templates/slides.pptx"


def _line_of(path: Path, text: str) -> int:
    """1-based line of the first line containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def _fired(report: dict[str, Any], rule: str, exit_code: int = 1) -> dict[str, Any]:
    """The one finding of ``rule``; exit code 1 with an error, 0 with warnings only."""
    found = findings_of(report, rule)
    assert len(found) == 1, report["findings"]
    assert report["exit_code"] == exit_code
    return found[0]


def _absent(report: dict[str, Any], rule: str) -> None:
    assert findings_of(report, rule) == [], report["findings"]


# --- a11y/alt-is-file-name ------------------------------------------------------------------

IMAGE = "    image:\n      path: templates/images/sip-steg.png\n      alt: {alt}\n"


def _with_image(root: Path, alt: str) -> Path:
    module = root / MOD
    replace_in(module, "    refs:\n", IMAGE.format(alt=alt) + "    refs:\n")
    return module


def test_alt_text_that_is_a_file_name_is_a_warning(mini: Path, check_json: Check) -> None:
    module = _with_image(mini, '"SIP-steg.PNG"')
    report = check_json(mini)
    finding = _fired(report, "a11y/alt-is-file-name", exit_code=0)
    assert report["findings"] == [finding]
    assert (finding["file"], finding["line"], finding["severity"]) == (MOD, _line_of(module, "alt:"), "warning")
    assert "'kravs'" in finding["message"]


def test_alt_text_that_describes_the_picture_passes(mini: Path, check_json: Check) -> None:
    # It names the picture's file type in passing, but does not end like a file name.
    _with_image(mini, '"De sex stegen i SIP-processen, som png-bilden i mappen visar"')
    report = check_json(mini)
    _absent(report, "a11y/alt-is-file-name")
    assert report["findings"] == []


# --- diagram/no-tracker ---------------------------------------------------------------------

DIAGRAM = """\
diagrams:
  - id: steg
    kind: steps
    title: "Tre steg"
    alt: "Tre steg: fråga, samtyck, kalla."
    items:
      - label: "Fråga"
      - label: "Samtyck"
      - label: "Kalla"
"""


def _with_step(root: Path, tracker: str) -> Path:
    """Declare a steps diagram in the module, name ``tracker`` (if any) and put slide 'kravs' on step 2."""
    module = root / MOD
    replace_in(module, "minutes: 20\n", "minutes: 20\n" + tracker + DIAGRAM)
    replace_in(module, '    title: "Ingen SIP utan samtycke"\n', '    title: "Ingen SIP utan samtycke"\n    step: 2\n')
    return module


def test_a_step_in_a_module_without_a_tracker_is_an_error(mini: Path, check_json: Check) -> None:
    module = _with_step(mini, tracker="")
    finding = _fired(check_json(mini), "diagram/no-tracker")
    assert (finding["file"], finding["line"], finding["severity"]) == (MOD, _line_of(module, "step: 2"), "error")
    assert "'kravs'" in finding["message"] and "tracker" in finding["hint"]


def test_a_step_in_a_module_with_a_tracker_passes(mini: Path, check_json: Check) -> None:
    _with_step(mini, tracker="tracker: steg\n")
    report = check_json(mini)
    _absent(report, "diagram/no-tracker")
    assert report["findings"] == []


def test_a_tracker_of_the_wrong_kind_is_one_finding_not_one_per_step(mini: Path, check_json: Check) -> None:
    # The module names a tracker that is not a steps diagram: diagram/unknown says so once; the
    # slides' steps are not also told "its module has no 'tracker'", which would be false.
    _with_step(mini, tracker="tracker: nagot-annat\n")
    rules = [f["rule"] for f in check_json(mini)["findings"]]
    assert rules.count("diagram/unknown") == 1
    assert "diagram/no-tracker" not in rules


# --- guideline/undeclared-new ---------------------------------------------------------------

NEW_SECTION = """\
  - id: ny-samverkansdel
    title: "En ny del om samverkan"
    summary: >-
      Överenskommelsen beskriver hur parterna följer upp samverkan tillsammans.
    key_points:
      - "Parterna följer upp samverkan gemensamt."
    sources: [S7]
"""


def _with_new_section(root: Path) -> Path:
    edition = root / G2023
    replace_in(edition, "  - id: utvecklingsomraden\n", NEW_SECTION + "  - id: utvecklingsomraden\n")
    return edition


def test_a_new_section_the_crosswalk_does_not_declare_is_a_warning(mini: Path, check_json: Check) -> None:
    edition = _with_new_section(mini)
    report = check_json(mini)
    finding = _fired(report, "guideline/undeclared-new", exit_code=0)
    assert report["findings"] == [finding]
    line = _line_of(edition, "- id: ny-samverkansdel")
    assert (finding["file"], finding["line"], finding["severity"]) == (G2023, line, "warning")
    assert "'ny-samverkansdel'" in finding["message"] and "bou-halsa-2021" in finding["message"]


def test_a_new_section_declared_new_passes(mini: Path, check_json: Check) -> None:
    edition = _with_new_section(mini)
    replace_in(edition, "changes:\n", "changes:\n  - section: ny-samverkansdel\n    change: new\n")
    report = check_json(mini)
    _absent(report, "guideline/undeclared-new")
    assert report["findings"] == []


# --- guideline/unknown-section --------------------------------------------------------------


def test_a_claim_citing_an_unknown_section_is_an_error(mini: Path, check_json: Check) -> None:
    edition = mini / G2021
    replace_in(edition, "    sections: [sip-process]\n", "    sections: [sip-processen]\n")
    finding = _fired(check_json(mini), "guideline/unknown-section")
    line = _line_of(edition, "sections: [sip-processen]")
    assert (finding["file"], finding["line"], finding["severity"]) == (G2021, line, "error")
    assert "'sip-processen'" in finding["message"] and "'den-som-kallar-leder'" in finding["message"]
    assert "sip-process" in finding["hint"]


def test_a_claim_citing_another_known_section_passes(mini: Path, check_json: Check) -> None:
    replace_in(mini / G2021, "    sections: [sip-process]\n", "    sections: [sip-process, sip-plan]\n")
    report = check_json(mini)
    _absent(report, "guideline/unknown-section")
    assert report["findings"] == []


# --- local/missing-after --------------------------------------------------------------------


def test_local_slides_without_after_are_an_error(mini: Path, check_json: Check) -> None:
    local = mini / LOCAL
    replace_in(local, "after: samtycke\n", "")
    finding = _fired(check_json(mini), "local/missing-after")
    assert (finding["file"], finding["line"], finding["severity"]) == (LOCAL, _line_of(local, "slides:"), "error")
    assert "after" in finding["message"]


def test_a_local_file_without_slides_needs_no_after(mini: Path, check_json: Check) -> None:
    """Only slides need a place in the course: contacts alone, without 'after', pass."""
    local = mini / LOCAL
    text = local.read_text(encoding="utf-8")
    local.write_text(text[: text.index("slides:\n")].replace("after: samtycke\n", ""), encoding="utf-8")
    report = check_json(mini)
    _absent(report, "local/missing-after")
    assert report["findings"] == []


# --- ref/unrelated-edition ------------------------------------------------------------------


def _with_unrelated_edition(root: Path) -> None:
    """A second line of documents: a copy of bou-halsa-2021 under another id, superseding nothing."""
    other = root / "guidelines" / "annan-linje-2021.yaml"
    shutil.copyfile(root / G2021, other)
    replace_in(other, "id: bou-halsa-2021\n", "id: annan-linje-2021\n")
    replace_in(other, "supersedes: vastbus-2012\n", "")


def test_a_ref_to_an_edition_of_another_line_is_an_error(mini: Path, check_json: Check) -> None:
    _with_unrelated_edition(mini)
    module = mini / MOD
    # Same section text (hence the same fingerprint) as bou-halsa-2021 and 2023: only the edition differs.
    replace_in(module, "  edition: bou-halsa-2023\n", "  edition: annan-linje-2021\n")
    finding = _fired(check_json(mini), "ref/unrelated-edition")
    line = _line_of(module, "edition: annan-linje-2021")
    assert (finding["file"], finding["line"], finding["severity"]) == (MOD, line, "error")
    assert finding["message"] == "annan-linje-2021 is not an earlier edition of bou-halsa-2023"


def test_a_ref_to_an_earlier_edition_of_the_same_line_passes(mini: Path, check_json: Check) -> None:
    _with_unrelated_edition(mini)
    module = mini / MOD
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace(ref("samtycke"), ref("samtycke", "bou-halsa-2021"), 1), encoding="utf-8")
    assert "edition: bou-halsa-2021" in module.read_text(encoding="utf-8")
    report = check_json(mini)
    _absent(report, "ref/unrelated-edition")
    # An older edition of the line in force is traced, not refused: at most a nudge to restamp.
    assert all(f["severity"] == "warning" for f in report["findings"]), report["findings"]


# --- template/missing, template/missing-placeholder -----------------------------------------


def _rewrite_part(path: Path, part: str, old: bytes, new: bytes) -> None:
    """Rewrite a template zip with one part's bytes changed."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                assert old in data, f"{old!r} not in {part}"
                data = data.replace(old, new, 1)
            target.writestr(info, data)


def test_a_missing_template_is_an_error(mini: Path, check_json: Check) -> None:
    (mini / SLIDES).unlink()
    finding = _fired(check_json(mini), "template/missing")
    assert (finding["file"], finding["severity"]) == (SLIDES, "error")
    assert finding["message"] == f"{SLIDES} is missing"
    assert "restore" in finding["hint"]


def test_every_template_present_passes(mini: Path, check_json: Check) -> None:
    report = check_json(mini)
    _absent(report, "template/missing")
    assert report["findings"] == []


TWO_COLUMNS = "ppt/slideLayouts/slideLayout4.xml"


def test_a_layout_without_a_placeholder_the_writer_fills_is_an_error(mini: Path, check_json: Check) -> None:
    # The 'Två kolumner' layout keeps its second column, but under an idx the writer does not use.
    _rewrite_part(mini / SLIDES, TWO_COLUMNS, b'sz="half" idx="2"', b'sz="half" idx="7"')
    finding = _fired(check_json(mini), "template/missing-placeholder")
    assert (finding["file"], finding["severity"]) == (SLIDES, "error")
    assert finding["message"] == "layout 'Två kolumner' has no placeholder with idx 2"


def test_a_layout_with_an_extra_placeholder_passes(mini: Path, check_json: Check) -> None:
    """A maintainer may add placeholders; only the ones the writers fill must stay."""
    _rewrite_part(
        mini / SLIDES,
        TWO_COLUMNS,
        b'sz="half" idx="2"',
        b'sz="half" idx="2"/></p:nvPr></p:nvSpPr></p:sp><p:sp><p:nvSpPr><p:cNvPr id="99" name="Extra"/>'
        b'<p:cNvSpPr/><p:nvPr><p:ph type="body" idx="7"',
    )
    report = check_json(mini)
    _absent(report, "template/missing-placeholder")
    assert [f for f in report["findings"] if f["rule"].startswith("template/")] == []


# --- track/unknown-quiz ---------------------------------------------------------------------

TRACK = """\
tracks:
  - id: grund
    name: "Grundkurs"
    audiences: [bvc, forskola]
    budget: 60
    start: "13.00"
    modules:
      - module: samtycke
        minutes: 20
        quiz: [{quiz}]
"""


def _with_track(root: Path, quiz: str) -> Path:
    course = root / COURSE
    course.write_text(course.read_text(encoding="utf-8") + TRACK.format(quiz=quiz), encoding="utf-8")
    return course


def test_a_track_naming_an_unknown_quiz_question_is_an_error(mini: Path, check_json: Check) -> None:
    course = _with_track(mini, "vam")
    finding = _fired(check_json(mini), "track/unknown-quiz")
    assert (finding["file"], finding["line"], finding["severity"]) == (COURSE, _line_of(course, "quiz: [vam]"), "error")
    assert "'vam'" in finding["message"] and "'samtycke'" in finding["message"]
    assert "vem" in finding["hint"]


def test_a_track_naming_a_known_quiz_question_passes(mini: Path, check_json: Check) -> None:
    _with_track(mini, "vem")
    report = check_json(mini)
    _absent(report, "track/unknown-quiz")
    assert not any(f["rule"].startswith("track/unknown") for f in report["findings"]), report["findings"]
