"""A district's local part: targeted at audiences, and honest about what the district has confirmed (issue 28).

Built packs are read back as a participant and a trainer get them: the deck and the handout
hold only what the district confirmed; the trainer guide lists what it still has to confirm.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from tests.conftest import findings_of, replace_in, write

LOCAL = """\
district: örgryte-härlanda
built_on: bou-halsa-2023
title: "Lokalt i Örgryte-Härlanda"
after: samtycke
contacts:
  - role: "Samordnare för förskolan"
    organisation: "Förskoleförvaltningen"
    how: "Ring förskolans expedition"
    verified: true
    audiences: [forskola]
  - role: "Mottagningen för barn och unga"
    organisation: "Socialtjänsten"
    how: "Okänt nummer 123"
routines:
  - id: forskolans-rutin
    title: "Förskolans rutin för SIP"
    audiences: [forskola]
    verified: true
    notes: "Gå igenom stegen."
    steps:
      - "Rektor pratar med vårdnadshavarna."
  - id: ej-beslutad
    title: "Rutin som inte är beslutad"
    notes: "Gå igenom stegen."
    steps:
      - "Ett steg som området inte har beslutat."
slides:
  - id: bara-forskola
    title: "Bara för förskolan"
    audiences: [forskola]
    bullets:
      - "Förskolan kallar till SIP."
      - "Vårdnadshavarna samtycker först."
    notes: "Berätta hur förskolan gör."
  - id: for-alla
    title: "För alla i området"
    bullets:
      - "Vi frågar alltid vårdnadshavarna först."
      - "Samordnaren hjälper till med kallelsen."
    notes: "Berätta hur området arbetar."
examples:
  - id: delat
    title: "Samtalsstöd för förskolan"
    summary: "Ett kort stöd inför första samtalet."
    share: true
    why: "Familjen får samma frågor överallt."
    audiences: [forskola]
