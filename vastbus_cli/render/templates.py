"""Checking the template contract by reading the templates' XML (no python-pptx needed)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from vastbus_cli.findings import Finding, Severity
from vastbus_cli.render.contract import (
    DOCX_STYLES,
    DOCX_TABLE_STYLE,
    GUIDE_TEMPLATE,
    HANDOUT_TEMPLATE,
    LAYOUTS,
    SLIDES_TEMPLATE,
)

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_PART = 20_000_000


def _error(rule: str, file: str, message: str, hint: str | None = None) -> Finding:
    return Finding(rule, Severity.ERROR, message, file, 0, 0, hint)


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > _MAX_PART:
        raise ValueError(f"{name} is too large")
    data = archive.read(name)
    if b"<!ENTITY" in data[:4096]:
        raise ValueError(f"{name} declares entities")
    return ElementTree.fromstring(data)


def slide_layouts(path: Path) -> dict[str, set[int]]:
    """Layout name → placeholder idx values, read from a .pptx."""
    found: dict[str, set[int]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", name):
                continue
            root = _xml(archive, name)
            data = root.find(f"{_P}cSld")
            layout_name = data.get("name", "") if data is not None else ""
            ids = set()
            for ph in root.iter(f"{_P}ph"):
                ids.add(int(ph.get("idx", "0")))
            found[layout_name] = ids
    return found


def paragraph_styles(path: Path) -> tuple[set[str], set[str]]:
    """(paragraph style names, table style names), lower-cased, read from a .docx."""
    paragraphs: set[str] = set()
    tables: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        root = _xml(archive, "word/styles.xml")
    for style in root.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is None:
            continue
        value = name.get(f"{_W}val", "").lower()
        (tables if style.get(f"{_W}type") == "table" else paragraphs).add(value)
    return paragraphs, tables


def template_findings(root: Path) -> list[Finding]:
    """Every layout, placeholder and style the writers need that a template lacks."""
    folder = root / "templates"
    findings: list[Finding] = []
    slides = folder / SLIDES_TEMPLATE
    rel = f"templates/{SLIDES_TEMPLATE}"
    try:
        layouts = slide_layouts(slides)
    except FileNotFoundError:
        findings.append(_error("template/missing", rel, f"{rel} is missing", "restore it from the repository"))
    except (zipfile.BadZipFile, ValueError, ElementTree.ParseError, KeyError, OSError) as error:
        findings.append(
            _error("template/unreadable", rel, f"{rel} cannot be read: {error}", "restore it or re-save it")
        )
    else:
        for layout, ids in LAYOUTS.items():
            if layout not in layouts:
                findings.append(
                    _error(
                        "template/missing-layout",
                        rel,
                        f"slide layout '{layout}' is missing from {rel}",
                        "add a layout with that exact name in the slide master (View → Slide Master)",
                    )
                )
                continue
            for idx in ids:
                if idx not in layouts[layout]:
                    findings.append(
                        _error(
                            "template/missing-placeholder",
                            rel,
                            f"layout '{layout}' has no placeholder with idx {idx}",
                            "restore the layout's title or text placeholder",
                        )
                    )
    for name in (HANDOUT_TEMPLATE, GUIDE_TEMPLATE):
        path = folder / name
        rel = f"templates/{name}"
        try:
            paragraphs, tables = paragraph_styles(path)
        except FileNotFoundError:
            findings.append(_error("template/missing", rel, f"{rel} is missing", "restore it from the repository"))
            continue
        except (zipfile.BadZipFile, ValueError, ElementTree.ParseError, KeyError, OSError) as error:
            findings.append(
                _error("template/unreadable", rel, f"{rel} cannot be read: {error}", "restore it or re-save it")
            )
            continue
        for style in DOCX_STYLES:
            if style.lower() not in paragraphs:
                findings.append(
                    _error(
                        "template/missing-style",
                        rel,
                        f"paragraph style '{style}' is missing from {rel}",
                        "define the style in Word (Styles pane → New Style) with that exact name",
                    )
                )
        if DOCX_TABLE_STYLE.lower() not in tables:
            findings.append(
                _error(
                    "template/missing-style",
                    rel,
                    f"table style '{DOCX_TABLE_STYLE}' is missing from {rel}",
                    "define a table style with that exact name",
                )
            )
    return findings
