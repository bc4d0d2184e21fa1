"""Every built deck and document validates against the Office Open XML schemas (issue 27).

Trainers open the packs in PowerPoint and Word, not LibreOffice, and both repair or refuse
a file that breaks the schemas. The check is independent of the writers: openxml-audit
(MIT, pure Python on lxml, a port of the Open XML SDK's schema and semantic validation,
no .NET and no network) with its Microsoft 365 profile, strict. It reports schema errors
(an unknown or misplaced element, an attribute out of range) and semantic ones (two
shapes with one id on a slide, a relationship to nothing); a case below breaks a built
file in each of those ways and requires the validator to say so, so these tests cannot
pass by validating nothing.

Validation costs about 0.25 s a file: the 297 shipped files take about 70 s on one core,
so the slow test validates one pack (a deck and two documents) per track centrally and per
district with a local part, each with another audience of the track, which covers every
combination of template parts the build uses. ``VASTBUS_OOXML_ALL=1`` validates all of them.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from tests.conftest import make_mini
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build

REPO = Path(__file__).resolve().parent.parent
FILES = ("slides.pptx", "handout.docx", "trainer-guide.docx")
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    # max_errors=0: every error, not the first thousand; strict: errors are fatal.
    return OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0, strict=True)


def problems(validator: OpenXmlValidator, folder: Path, files: Iterable[Path]) -> list[str]:
    """What the validator says about ``files``, one line a finding (errors and warnings alike)."""
    lines = []
    for path in files:
        result = validator.validate(path)
        assert result.file_format is FileFormat.MICROSOFT_365
        name = path.relative_to(folder).as_posix()
        if not result.is_valid and not result.errors:
            lines.append(f"{name}: invalid, with no message")
        lines += [f"{name}: {error.severity.value} {error}" for error in result.errors]
    return lines


@pytest.fixture(scope="module")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small workspace built centrally and for the district with a local part.

    Other audiences of the small course use the same template parts, so one is enough here.
    """
    root = make_mini(tmp_path_factory.mktemp("ooxml") / "Västbus arbetsyta")
    out = root.parent / "paket"
    build(open_workspace(root), out, districts=["central", "örgryte-härlanda"], audiences=["forskola"], jobs=1)
    return out


def test_every_file_a_small_workspace_builds_is_valid_office_open_xml(
    mini_built: Path, validator: OpenXmlValidator
) -> None:
    files = sorted(p for p in mini_built.rglob("*") if p.suffix in (".pptx", ".docx"))
    assert [p.relative_to(mini_built).as_posix() for p in files] == [
        f"{pack}/{name}" for pack in ("central/forskola", "örgryte-härlanda/forskola") for name in sorted(FILES)
    ]
    found = problems(validator, mini_built, files)
    assert not found, "\n".join(found)


def _unknown_element_in_sptree(root: etree._Element) -> None:
    tree = root.find(f"{P}cSld/{P}spTree")
    assert tree is not None
    tree.append(etree.Element(f"{P}bogus"))


def _font_size_below_the_minimum(root: etree._Element) -> None:
    run = root.find(f".//{A}rPr")
    assert run is not None
    run.set("sz", "7")  # hundredths of a point; the schema's minimum is 100 (1 pt)


def _two_shapes_with_one_id(root: etree._Element) -> None:
    ids = root.findall(f"{P}cSld/{P}spTree/*/*/{P}cNvPr")
    assert len(ids) >= 2
    ids[1].set("id", ids[0].get("id", ""))


def _unknown_element_in_body(root: etree._Element) -> None:
    body = root.find(f"{W}body")
    assert body is not None
    body.insert(0, etree.Element(f"{W}bogus"))


def _alignment_word_does_not_know(root: etree._Element) -> None:
    style = root.find(f"{W}body/{W}p/{W}pPr/{W}pStyle")
    assert style is not None
    jc = etree.Element(f"{W}jc")
    jc.set(f"{W}val", "middle")
    style.addnext(jc)


