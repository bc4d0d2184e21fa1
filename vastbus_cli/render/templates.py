"""Checking the templates: the package the writers copy, and the names they look up.

A template is read the way the writers read it. Every part is decompressed and every
XML part parsed (DTDs and entities refused wherever they are); the parts the writers
use must exist, every relationship must point at a part that exists, and every part
needs a content type. Then the contract: the layouts, placeholders and styles named in
:mod:`vastbus_cli.render.contract`. ``check`` reports every problem; the writers refuse
a template with any (:class:`BrokenTemplate`), so a template damaged after ``check``
stops a build with one line naming the part instead of a traceback or a broken deck.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import unquote
from xml.parsers import expat

from vastbus_cli import saferead
from vastbus_cli.errors import InputOutputError
from vastbus_cli.findings import Finding
from vastbus_cli.i18n import N_, _, language
from vastbus_cli.render.contract import (
    DOCX_STYLES,
    DOCX_TABLE_STYLE,
    GUIDE_TEMPLATE,
    HANDOUT_TEMPLATE,
    LAYOUTS,
    OPTIONAL_LAYOUTS,
    SLIDES_TEMPLATE,
)
from vastbus_cli.rules import ERROR, TEMPLATE, Rule

Kind = Literal["pptx", "docx"]

_BROKEN = N_(
    "a template lacks what the writers need: a part (notes master, slide master, theme, "
    "styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD"
)
TEMPLATE_MISSING = Rule("template/missing", ERROR, TEMPLATE, _BROKEN)
TEMPLATE_UNREADABLE = Rule("template/unreadable", ERROR, TEMPLATE, _BROKEN)
TEMPLATE_MISSING_PART = Rule("template/missing-part", ERROR, TEMPLATE, _BROKEN)
TEMPLATE_MISSING_LAYOUT = Rule("template/missing-layout", ERROR, TEMPLATE, _BROKEN)
TEMPLATE_MISSING_PLACEHOLDER = Rule("template/missing-placeholder", ERROR, TEMPLATE, _BROKEN)
TEMPLATE_MISSING_STYLE = Rule("template/missing-style", ERROR, TEMPLATE, _BROKEN)
RULES: tuple[Rule, ...] = (
    TEMPLATE_MISSING,
    TEMPLATE_UNREADABLE,
    TEMPLATE_MISSING_PART,
    TEMPLATE_MISSING_LAYOUT,
    TEMPLATE_MISSING_PLACEHOLDER,
    TEMPLATE_MISSING_STYLE,
)

_MAX_PART = 20_000_000
_MAX_TOTAL = 100_000_000
_MAX_PARTS = 2_000
_RESTORE = N_("restore it from the repository")
_APP = {"pptx": "PowerPoint", "docx": "Word"}
_MAIN = {"pptx": "ppt/presentation.xml", "docx": "word/document.xml"}
#: Parts the writers read by name, beyond the main part and the package's own two.
_REQUIRED: dict[Kind, tuple[str, ...]] = {
    "pptx": ("ppt/_rels/presentation.xml.rels",),
    "docx": ("word/_rels/document.xml.rels", "word/styles.xml"),
}
#: Relationships the main part must have: (type, what it is called in a message).
_MAIN_RELATIONSHIPS: dict[Kind, tuple[tuple[str, str], ...]] = {
    "pptx": (("slideMaster", "slide master"), ("notesMaster", "notes master"), ("theme", "theme")),
    "docx": (("styles", "style part"),),
}
_ROLE = {
    "slideMaster": N_("slide master"),
    "slideLayout": N_("slide layout"),
    "notesMaster": N_("notes master"),
    "theme": N_("theme"),
    "styles": N_("style part"),
    "numbering": N_("numbering part"),
    "settings": N_("settings part"),
    "fontTable": N_("font table"),
    "officeDocument": N_("main part"),
}
_LAYOUT_PART = re.compile(r"ppt/slideLayouts/slideLayout\d+\.xml")
_NOTES_MASTER_PART = re.compile(r"ppt/notesMasters/notesMaster\d+\.xml")
_STYLE = re.compile(rb'<w:style\b([^>]*)>\s*<w:name w:val="([^"]*)"')
_STYLE_TYPE = re.compile(rb'w:type="(\w+)"')
_LIST_NUMBER = re.compile(rb'<w:style\b[^>]*>\s*<w:name w:val="List Number"/>(.*?)</w:style>', re.DOTALL)
_NUM_ID = re.compile(rb'<w:numId w:val="(\d+)"')


class BrokenTemplate(InputOutputError):
    """A template lacks a part the writers need, or a part cannot be read (exit 3)."""


# NamedTuples and plain classes, not dataclasses: check imports this module on every
# run, and creating a dataclass takes ~0.5 ms.
class _Relationship(NamedTuple):
    type: str  # the last segment of the type URI, e.g. "slideMaster"
    target: str  # the part name inside the package, or "" when external


class _Xml(NamedTuple):
    """What the parse of one XML part found; most parts only need to be well-formed."""

    relationships: tuple[_Relationship, ...] = ()
    defaults: tuple[str, ...] = ()  # content types: lower-case extensions
    overrides: tuple[str, ...] = ()  # content types: lower-case part names
    layout_name: str | None = None
    placeholders: frozenset[int] = frozenset()


class Package:
    """A template's parts, each read and parsed once, and every problem found on the way."""

    def __init__(self, path: Path, kind: Kind) -> None:
        """An empty package; :func:`read_package` fills it."""
        self.path = path
        self.kind: Kind = kind
        self.parts: dict[str, bytes] = {}
        self.xml: dict[str, _Xml] = {}
        self.problems: list[tuple[Rule, str]] = []  # (rule, message)
        self.unreadable: set[str] = set()  # parts present but not usable
        self.reported: set[str] = set()  # parts already reported missing

    @property
    def rel(self) -> str:
        """The template as the user sees it: ``templates/<name>``."""
        return f"templates/{self.path.name}"

    @property
    def hint(self) -> str:
        """How to get a whole template back."""
        return _("restore {rel} from the repository, or re-save it in {app}").format(rel=self.rel, app=_APP[self.kind])

    def problem(self, rule: Rule, message: str) -> None:
        """Note a problem (rule and message)."""
        self.problems.append((rule, message))

    def raise_if_broken(self) -> None:
        """Raise for the first problem; the writers call this before using any part.

        Raises:
            BrokenTemplate: the template has a problem.
        """
        if not self.problems:
            return
        count = len(self.problems)
        more = _(" (and {n} more problem(s); run 'vastbus check')").format(n=count - 1) if count > 1 else ""
        raise BrokenTemplate(
            _("{rel} cannot be used: {problems}{more}; {hint}").format(
                rel=self.rel, problems=self.problems[0][1], more=more, hint=self.hint
            )
        )


