"""Lays a pack's slides onto ``templates/slides.pptx`` by writing PresentationML directly.

Every part of the template (masters, layouts, theme, notes master) is copied as is;
the writer adds one slide part and one notes part per planned slide, in the XML
PowerPoint itself writes for placeholders that inherit their position and style from
the layout. python-pptx builds the same XML through its object model, but a
130-slide deck took it over a second, and a build writes 88 decks.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli import saferead
from vastbus_cli.errors import InputOutputError
from vastbus_cli.i18n import _
from vastbus_cli.images import BrokenImage, ImageHeader, read_header
from vastbus_cli.render.contract import LAYOUT_FOR_KIND, layout_for
from vastbus_cli.render.diagrams import slide_diagram, slide_tracker
from vastbus_cli.render.memo import remember
from vastbus_cli.render.metrics import layout_boxes
from vastbus_cli.render.package import Entries, WrittenText, core_properties_xml
from vastbus_cli.render.packplan import DEBRIEF, PackPlan, PlanSlide
from vastbus_cli.render.pptx_shapes import (
    FRAGMENTS,
    GREY,
    INK_SOFT,
    WARM_DARK,
    Placeholder,
    drawn_text,
    fragment_text,
    joined,
    paragraphs_xml,
    placeholder_shape,
    table_shape,
    textbox,
    xfrm,
)
from vastbus_cli.render.templates import BrokenTemplate, usable_package
from vastbus_cli.xmltext import quoteattr

_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SLIDE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
_NOTES_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"
_INCH = 914_400
_MARGIN = 685_800  # 0.75 in, the templates' side margin
_TEXT_SHARE = 38  # per cent of the body width left for text beside a picture
#: The step tracker's row at the top of a process slide, above the title block (x, y, cx, cy in EMU).
_TRACKER_TOP, _TRACKER_HEIGHT = 91_440, 500_000


@dataclass(frozen=True)
class _Layout:
    name: str
    part: str
    placeholders: dict[int, Placeholder]


@dataclass(frozen=True)
class _Template:
    entries: dict[str, bytes]
    layouts: dict[str, _Layout]
    notes_master: str
    notes_placeholders: tuple[str, str]  # attributes of the slide image and body placeholders
    width: int
    height: int
    #: Each slide's shapes but the stamp, drawn on this template (see _shapes).
    drawn: dict[tuple[PlanSlide, str], tuple[str, str, int]] = field(default_factory=dict, compare=False)


@functools.cache
def _template(path: str, mtime: float) -> _Template:
    """The template's parts and layout facts, read once per process.

    Raises:
        BrokenTemplate: the template is missing a part or has one that cannot be read.
    """
    entries = _without_slides(usable_package(path, "pptx", mtime).parts)
    presentation = entries["ppt/presentation.xml"].decode("utf-8")
    size = re.search(r'<p:sldSz cx="(\d+)" cy="(\d+)"', presentation)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (12192000, 6858000)
    layouts = {}
    measured = layout_boxes(entries)
    for name in entries:
        if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", name):
            xml = entries[name].decode("utf-8")
            title = re.search(r'<p:cSld name="([^"]*)"', xml)
            layout_name = _unescape(title.group(1)) if title else name
            boxes = measured.get(layout_name, {})
            placeholders = {idx: dataclasses.replace(ph, text=boxes.get(idx)) for idx, ph in _placeholders(xml).items()}
            layouts[layout_name] = _Layout(layout_name, name, placeholders)
    notes_master = next((n for n in entries if re.fullmatch(r"ppt/notesMasters/notesMaster\d+\.xml", n)), None)
    if notes_master is None:  # usable_package has refused such a template; this keeps mypy and readers sure
        raise BrokenTemplate(
            _("templates/{name} has no notes master; restore it from the repository").format(name=Path(path).name)
        )
    notes_xml = entries[notes_master].decode("utf-8")
    image = re.search(r'<p:ph ([^>]*type="sldImg"[^>]*?)/?>', notes_xml)
    body = re.search(r'<p:ph ([^>]*type="body"[^>]*?)/?>', notes_xml)
    return _Template(
        entries,
        layouts,
        notes_master,
        (image.group(1) if image else 'type="sldImg"', body.group(1) if body else 'type="body" idx="1"'),
        width,
        height,
    )


_SLIDE_PART = re.compile(r"ppt/(slides|notesSlides)/")


def _without_slides(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The template without the slides a designer may have left in it.

    A template saved in PowerPoint often keeps a sample slide or two. The deck is made of
    the planned slides only; keeping the template's would give two slide lists and two
    parts of one name.
    """
    if not any(_SLIDE_PART.match(name) for name in parts):
        return parts
    kept = {name: data for name, data in parts.items() if not _SLIDE_PART.match(name)}
    presentation = kept["ppt/presentation.xml"].decode("utf-8")
    kept["ppt/presentation.xml"] = re.sub(
        r"<p:sldIdLst>.*?</p:sldIdLst>", "<p:sldIdLst/>", presentation, flags=re.DOTALL
    ).encode("utf-8")
    rels = kept["ppt/_rels/presentation.xml.rels"].decode("utf-8")
    kept["ppt/_rels/presentation.xml.rels"] = re.sub(
        r'<Relationship [^>]*Type="[^"]*/relationships/slide"[^>]*/>', "", rels
    ).encode("utf-8")
    types = kept["[Content_Types].xml"].decode("utf-8")
    kept["[Content_Types].xml"] = re.sub(
        r'<Override [^>]*PartName="/ppt/(?:slides|notesSlides)/[^"]*"[^>]*/>', "", types
    ).encode("utf-8")
    return kept


