"""Swedish typography: one kind of quotation mark, no doubled full stops, slips in the data flagged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from tests.conftest import findings_of, replace_in
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build

MOD = "curriculum/modules/samtycke.yaml"


@pytest.mark.parametrize(
    ("typed", "what"),
    [
        ("En SIP kräver samtycke..", "two full stops"),
        ("Frågan ””Vad är viktigt för dig?””.", "a doubled quotation mark"),
        ("En SIP kräver samtycke , alltid.", "a space before punctuation"),
    ],
)
def test_a_slip_in_the_text_is_flagged(
    mini: Path, check_json: Callable[..., dict[str, Any]], typed: str, what: str
) -> None:
    replace_in(mini / MOD, '"En SIP kräver samtycke."', f'"{typed}"')
    finding, *_ = findings_of(check_json(mini), "text/punctuation")
    assert finding["severity"] == "warning" and finding["message"].startswith(what)
    assert finding["line"] == 16  # the bullet's line in the module


@pytest.mark.parametrize(
    "typed", ["Tre punkter … eller så här...", "Frågan ”Vad är viktigt för dig?” kommer först.", "Kl. 10: start"]
)
def test_clean_text_is_not_flagged(mini: Path, check_json: Callable[..., dict[str, Any]], typed: str) -> None:
    replace_in(mini / MOD, '"En SIP kräver samtycke."', f'"{typed}"')
    assert findings_of(check_json(mini), "text/punctuation") == []


def test_packs_use_swedish_quotes_and_single_full_stops(mini: Path, tmp_path: Path) -> None:
    replace_in(mini / MOD, 'title: "Ingen SIP utan samtycke"', "title: 'Ingen \"SIP\" utan samtycke'")
    replace_in(mini / MOD, 'options: ["Rektorn", "Vårdnadshavarna"]', 'options: ["Rektorn.", "Vårdnadshavarna."]')
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1)
    deck = Presentation(str(out / "central/bvc/slides.pptx"))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Ingen ”SIP” utan samtycke" in titles
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any(n.startswith("Rätt svar: 2. Vårdnadshavarna.\n") for n in notes)
    document = Document(str(out / "central/bvc/trainer-guide.docx"))
    # The guide sets each slide's notes in a table row beside its sketch: read the cells too.
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    guide = "\n".join([*(p.text for p in document.paragraphs), *cells])
    # The guide sets the notes as the slide does: the answer, then the explanation on its own line.
    assert "Rätt svar: 2. Vårdnadshavarna.\nVårdnadshavarna samtycker." in guide
    assert ".." not in guide.replace("...", "") and '"' not in guide