class _Refused(Exception):
    """A part declares a DTD or entities, which Office files never do."""


def read_package(path: Path, kind: Kind) -> Package:
    """Read and check a template package; problems are collected on the result, never raised.

    Raises:
        FileNotFoundError: there is no file at ``path``.
    """
    package = Package(path, kind)
    try:
        # Opening a pipe or device would wait for ever (or read for ever): saferead refuses them.
        stream = saferead.open_regular(path, "template")
    except saferead.Refused as refused:
        if refused.problem == "missing":
            raise FileNotFoundError(path) from None
        package.problem(TEMPLATE_UNREADABLE, _("it cannot be read: {problem}").format(problem=refused.message))
        return package
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        stream.close()
        package.problem(TEMPLATE_UNREADABLE, _("it is not an Office file (a zip archive): {error}").format(error=error))
        return package
    with stream, archive:
        if _guard(package, archive):
            _read_parts(package, archive)
    if package.problems and not package.parts:
        return package
    _check_structure(package)
    return package


def _guard(package: Package, archive: zipfile.ZipFile) -> bool:
    infos = archive.infolist()
    if len(infos) > _MAX_PARTS:
        package.problem(
            TEMPLATE_UNREADABLE, _("it has {n} parts (limit {limit})").format(n=len(infos), limit=_MAX_PARTS)
        )
        return False
    if sum(info.file_size for info in infos) > _MAX_TOTAL:
        package.problem(TEMPLATE_UNREADABLE, _("it unpacks to more than {limit} bytes").format(limit=_MAX_TOTAL))
        return False
    if any(info.flag_bits & 0x1 for info in infos):
        package.problem(TEMPLATE_UNREADABLE, _("it is encrypted (password-protected)"))
        return False
    return True