def _mtime(template: Path) -> float:
    try:
        return template.stat().st_mtime
    except OSError:
        raise BrokenTemplate(
            _("templates/{name} is missing; restore it from the repository").format(name=template.name)
        ) from None


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def _placeholders(layout_xml: str) -> dict[int, Placeholder]:
    found = {}
    for shape in re.findall(r"<p:sp>.*?</p:sp>", layout_xml, re.DOTALL):
        ph = re.search(r"<p:ph( [^>]*?)?/?>", shape)
        if not ph:
            continue
        attributes = (ph.group(1) or "").strip()
        idx_match = re.search(r'idx="(\d+)"', attributes)
        idx = int(idx_match.group(1)) if idx_match else 0
        box = re.search(r'<a:off x="(-?\d+)" y="(-?\d+)"/>\s*<a:ext cx="(\d+)" cy="(\d+)"/>', shape)
        size = re.search(r"<a:lvl1pPr\b[^>]*>(?:(?!</a:lvl1pPr>).)*?<a:defRPr\b[^>]*\bsz=\"(\d+)\"", shape, re.DOTALL)
        found[idx] = Placeholder(
            attributes,
            idx,
            tuple(int(v) for v in box.groups()) if box else None,  # type: ignore[arg-type]
            int(size.group(1)) if size else None,
        )
    return found


