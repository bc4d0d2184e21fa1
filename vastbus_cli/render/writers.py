"""The writers, one per part of a pack: ``{part: writer}``, keyed by :data:`vastbus_cli.packs.PARTS`.

A writer turns a planned pack into the entries of its Office package and records the text it
emitted (so the file is never read back). To add an output, write a module that draws its part
of a :class:`~vastbus_cli.render.packplan.PackPlan` and register it in :data:`WRITERS`.
The writer modules are imported when a file is rendered, so planning alone never loads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from vastbus_cli.packs import Part
from vastbus_cli.render.package import Entries, WrittenText
from vastbus_cli.render.packplan import DocumentPlan, PackPlan


@dataclass(frozen=True)
class Writer:
    """How one part of a pack is written."""

    #: The package's entries and the text written into it, from the plan and the template.
    write: Callable[[PackPlan, Path], tuple[Entries, WrittenText]]
    #: What each written location discusses (the blocks' ``discusses``), by location.
    discussed: Callable[[PackPlan], Mapping[str, tuple[str, ...]]] = lambda plan: _NOTHING


_NOTHING: Mapping[str, tuple[str, ...]] = {}


def _deck(plan: PackPlan, template: Path) -> tuple[Entries, WrittenText]:
    from vastbus_cli.render.pptx_writer import deck_package

    return deck_package(plan, template)


def _slides_discussed(plan: PackPlan) -> dict[str, tuple[str, ...]]:
    discussed = {}
    for slide in plan.slides:
        discussed[f"slide {slide.number}"] = discussed[f"notes of slide {slide.number}"] = slide.discusses
    return discussed


def _document(pick: Callable[[PackPlan], DocumentPlan]) -> Callable[[PackPlan, Path], tuple[Entries, WrittenText]]:
    def write(plan: PackPlan, template: Path) -> tuple[Entries, WrittenText]:
        from vastbus_cli.render.docx_writer import document_package

        return document_package(pick(plan), plan.stamp, template)

    return write


#: The writer of every part, in :data:`vastbus_cli.packs.PARTS` order.
WRITERS: dict[Part, Writer] = {
    "slides": Writer(_deck, _slides_discussed),
    "handout": Writer(_document(lambda plan: plan.handout)),
    "guide": Writer(_document(lambda plan: plan.guide)),
}
