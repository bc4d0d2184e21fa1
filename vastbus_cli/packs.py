"""The pack: its parts, their file names and templates, and the central version's id.

The one home of these facts. A leaf module (it imports nothing of the package), so the
models' layer, the checks, the writers and the commands can all read it.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

#: The district id of the pack without local additions (``build/central/...``).
CENTRAL = "central"

Part = Literal["slides", "handout", "guide"]


class PackPart(NamedTuple):
    """One file of a pack: its name in the pack folder, its template in ``templates/``, its format."""

    file: str
    template: str
    kind: Literal["pptx", "docx"]


#: The parts of every pack, in the order they are built and listed.
PARTS: dict[Part, PackPart] = {
    "slides": PackPart("slides.pptx", "slides.pptx", "pptx"),
    "handout": PackPart("handout.docx", "handout.docx", "docx"),
    "guide": PackPart("trainer-guide.docx", "trainer-guide.docx", "docx"),
}

#: The files of a pack folder, in :data:`PARTS` order.
PACK_FILES: tuple[str, ...] = tuple(part.file for part in PARTS.values())


def pdf_name(file: str) -> str:
    """The PDF ``build --pdf`` writes beside a pack file: ``slides.pptx`` → ``slides.pdf``."""
    return file.rsplit(".", 1)[0] + ".pdf"


#: The PDFs ``build --pdf`` may write beside them.
PDF_FILES: tuple[str, ...] = tuple(pdf_name(file) for file in PACK_FILES)

#: What a trainer calls each part (Swedish: shown on the site).
PART_NAMES: dict[Part, str] = {"slides": "Bildspel", "handout": "Deltagarmaterial", "guide": "Utbildarhandledning"}
_FORMAT_NAMES = {"pptx": "PowerPoint", "docx": "Word"}

#: The pack's files as a trainer names them, in the order they are used: the Office files, then the PDFs.
FILE_LABELS: dict[str, str] = {
    **{part.file: f"{PART_NAMES[name]} ({_FORMAT_NAMES[part.kind]})" for name, part in PARTS.items()},
    **{pdf_name(part.file): f"{PART_NAMES[name]} (PDF)" for name, part in PARTS.items()},
}