def deck_package(plan: PackPlan, template: Path) -> tuple[Entries, WrittenText]:
    """The deck's package parts (core properties set; custom ones added later) and its text, as scan reads it back."""
    base = _template(str(template), _mtime(template))
    entries: Entries = dict(base.entries)
    content_types = entries["[Content_Types].xml"].decode("utf-8")
    presentation = entries["ppt/presentation.xml"].decode("utf-8")
    presentation_rels = entries["ppt/_rels/presentation.xml.rels"].decode("utf-8")
    notes_target = "../" + base.notes_master.removeprefix("ppt/")
    overrides, slide_ids, slide_rels = [], [], []
    media: dict[str, str] = {}
    sizes: dict[str, ImageHeader] = {}
    footer = plan.stamp.footer
    texts: WrittenText = []
    for position, slide in enumerate(plan.slides, start=1):
        n = slide.number
        wanted = layout_for(slide.kind, base.layouts.__contains__)  # an optional layout's stand-in if it lacks it
        layout = base.layouts.get(wanted)
        if layout is None:
            raise BrokenTemplate(
                _(
                    "templates/{name} has no slide layout '{layout}'; restore templates/{name} from the repository, "
                    "or re-save it in PowerPoint with that layout"
                ).format(name=template.name, layout=wanted)
            )
        rels = [
            ("rId1", f"{_REL}/slideLayout", "../" + layout.part.removeprefix("ppt/")),
            ("rId2", f"{_REL}/notesSlide", f"../notesSlides/notesSlide{n}.xml"),
        ]
        picture = ""
        if slide.image is not None:
            if slide.image.path not in media:
                data, header = _read_picture(Path(slide.image.path))
                # Named by what the bytes are, not by the file's suffix, so the content type is right.
                media[slide.image.path] = f"ppt/media/vastbus{len(media) + 1}.{header.kind}"
                entries[media[slide.image.path]] = data
                sizes[slide.image.path] = header
            rels.append(("rId3", f"{_REL}/image", "../" + media[slide.image.path].removeprefix("ppt/")))
        shapes, slide_text = _shapes(slide, layout, base, footer)
        if slide.image is not None:
            picture = _picture(slide, layout, base, sizes[slide.image.path])
        entries[f"ppt/slides/slide{n}.xml"] = _slide_xml(shapes + picture)
        entries[f"ppt/slides/_rels/slide{n}.xml.rels"] = _rels_xml(rels)
        entries[f"ppt/notesSlides/notesSlide{n}.xml"], notes_text = _notes(slide.notes, base.notes_placeholders)
        if slide_text:
            texts.append((f"slide {position}", slide_text))
        if notes_text.strip():
            texts.append((f"notes of slide {position}", notes_text))
        entries[f"ppt/notesSlides/_rels/notesSlide{n}.xml.rels"] = _rels_xml(
            [("rId1", f"{_REL}/notesMaster", notes_target), ("rId2", f"{_REL}/slide", f"../slides/slide{n}.xml")]
        )
        overrides.append(f'<Override PartName="/ppt/slides/slide{n}.xml" ContentType="{_SLIDE_TYPE}"/>')
        overrides.append(f'<Override PartName="/ppt/notesSlides/notesSlide{n}.xml" ContentType="{_NOTES_TYPE}"/>')
        slide_ids.append(f'<p:sldId id="{255 + n}" r:id="rIdVbSlide{n}"/>')
        slide_rels.append(f'<Relationship Id="rIdVbSlide{n}" Type="{_REL}/slide" Target="slides/slide{n}.xml"/>')
    for extension in sorted({Path(p).suffix.lower().lstrip(".") for p in media.values()}):
        if f'Extension="{extension}"' not in content_types:
            overrides.insert(0, f'<Default Extension="{extension}" ContentType="image/{extension}"/>')
    entries["[Content_Types].xml"] = content_types.replace("</Types>", "".join(overrides) + "</Types>").encode()
    id_list = "<p:sldIdLst>" + "".join(slide_ids) + "</p:sldIdLst>"
    if "<p:sldIdLst/>" in presentation:
        presentation = presentation.replace("<p:sldIdLst/>", id_list)
    else:
        presentation = presentation.replace("<p:sldSz", id_list + "<p:sldSz", 1)
    entries["ppt/presentation.xml"] = presentation.encode("utf-8")
    entries["ppt/_rels/presentation.xml.rels"] = presentation_rels.replace(
        "</Relationships>", "".join(slide_rels) + "</Relationships>"
    ).encode("utf-8")
    entries["docProps/core.xml"] = core_properties_xml(
        title=f"{plan.stamp.course_title} – {plan.stamp.audience_name}", stamp=plan.stamp
    )
    entries.pop("docProps/thumbnail.jpeg", None)
    return entries, texts


_slide_diagram = functools.lru_cache(maxsize=FRAGMENTS)(slide_diagram)


_slide_tracker = functools.lru_cache(maxsize=FRAGMENTS)(slide_tracker)