# One breakage of a deck and one of a document stay in the fast loop; the others are slow variants.
_SLOW = pytest.mark.slow
BREAKAGES = [
    ("central/forskola/slides.pptx", "ppt/slides/slide2.xml", _unknown_element_in_sptree, "Unexpected element 'bogus'"),
    pytest.param(
        "central/forskola/slides.pptx",
        "ppt/slides/slide2.xml",
        _font_size_below_the_minimum,
        "attribute 'sz'",
        marks=_SLOW,
    ),
    pytest.param(
        "central/forskola/slides.pptx",
        "ppt/slides/slide2.xml",
        _two_shapes_with_one_id,
        "Duplicate shape ID",
        marks=_SLOW,
    ),
    ("central/forskola/handout.docx", "word/document.xml", _unknown_element_in_body, "Unexpected element 'bogus'"),
    pytest.param(
        "örgryte-härlanda/forskola/trainer-guide.docx",
        "word/document.xml",
        _alignment_word_does_not_know,
        "'middle'",
        marks=_SLOW,
    ),
]


def rewrite(source: Path, target: Path, part: str, change: Callable[[etree._Element], None]) -> None:
    """Copy the package ``source`` to ``target`` with ``change`` applied to the XML of ``part``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        assert part in old.namelist()
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                etree.fromstring(data)  # still well-formed: only the schemas can object
            new.writestr(info, data)


def _change_of(case: object) -> str:
    values = case.values if hasattr(case, "values") else case
    return str(values[2].__name__).strip("_")  # type: ignore[index]


@pytest.mark.parametrize(("name", "part", "change", "message"), BREAKAGES, ids=[_change_of(c) for c in BREAKAGES])
def test_the_validator_reports_a_built_file_broken_against_the_schemas(
    mini_built: Path,
    validator: OpenXmlValidator,
    tmp_path: Path,
    name: str,
    part: str,
    change: Callable[[etree._Element], None],
    message: str,
) -> None:
    source = mini_built / name
    assert validator.validate(source).is_valid
    broken = tmp_path / source.name
    rewrite(source, broken, part, change)
    result = validator.validate(broken)
    assert not result.is_valid
    said = [str(error) for error in result.errors]
    assert any(f"/{part}" in line and message in line for line in said), said


def _sample() -> tuple[list[str], list[str], list[str]]:
    """The districts and audiences to build, and the packs to validate (``district/audience``).

    One pack per track centrally and per district with a local part; the audience turns
    over the track's audiences from one district to the next, so more of them are seen.
    """
    workspace = open_workspace(REPO)
    assert workspace.course is not None and workspace.course.model is not None
    local = sorted(p.name for p in (REPO / "curriculum" / "local").iterdir() if any(p.glob("*.yaml")))
    assert local, "no district with a local part in the shipped course"
    districts = ["central", *local]
    packs = [
        f"{district}/{track.audiences[i % len(track.audiences)]}"
        for track in workspace.course.model.tracks
        for i, district in enumerate(districts)
    ]
    audiences = sorted({pack.split("/")[1] for pack in packs})
    return districts, audiences, packs


@pytest.mark.slow
def test_the_shipped_course_builds_valid_office_open_xml(tmp_path: Path, validator: OpenXmlValidator) -> None:
    out = tmp_path / "paket"
    if os.environ.get("VASTBUS_OOXML_ALL") == "1":
        build(open_workspace(REPO), out, jobs=1)
        files = sorted(p for p in out.rglob("*") if p.suffix in (".pptx", ".docx"))
    else:
        districts, audiences, packs = _sample()
        build(open_workspace(REPO), out, districts=districts, audiences=audiences, jobs=1)
        files = [out / pack / name for pack in packs for name in FILES]
        assert [path for path in files if not path.is_file()] == []
    found = problems(validator, out, files)
    assert not found, "\n".join(found)