def _read_parts(package: Package, archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        name = info.filename
        if name.endswith("/"):
            continue
        problem = _read_part(package, archive, info)
        if problem:
            package.unreadable.add(name)
            package.problem(TEMPLATE_UNREADABLE, f"{name} {problem}")


def _read_part(package: Package, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Read (and parse) one part into the package; what is wrong with it, if anything."""
    name = info.filename
    if info.file_size > _MAX_PART:
        return _("unpacks to {size} bytes (limit {limit})").format(size=info.file_size, limit=_MAX_PART)
    try:
        data = archive.read(info)
    except (zlib.error, zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        return _("cannot be decompressed ({error})").format(error=error)
    package.parts[name] = data
    if not name.endswith((".xml", ".rels")):
        return None
    try:
        package.xml[name] = _parse(name, data)
        data.decode("utf-8")  # the writers edit these parts as UTF-8 text
    except _Refused:
        return _("declares a DTD or entities, which Office files never do")
    except expat.ExpatError as error:
        return _("is not well-formed XML (line {lineno}: {reason})").format(
            lineno=error.lineno, reason=expat.ErrorString(error.code)
        )
    except UnicodeDecodeError:
        return _("is not encoded in UTF-8")
    return None


def _refuse(*_: object) -> None:
    raise _Refused


class _Collected:
    def __init__(self) -> None:
        self.relationships: list[_Relationship] = []
        self.defaults: list[str] = []
        self.overrides: list[str] = []
        self.layout_names: list[str] = []
        self.placeholders: list[str] = []


def _parse(name: str, data: bytes) -> _Xml:
    """Parse one part, collecting what the checks need from the few parts they read.

    Without namespace processing, which triples the cost of the 340 kB styles part:
    the writers find elements by their prefixed names (``p:cSld``), and so does this.

    Raises:
        _Refused: the part declares a DTD or entities.
        expat.ExpatError: the part is not well-formed XML.
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found = _Collected()
    if name.endswith(".rels"):
        parser.StartElementHandler = functools.partial(_on_relationship, name, found)
    elif name == "[Content_Types].xml":
        parser.StartElementHandler = functools.partial(_on_content_type, found)
    elif _LAYOUT_PART.fullmatch(name):
        parser.StartElementHandler = functools.partial(_on_layout, found)
    parser.Parse(data, True)
    return _Xml(
        relationships=tuple(found.relationships),
        defaults=tuple(found.defaults),
        overrides=tuple(found.overrides),
        layout_name=found.layout_names[0] if found.layout_names else None,
        placeholders=frozenset(int(idx) for idx in found.placeholders if idx.isdigit()),
    )


def _on_relationship(rels: str, found: _Collected, tag: str, attributes: dict[str, str]) -> None:
    if tag.rpartition(":")[2] != "Relationship":
        return
    kind = attributes.get("Type", "").rsplit("/", 1)[-1]
    target = unquote(attributes.get("Target", ""))
    if attributes.get("TargetMode") == "External" or not target:
        found.relationships.append(_Relationship(kind, ""))
        return
    source_folder = posixpath.dirname(posixpath.dirname(rels))  # ppt/_rels/x.xml.rels → ppt
    resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(source_folder, target)
    found.relationships.append(_Relationship(kind, posixpath.normpath(resolved)))


def _on_content_type(found: _Collected, tag: str, attributes: dict[str, str]) -> None:
    local = tag.rpartition(":")[2]
    if local == "Default":
        found.defaults.append(attributes.get("Extension", "").lower())
    elif local == "Override":
        found.overrides.append(attributes.get("PartName", "").lstrip("/").lower())


def _on_layout(found: _Collected, tag: str, attributes: dict[str, str]) -> None:
    if tag == "p:cSld":
        found.layout_names.append(attributes.get("name", ""))
    elif tag == "p:ph":
        found.placeholders.append(attributes.get("idx", "0"))


def _check_structure(package: Package) -> None:
    """Required parts, relationship targets and content types."""
    kind = package.kind
    main = _MAIN[kind]
    _check_targets(package)
    for name in ("[Content_Types].xml", "_rels/.rels", main, *_REQUIRED[kind]):
        if name not in package.parts and name not in package.reported | package.unreadable:
            package.problem(TEMPLATE_MISSING_PART, _("{name} is missing").format(name=name))
    roots = package.xml.get("_rels/.rels")
    if roots is not None and not any(r.type == "officeDocument" and r.target == main for r in roots.relationships):
        package.problem(TEMPLATE_MISSING_PART, _("_rels/.rels does not name {main} as the main part").format(main=main))
    main_rels = package.xml.get(posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels"))
    if main_rels is not None:
        for rel_type, role in _MAIN_RELATIONSHIPS[kind]:
            if not any(r.type == rel_type for r in main_rels.relationships):
                package.problem(
                    TEMPLATE_MISSING_PART,
                    _("it has no {role}: {main} has no relationship to one").format(role=_(role), main=main),
                )
    _check_content_types(package)
    if kind == "pptx":
        _check_presentation(package, main)
    else:
        _check_document(package, main)


def _check_presentation(package: Package, main: str) -> None:
    if not any(_NOTES_MASTER_PART.fullmatch(name) for name in package.parts) and not any(
        _NOTES_MASTER_PART.fullmatch(name) for name in package.reported | package.unreadable
    ):
        package.problem(TEMPLATE_MISSING_PART, _("it has no notes master (ppt/notesMasters/notesMaster1.xml)"))
    presentation = package.parts.get(main, b"")
    if main in package.xml and b"<p:sldSz" not in presentation and b"<p:sldIdLst/>" not in presentation:
        package.problem(TEMPLATE_MISSING_PART, _("{main} has no slide size (<p:sldSz>)").format(main=main))


def _check_document(package: Package, main: str) -> None:
    document = package.parts.get(main)
    if document is not None and main in package.xml and b"<w:body>" not in document:
        package.problem(TEMPLATE_MISSING_PART, _("{main} has no body (<w:body>)").format(main=main))
    styles = package.parts.get("word/styles.xml") if "word/styles.xml" in package.xml else None
    style = _LIST_NUMBER.search(styles) if styles else None
    number = _NUM_ID.search(style.group(1)) if style else None
    if number is None:
        return
    numbering = package.parts.get("word/numbering.xml")
    if numbering is None or b'<w:num w:numId="' + number.group(1) + b'"' not in numbering:
        package.problem(
            TEMPLATE_MISSING_PART,
            _("numbering {number} of style 'List Number' is missing from word/numbering.xml").format(
                number=number.group(1).decode()
            ),
        )


def _check_targets(package: Package) -> None:
    """One problem per missing part, naming what refers to it."""
    missing: dict[str, tuple[str, list[str]]] = {}
    for name, parsed in package.xml.items():
        for relationship in parsed.relationships:
            target = relationship.target
            if target and target not in package.parts and target not in package.unreadable:
                role = _ROLE.get(relationship.type, relationship.type)
                missing.setdefault(target, (role, []))[1].append(name)
    for target, (role, sources) in sorted(missing.items()):
        package.reported.add(target)
        package.problem(
            TEMPLATE_MISSING_PART,
            (
                _("the {role} {target} is missing; {source} and {n} other part(s) refer to it")
                if len(sources) > 1
                else _("the {role} {target} is missing; {source} refers to it")
            ).format(role=_(role), target=target, source=sorted(sources)[0], n=len(sources) - 1),
        )


def _check_content_types(package: Package) -> None:
    types = package.xml.get("[Content_Types].xml")
    if types is None:
        return
    defaults, overrides = set(types.defaults), set(types.overrides)
    for name in package.parts:
        if name == "[Content_Types].xml" or name.lower() in overrides:
            continue
        # Not splitext: "_rels/.rels" has the extension "rels" in a content-types file.
        base = posixpath.basename(name)
        if "." not in base or base.rpartition(".")[2].lower() not in defaults:
            package.problem(
                TEMPLATE_MISSING_PART, _("{name} has no content type in [Content_Types].xml").format(name=name)
            )


# --- the contract -----------------------------------------------------------------------------


def slide_layouts(package: Package) -> dict[str, set[int]]:
    """Layout name → placeholder idx values."""
    return {
        parsed.layout_name if parsed.layout_name is not None else name: set(parsed.placeholders)
        for name, parsed in package.xml.items()
        if _LAYOUT_PART.fullmatch(name)
    }


def paragraph_styles(package: Package) -> tuple[set[str], set[str]]:
    """(paragraph style names, table style names), lower-cased, as the Word writer finds them."""
    paragraphs: set[str] = set()
    tables: set[str] = set()
    for match in _STYLE.finditer(package.parts.get("word/styles.xml", b"")):
        style_type = _STYLE_TYPE.search(match.group(1))
        name = _unescape(match.group(2).decode("utf-8", "replace")).lower()
        (tables if style_type and style_type.group(1) == b"table" else paragraphs).add(name)
    return paragraphs, tables


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _missing_placeholders(layout: str, ids: tuple[int, ...], found: Iterable[int]) -> Iterator[tuple[Rule, str, str]]:
    have = set(found)
    for idx in ids:
        if idx not in have:
            yield (
                TEMPLATE_MISSING_PLACEHOLDER,
                _("layout '{layout}' has no placeholder with idx {idx}").format(layout=layout, idx=idx),
                _("restore the layout's title or text placeholder"),
            )


def _contract(package: Package) -> Iterator[tuple[Rule, str, str]]:
    """(rule, message, hint) for every layout, placeholder and style the writers need but miss."""
    if package.kind == "pptx":
        layouts = slide_layouts(package)
        for layout, ids in LAYOUTS.items():
            if layout not in layouts:
                yield (
                    TEMPLATE_MISSING_LAYOUT,
                    _("slide layout '{layout}' is missing from {rel}").format(layout=layout, rel=package.rel),
                    _("add a layout with that exact name in the slide master (View → Slide Master)"),
                )
                continue
            yield from _missing_placeholders(layout, ids, layouts[layout])
        for layout, (ids, _stand_in) in OPTIONAL_LAYOUTS.items():
            if layout in layouts:  # optional, but when a template has it, the writer fills these
                yield from _missing_placeholders(layout, ids, layouts[layout])
        return
    paragraphs, tables = paragraph_styles(package)
    for style in DOCX_STYLES:
        if style.lower() not in paragraphs:
            yield (
                TEMPLATE_MISSING_STYLE,
                _("paragraph style '{style}' is missing from {rel}").format(style=style, rel=package.rel),
                _("define the style in Word (Styles pane → New Style) with that exact name"),
            )
    if DOCX_TABLE_STYLE.lower() not in tables:
        yield (
            TEMPLATE_MISSING_STYLE,
            _("table style '{style}' is missing from {rel}").format(style=DOCX_TABLE_STYLE, rel=package.rel),
            _("define a table style with that exact name"),
        )


def _contract_readable(package: Package) -> bool:
    """Whether the parts the contract reads are all there, so a missing name is really missing."""
    if package.kind == "pptx":
        return bool(package.parts) and not any(_LAYOUT_PART.fullmatch(name) for name in package.unreadable)
    return "word/styles.xml" in package.xml


def template_findings(root: Path) -> list[Finding]:
    """Every problem of the three templates: unreadable or missing parts, layouts, placeholders, styles."""
    findings: list[Finding] = []
    templates: tuple[tuple[str, Kind], ...] = (
        (SLIDES_TEMPLATE, "pptx"),
        (HANDOUT_TEMPLATE, "docx"),
        (GUIDE_TEMPLATE, "docx"),
    )
    for name, kind in templates:
        rel = f"templates/{name}"
        path = root / "templates" / name
        try:
            package = _read_once(str(path), kind, path.stat().st_mtime, language())
        except FileNotFoundError:
            findings.append(TEMPLATE_MISSING.at(_("{rel} is missing").format(rel=rel), rel, 0, 0, _(_RESTORE)))
            continue
        for rule, message in package.problems:
            findings.append(rule.at(f"{rel}: {message}", rel, 0, 0, package.hint))
        if _contract_readable(package):
            findings.extend(rule.at(message, rel, 0, 0, hint) for rule, message, hint in _contract(package))
    return findings


@functools.cache
def _read_once(path: str, kind: Kind, mtime: float, lang: str) -> Package:
    """A template read once per process while unchanged: ``check`` and the writers of a build share it.

    Its problems are kept as text, so the language they are written in is part of the key.
    """
    return read_package(Path(path), kind)


def usable_package(path: str, kind: Kind, mtime: float) -> Package:
    """A template the writers can use.

    Raises:
        BrokenTemplate: the template is missing or has any problem ``check`` reports.
    """
    try:
        package = _read_once(path, kind, mtime, language())
    except FileNotFoundError:
        raise BrokenTemplate(
            _("templates/{name} is missing; restore it from the repository").format(name=Path(path).name)
        ) from None
    package.raise_if_broken()
    return package


__all__ = ["BrokenTemplate", "Package", "read_package", "template_findings", "usable_package"]