def _shapes(slide: PlanSlide, layout: _Layout, base: _Template, footer: str) -> tuple[str, str]:
    """The slide's shapes, and their text as scan reads it back."""
    # Only the stamp differs between districts' decks: the rest of a slide is drawn once per template.
    key = (slide, layout.part)
    drawn = base.drawn.get(key)
    if drawn is None:
        drawn = remember(base.drawn, key, _unstamped_shapes(slide, layout, base), FRAGMENTS)
    xml, text, shape_id = drawn
    if slide.kind == "title":
        return xml, text  # the cover carries no stamp; its subtitle says what the pack is
    margin, top = 457_200, base.height - 420_000
    stamp = textbox(
        shape_id + 1,
        "Stämpel",
        (margin, top, base.width - 2 * margin - 900_000, 300_000),
        footer,
        size=1000,
        color=GREY,
        align="l",
    )
    number = textbox(
        shape_id + 2,
        "Bildnummer",
        (base.width - margin - 800_000, top, 800_000, 300_000),
        str(slide.number),
        size=1000,
        color=GREY,
        align="r",
    )
    return xml + stamp + number, "\n".join(part for part in (text, fragment_text(stamp), fragment_text(number)) if part)


def _unstamped_shapes(slide: PlanSlide, layout: _Layout, base: _Template) -> tuple[str, str, int]:
    """The slide's shapes but the stamp, their text, and the last shape id used."""
    if layout.name != LAYOUT_FOR_KIND[slide.kind]:  # a template without the slide's own layout: its lines as bullets
        slide = slide.as_bullets()
    parts: list[str] = []
    shape_id = 2
    title_ph = layout.placeholders.get(0)
    parts.append(placeholder_shape(shape_id, "Rubrik", title_ph, (slide.title,)))
    body = layout.placeholders.get(1)
    body_box = body.box if body and body.box else _default_body(base)
    content_width = base.width - 2 * _MARGIN
    if slide.kind == "two-content" and slide.columns:
        for idx, column in zip((1, 2), slide.columns, strict=False):
            shape_id += 1
            parts.append(
                placeholder_shape(
                    shape_id,
                    f"Kolumn {idx}",
                    layout.placeholders.get(idx),
                    (column.heading, *column.bullets),
                    first_bold=True,
                )
            )
    elif slide.table:
        shape_id += 1
        parts.append(table_shape(shape_id, slide, body_box))
    elif len(slide.parts()) > 1:  # a case, an exercise, takeaways: a placeholder each
        for idx, lines in slide.parts().items():
            if lines:
                shape_id += 1
                parts.append(
                    placeholder_shape(
                        shape_id, _PART_NAMES[idx], layout.placeholders.get(idx), lines, first_bold=lines[0] == DEBRIEF
                    )
                )
    else:
        lines = tuple(line for line in slide.bullets if line)
        text_box, drawing_box = _split_body(slide, body_box, len(lines))
        if lines:
            shape_id += 1
            parts.append(
                placeholder_shape(
                    shape_id, "Text", body, lines, box=text_box, numbered=slide.numbered, start_at=slide.start_at
                )
            )
        if slide.diagram is not None:
            xml, shape_id = _slide_diagram(slide.diagram, drawing_box, shape_id + 1)
            parts.append(xml)
        if slide.source:
            x, y, cx, cy = body_box
            shape_id += 1
            parts.append(
                textbox(
                    shape_id,
                    "Källa",
                    (x + cx // 4, y + cy - 420_000, cx * 3 // 4 - 100_000, 380_000),
                    f"Källa: {slide.source}",
                    size=1800,
                    color=INK_SOFT,
                    align="r",
                )
            )
    if slide.tracker is not None:
        tracker_box = (_MARGIN, _TRACKER_TOP, content_width, _TRACKER_HEIGHT)
        xml, shape_id = _slide_tracker(slide.tracker, tracker_box, shape_id + 1)
        parts.append(xml)
    if slide.local_label and slide.kind != "local-section":  # a divider says it in its own band
        shape_id += 1
        # Inside the content area, on the line of the layout's tag, so it never meets the slide edge.
        parts.append(
            textbox(
                shape_id,
                "Lokalt tillägg",
                (_MARGIN + 2_800_000, 120_000, content_width - 2_800_000, 380_000),
                slide.local_label,
                size=1800,
                color=WARM_DARK,
                bold=True,
                align="r",
            )
        )
    return *joined(parts), shape_id


#: Shape names of a layout's body placeholders, by idx, as PowerPoint's selection pane shows them.
_PART_NAMES = {1: "Text", 2: "Text 2", 3: "Text 3"}


def _default_body(base: _Template) -> tuple[int, int, int, int]:
    return (_MARGIN, int(1.95 * _INCH), base.width - 2 * _MARGIN, int(4.85 * _INCH))


def _split_body(
    slide: PlanSlide, body: tuple[int, int, int, int], lines: int
) -> tuple[tuple[int, int, int, int] | None, tuple[int, int, int, int]]:
    """Where the text and the diagram go: a row of steps under the text, other diagrams beside it."""
    x, y, cx, cy = body
    if slide.diagram is None or not lines:
        return (None if slide.image is None else (x, y, cx * _TEXT_SHARE // 100, cy)), body
    if slide.diagram.kind == "steps":
        text_height = min(cy // 2, 150_000 + lines * 480_000)
        gap = 150_000
        return (x, y, cx, text_height), (x, y + text_height + gap, cx, cy - text_height - gap)
    text_width = cx * _TEXT_SHARE // 100
    return (x, y, text_width, cy), (x + text_width + 200_000, y, cx - text_width - 200_000, cy)


def _read_picture(path: Path) -> tuple[bytes, ImageHeader]:
    """The picture's bytes and header; check has verified it, but it may have changed since.

    Raises:
        InputOutputError: the file cannot be read, is not a PNG, JPEG or GIF, has a zero
            size or is over the pixel limit.
    """
    try:
        data = saferead.read_bytes(path, "picture")
        header = read_header(data)
    except saferead.Refused as refused:
        raise InputOutputError(
            _("cannot read the picture {file}: {reason}").format(file=path, reason=refused.message)
        ) from None
    except BrokenImage as error:
        raise InputOutputError(
            _("cannot put the picture {file} on a slide: {reason}; run 'vastbus check'").format(file=path, reason=error)
        ) from None
    if header.too_large:
        raise InputOutputError(
            _("cannot put the picture {file} on a slide: {reason}").format(file=path, reason=header.size_text())
        )
    return data, header


def _picture(slide: PlanSlide, layout: _Layout, base: _Template, header: ImageHeader) -> str:
    assert slide.image is not None
    body = layout.placeholders.get(1)
    if body and body.box:
        x, y, cx, cy = body.box
    else:
        x, y, cx, cy = base.width // 10, base.height // 4, base.width * 8 // 10, base.height // 2
    if slide.bullets:
        text_width = cx * _TEXT_SHARE // 100
        x, cx = x + text_width + 150_000, cx - text_width - 150_000
    pixels_w, pixels_h = header.width, header.height
    scale = min(cx / pixels_w, cy / pixels_h)
    width, height = int(pixels_w * scale), int(pixels_h * scale)
    x, y = x + (cx - width) // 2, y + (cy - height) // 2
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="90" name="Bild" descr={quoteattr(slide.image.alt)}/>'
        f'<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="rId3"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        f'<p:spPr>{xfrm((x, y, width, height))}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def _slide_xml(shapes: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld {_NS}><p:cSld><p:spTree>'
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/>'
        f"</a:xfrm></p:grpSpPr>{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    ).encode()


@functools.lru_cache(maxsize=FRAGMENTS)
def _notes(notes: str, placeholders: tuple[str, str]) -> tuple[bytes, str]:
    """The notes page and its text; the same notes make the same part in every deck."""
    paragraphs = paragraphs_xml([p for p in notes.split("\n\n") if p.strip()])
    return _notes_xml(paragraphs, placeholders), drawn_text(paragraphs)


def _notes_xml(paragraphs: str, placeholders: tuple[str, str]) -> bytes:
    image, body = placeholders
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes {_NS}><p:cSld><p:spTree>'
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
        f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Bild"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/>'
        f"</p:cNvSpPr><p:nvPr><p:ph {image}/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>"
        f'<p:sp><p:nvSpPr><p:cNvPr id="3" name="Anteckningar"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr><p:ph {body}/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}"
        "</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    ).encode()


def _rels_xml(relationships: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in relationships)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'
    ).encode()