"""

HIDDEN = ("Okänt nummer 123", "Rutin som inte är beslutad", "Ett steg som området inte har beslutat")


def _slide_texts(deck: Path) -> list[str]:
    texts = []
    for slide in Presentation(str(deck)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append("\n".join(parts))
    return texts


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def workspace(mini: Path) -> Path:
    write(mini / "curriculum/local/örgryte-härlanda/lokalt.yaml", LOCAL)
    return mini


@pytest.fixture
def built(workspace: Path, run: Callable[..., Any]) -> Path:
    out = workspace / "build"
    result = run("build", "--workspace", workspace, "-o", out, "--district", "örgryte-härlanda")
    assert result.exit_code == 0, result.output
    return out / "örgryte-härlanda"


def test_a_local_slide_for_forskola_is_only_in_the_forskola_deck(built: Path) -> None:
    forskola = "\n".join(_slide_texts(built / "forskola/slides.pptx"))
    bvc = "\n".join(_slide_texts(built / "bvc/slides.pptx"))
    assert "Bara för förskolan" in forskola and "Bara för förskolan" not in bvc
    assert "För alla i området" in forskola and "För alla i området" in bvc
    # The routine and the contact for förskola likewise.
    assert "Förskolans rutin för SIP" in forskola and "Förskolans rutin för SIP" not in bvc
    assert "Samordnare för förskolan" in forskola and "Samordnare för förskolan" not in bvc
    assert "Förskolans rutin för SIP" not in _docx_text(built / "bvc/handout.docx")
    assert "Samtalsstöd för förskolan" not in _docx_text(built / "bvc/trainer-guide.docx")


def test_what_the_district_has_not_confirmed_never_reaches_participants(built: Path) -> None:
    for audience in ("forskola", "bvc"):
        shown = "\n".join(_slide_texts(built / audience / "slides.pptx"))
        handout = _docx_text(built / audience / "handout.docx")
        for hidden in HIDDEN:
            assert hidden not in shown, (audience, hidden)
            assert hidden not in handout, (audience, hidden)
        guide = _docx_text(built / audience / "trainer-guide.docx")
        assert "Att bekräfta före kursen – Örgryte-Härlanda" in guide
        assert "Okänt nummer 123" in guide  # the trainer sees what to confirm
        assert "Rutin som området inte har fastställt: Rutin som inte är beslutad" in guide


def test_with_no_confirmed_contact_participants_get_the_citys_route(built: Path) -> None:
    # BVC sees only the unconfirmed contact (the confirmed one is for förskola): the route instead.
    slides = _slide_texts(built / "bvc/slides.pptx")
    route = next(text for text in slides if text.startswith("Vem kontaktar du?"))
    assert "Fråga din chef" in route
    handout = _docx_text(built / "bvc/handout.docx")
    assert "Vem kontaktar du?" in handout and "Roll\nVerksamhet" not in handout
    # Förskola has a confirmed contact: the table, without a "Bekräftad" column.
    forskola = _slide_texts(built / "forskola/slides.pptx")
    table = next(text for text in forskola if text.startswith("Lokala kontakter"))
    assert "Samordnare för förskolan" in table and "Bekräftad" not in table


def test_the_course_sets_the_route(workspace: Path, run: Callable[..., Any]) -> None:
    replace_in(
        workspace / "curriculum/course.yaml",
        "modules:\n",
        'contact_route:\n  - "Ring kommunens växel och fråga efter socialtjänsten."\nmodules:\n',
    )
    out = workspace / "out"
    assert run("build", "--workspace", workspace, "-o", out, "--district", "örgryte-härlanda").exit_code == 0
    slides = _slide_texts(out / "örgryte-härlanda/bvc/slides.pptx")
    assert any("Ring kommunens växel" in text for text in slides)


def test_unconfirmed_items_are_a_warning_naming_the_district(
    workspace: Path, check_json: Callable[..., dict[str, Any]]
) -> None:
    found = findings_of(check_json(workspace), "local/unconfirmed")
    assert len(found) == 1
    assert found[0]["severity"] == "warning"
    assert "Örgryte-Härlanda has not confirmed 2 local items" in found[0]["message"]
    assert "Mottagningen för barn och unga" in found[0]["message"] and "ej-beslutad" in found[0]["message"]
    path = workspace / "curriculum/local/örgryte-härlanda/lokalt.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('how: "Okänt nummer 123"\n', 'how: "Okänt nummer 123"\n    verified: true\n')
    text = text.replace(
        'title: "Rutin som inte är beslutad"\n', 'title: "Rutin som inte är beslutad"\n    verified: true\n'
    )
    path.write_text(text, encoding="utf-8")
    assert findings_of(check_json(workspace), "local/unconfirmed") == []


def test_item_audiences_must_be_known(workspace: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    assert findings_of(check_json(workspace), "audience/unknown") == []
    replace_in(
        workspace / "curriculum/local/örgryte-härlanda/lokalt.yaml", "audiences: [forskola]", "audiences: [förskolan]"
    )
    found = findings_of(check_json(workspace), "audience/unknown")
    assert found and found[0]["line"] == 10  # the first contact's audiences


def test_a_shared_example_says_why(workspace: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    assert findings_of(check_json(workspace), "local/share-why") == []
    replace_in(
        workspace / "curriculum/local/örgryte-härlanda/lokalt.yaml",
        '    why: "Familjen får samma frågor överallt."\n',
        "",
    )
    found = findings_of(check_json(workspace), "local/share-why")
    assert len(found) == 1 and "'delat'" in found[0]["message"]


@pytest.mark.parametrize(
    "hedge", ["Ring samordnaren (Exempel – fastställs av området)", "Kontakten ska bekräftas", "Inte bekräftad ännu"]
)
def test_a_marking_for_the_trainer_on_a_slide_is_found(
    workspace: Path, check_json: Callable[..., dict[str, Any]], hedge: str
) -> None:
    assert findings_of(check_json(workspace), "hedge/on-slide") == []
    replace_in(workspace / "curriculum/local/örgryte-härlanda/lokalt.yaml", "Förskolan kallar till SIP.", hedge)
    assert findings_of(check_json(workspace), "hedge/on-slide")


def test_the_site_tells_the_trainer_what_is_not_in_the_deck(
    workspace: Path, built: Path, run: Callable[..., Any]
) -> None:
    site = workspace / "webbplats"
    result = run("site", "--workspace", workspace, "--packs", workspace / "build", "--out", site)
    assert result.exit_code == 0, result.output
    page = (site / "örgryte-härlanda/bvc.html").read_text(encoding="utf-8")
    decided, waiting = page.split("Rutiner som området inte har fastställt")
    assert "Rutin som inte är beslutad" in waiting and "Rutin som inte är beslutad" not in decided
    assert 'Okänt nummer 123 <span class="muted">(inte bekräftad av området: visas inte för deltagarna)' in page
    assert "Förskolans rutin för SIP" not in page  # for förskola only
    forskola = (site / "örgryte-härlanda/forskola.html").read_text(encoding="utf-8")
    assert "Rutiner i bildspelet: Förskolans rutin för SIP." in forskola
