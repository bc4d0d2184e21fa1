"""How the Word documents lay out: tables sized to their content, rows kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from vastbus_cli.api import open_workspace
from vastbus_cli.build import build


def test_minutes_table_is_sized_to_its_content(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], formats=["docx"], jobs=1)
    guide = Document(str(out / "central/bvc/trainer-guide.docx"))
    table = guide.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Tid", "Innehåll", "Minuter"]
    assert table.rows[0].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths[1] > widths[0] >= widths[2] and sum(widths) == 9000  # the text column takes the room
    total = table.rows[-1]
    assert total.cells[1].text == "Totalt" and total.cells[2].text == "35"  # 10 welcome + 20 + 5 closing
    assert all(run.bold for cell in total.cells for p in cell.paragraphs for run in p.runs)
    for row in table.rows[1:]:
        assert row.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert row.cells[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


@pytest.mark.slow  # builds with the longest names; the footer's layout has fast cases
def test_the_footer_stays_one_line_for_the_longest_names(mini: Path, tmp_path: Path) -> None:
    from tests.conftest import replace_in

    replace_in(mini / "curriculum/course.yaml", 'name: "BVC"', 'name: "Barn- och ungdomspsykiatri i öppenvård (BUP)"')
    replace_in(mini / "curriculum/districts.yaml", 'name: "Angered"', 'name: "Askim-Frölunda-Högsbo med omnejd"')
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["angered"], audiences=["bvc", "forskola"], formats=["docx"], jobs=1)
    for audience, expected in (("bvc", " · BUP"), ("forskola", " · Förskola")):
        footer = Document(str(out / f"angered/{audience}/handout.docx")).sections[0].footer.paragraphs[0]
        stamp = footer.runs[0]
        assert stamp.text.endswith(expected) and "Askim-Frölunda-Högsbo med omnejd" in stamp.text
        assert "v1.0.0" in stamp.text or "Kursversion 1.0.0" in stamp.text
        # Longer than the footer line holds at its style's size: a point smaller, never wrapped.
        assert len(stamp.text) <= 100 or stamp.font.size.pt == 7
