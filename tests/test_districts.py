"""Göteborg as it is today: city areas with their committee, local parts shared by an area, other municipalities."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from tests.conftest import LOCAL, REPO, findings_of, make_mini, replace_in, rules_of, write
from vastbus_cli import api
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build, plan_all

Check = Callable[..., dict[str, Any]]

AREAS = """\
areas:
  - id: centrum
    name: "Centrum"
    committee: "Socialnämnden Centrum"
districts:
  - id: örgryte-härlanda
    name: "Örgryte-Härlanda"
    area: centrum
  - id: majorna-linné
    name: "Majorna-Linné"
    area: centrum
  - id: angered
    name: "Angered"
"""


def _with_areas(root: Path) -> Path:
    write(root / "curriculum" / "districts.yaml", AREAS)
    return root


def _slide_texts(plan: Any) -> list[str]:
    return [" ".join((slide.title, *slide.bullets)) for slide in plan.slides]


def test_a_local_part_written_for_an_area_is_in_every_district_of_the_area(tmp_path: Path, check_json: Check) -> None:
    root = _with_areas(make_mini(tmp_path / "ws"))
    shutil.rmtree(root / "curriculum" / "local" / "örgryte-härlanda")
    shared = LOCAL.replace("district: örgryte-härlanda", "area: centrum").replace(
        "Lokalt i Örgryte-Härlanda", "Lokalt i stadsområde Centrum"
    )
    write(root / "curriculum" / "local" / "centrum" / "lokalt.yaml", shared)
    assert check_json(root)["summary"]["error"] == 0
    plans = plan_all(api.open_workspace(root), audiences=["bvc"])
    by_district = {plan.stamp.district: _slide_texts(plan) for plan in plans}
    for district in ("örgryte-härlanda", "majorna-linné"):
        assert any("Så gör vi här" in text for text in by_district[district]), district
        assert any(
            "Socialtjänsten i" in text and "Socialnämnden Centrum (stadsområde Centrum)" in text
            for text in by_district[district]
        )
    assert not any("Så gör vi här" in text for text in by_district["angered"])
    assert not any("Så gör vi här" in text for text in by_district["central"])


def test_a_district_file_names_the_committee_of_its_area(tmp_path: Path) -> None:
    root = _with_areas(make_mini(tmp_path / "ws"))
    plan = plan_all(api.open_workspace(root), districts=["örgryte-härlanda"], audiences=["bvc"])[0]
    divider = next(slide for slide in plan.slides if slide.title == "Lokalt i Örgryte-Härlanda")
    assert "Socialtjänsten i Örgryte-Härlanda: Socialnämnden Centrum (stadsområde Centrum)" in divider.bullets
    handout_text = " ".join(block.text for block in plan.handout.blocks)
    assert "Socialnämnden Centrum" in handout_text


def test_a_local_file_must_say_district_or_area_as_its_folder_does(tmp_path: Path, check_json: Check) -> None:
    root = _with_areas(make_mini(tmp_path / "ws"))
    moved = root / "curriculum" / "local" / "centrum"
    shutil.move(root / "curriculum" / "local" / "örgryte-härlanda", moved)
    found = findings_of(check_json(root), "local/district-mismatch")
    assert len(found) == 1 and "'örgryte-härlanda' does not match its folder 'centrum'" in found[0]["message"]
    replace_in(moved / "lokalt.yaml", "district: örgryte-härlanda", "district: örgryte-härlanda\narea: centrum")
    found = findings_of(check_json(root), "local/district-mismatch")
    assert len(found) == 1 and "either 'district:'" in found[0]["message"]
    assert found[0]["hint"] == "write 'area: centrum'"


def test_a_district_naming_an_undeclared_area_is_an_error(tmp_path: Path, check_json: Check) -> None:
    root = _with_areas(make_mini(tmp_path / "ws"))
    assert "district/unknown-area" not in rules_of(check_json(root))
    replace_in(root / "curriculum" / "districts.yaml", 'name: "Angered"\n', 'name: "Angered"\n    area: centrm\n')
    found = findings_of(check_json(root), "district/unknown-area")
    assert found and found[0]["hint"] == "did you mean 'centrum'?"


def test_the_shipped_districts_map_to_the_four_areas_and_their_committees() -> None:
    workspace = api.open_workspace(REPO)
    assert workspace.districts is not None and workspace.districts.model is not None
    districts = workspace.districts.model
    areas = {area.id: area for area in districts.areas}
    assert {area.committee for area in areas.values()} == {
        "Socialnämnden Nordost",
        "Socialnämnden Centrum",
        "Socialnämnden Sydväst",
        "Socialnämnden Hisingen",
    }
    by_area: dict[str, set[str]] = {}
    for district in districts.districts:
        assert district.area in areas, district.id
        by_area.setdefault(district.area, set()).add(district.name)
    assert by_area == {
        "nordost": {"Angered", "Östra Göteborg"},
        "centrum": {"Centrum", "Majorna-Linné", "Örgryte-Härlanda"},
        "sydväst": {"Askim-Frölunda-Högsbo", "Västra Göteborg"},
        "hisingen": {"Lundby", "Norra Hisingen", "Västra Hisingen"},
    }


@pytest.mark.slow  # checks a copy of the whole shipped course; the district rules have fast cases
def test_another_municipality_is_added_as_a_district_with_no_code_change(tmp_path: Path, check_json: Check) -> None:
    root = tmp_path / "Göteborgsområdet"
    for name in ("guidelines", "curriculum", "templates"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    districts = root / "curriculum" / "districts.yaml"
    districts.write_text(
        districts.read_text(encoding="utf-8") + '  - id: mölndal\n    name: "Mölndal"\n', encoding="utf-8"
    )
    write(
        root / "curriculum" / "local" / "mölndal" / "lokalt.yaml",
        'district: mölndal\nbuilt_on: bou-halsa-2023\ntitle: "Lokalt i Mölndal"\nafter: vem-tar-initiativ\n'
        "audiences: [forskola]\nminutes: 5\ncontacts:\n"
        '  - role: "Samordnare för SIP"\n    organisation: "Mölndals stad"\n    how: "Via kommunens växel"\n    verified: true\n',
    )
    report = check_json(root)
    assert report["summary"]["error"] == 0, report["findings"]
    out = tmp_path / "paket"
    result = build(open_workspace(root), out, districts=["mölndal"], audiences=["forskola", "bvc"], jobs=1)
    assert sorted(result.written) == sorted(
        f"mölndal/{audience}/{name}"
        for audience in ("forskola", "bvc")
        for name in ("slides.pptx", "handout.docx", "trainer-guide.docx")
    )
    deck = Presentation(str(out / "mölndal" / "forskola" / "slides.pptx"))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any("Mölndal" in text for text in texts)
    assert any(
        "Samordnare för SIP" in cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    handout = Document(str(out / "mölndal" / "bvc" / "handout.docx"))
    assert "Lokalt i Mölndal" not in [p.text for p in handout.paragraphs]  # the local part is for förskola only
    assert (out / "mölndal" / "bvc" / "trainer-guide.docx").exists()
