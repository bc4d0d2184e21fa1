"""Text and properties of .pptx and .docx files, read straight from the zip.

Used by ``build`` (the content hash it stamps) and ``scan`` (which recomputes it), so
both see exactly the same text. The XML parser never resolves entities or fetches
anything, and every entry is size-limited before it is parsed.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import lzma
import posixpath
import re
import zipfile
import zlib
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
MAX_ENTRY_BYTES = 50_000_000
MAX_ENTRIES = 10_000
#: Parts read, and bytes unpacked, per package. A part can be referenced any number of
#: times (one slide listed a million times in presentation.xml), so the entries' sizes
#: alone do not bound the work. A 1000-slide deck with notes takes about 3000 reads.
MAX_PART_READS = 30_000
MAX_READ_BYTES = 500_000_000
#: How much of a part is decompressed and parsed at a time when it is streamed.
CHUNK_BYTES = 1 << 20
#: What a damaged or unusual compressed entry can raise while it is read (bz2 raises OSError).
_DECOMPRESSION_ERRORS = (zlib.error, lzma.LZMAError, EOFError, OSError, zipfile.BadZipFile, NotImplementedError)


class UnreadableDocument(Exception):
    """The file is not an Office document this tool can read safely; the message says why."""


@dataclass(frozen=True)
class TextPiece:
    """Text at a human location: 'slide 4', 'notes of slide 4', 'paragraph 12', 'table 2'."""

    location: str
    text: str


@functools.cache
def _parser() -> etree.XMLParser:
    """One parser per process; every part of every file is parsed with it."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
    )


class Parts:
    """Read access to a package's parts, from a zip file or from memory, with size limits."""

    def __init__(self, archive: zipfile.ZipFile | None = None, entries: dict[str, bytes] | None = None) -> None:
        """Wrap a zip archive or a name → bytes mapping."""
        self.archive = archive
        self.entries = entries
        self._reads = 0
        self._bytes = 0

    def names(self) -> list[str]:
        """Part names."""
        if self.entries is not None:
            return list(self.entries)
        assert self.archive is not None
        return self.archive.namelist()

    def read(self, name: str) -> bytes | None:
        """The bytes of a part, or None when absent.

        Raises:
            UnreadableDocument: the part is too large or its compressed data is damaged.
        """
        chunks = self.chunks(name)
        return None if chunks is None else b"".join(chunks)

    def chunks(self, name: str) -> Iterator[bytes] | None:
        """The bytes of a part a piece at a time, so that a large part is never held whole; None when absent.

        Raises:
            UnreadableDocument: (while iterating) the part is too large or its compressed data is damaged.
        """
        if self.entries is not None:
            data = self.entries.get(name)
            if data is None:
                return None
            self._count_read()
            self._count_bytes(len(data))
            return iter((data,))
        assert self.archive is not None
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_ENTRY_BYTES:
            raise UnreadableDocument(f"{name} unpacks to {info.file_size} bytes (limit {MAX_ENTRY_BYTES})")
        self._count_read()
        return self._decompress(info)

    def _count_read(self) -> None:
        self._reads += 1
        if self._reads > MAX_PART_READS:
            raise UnreadableDocument(
                f"reading its text takes more than {MAX_PART_READS} part reads (parts referenced over and over)"
            )

    def _count_bytes(self, size: int) -> None:
        self._bytes += size
        if self._bytes > MAX_READ_BYTES:
            raise UnreadableDocument(
                f"reading its text unpacks more than {MAX_READ_BYTES} bytes (parts referenced over and over)"
            )

    def _decompress(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        assert self.archive is not None
        total = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    total += len(chunk)
                    # The size in the header is the sender's claim; count what actually comes out.
                    if total > MAX_ENTRY_BYTES:
                        raise UnreadableDocument(f"{info.filename} unpacks to more than {MAX_ENTRY_BYTES} bytes")
                    self._count_bytes(len(chunk))
                    yield chunk
        except _DECOMPRESSION_ERRORS as error:
            raise UnreadableDocument(_damaged(info.filename, error)) from None


def _damaged(name: str, error: BaseException) -> str:
    """Why a zip entry could not be decompressed, in words."""
    if isinstance(error, NotImplementedError):
        return f"{name} uses a compression method this tool cannot read ({error})"
    if isinstance(error, EOFError):
        return f"{name} is truncated ({error or 'the compressed data ends early'})"
    if isinstance(error, zipfile.BadZipFile):
        return f"{name} is damaged ({error})"
    return f"{name} has corrupt compressed data ({error})"


_DTD = "declares a DTD or entities, which Office files never do"


def _refuse_dtd(tree: etree._ElementTree, name: str) -> None:
    """Refuse any DOCTYPE: an entity declared in it could hide text from the scan (it is never expanded)."""
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnreadableDocument(f"{name} {_DTD}")


def read_xml(parts: Parts, name: str) -> etree._Element | None:
    """Parse one part safely; None when absent."""
    data = parts.read(name)
    if data is None:
        return None
    # A quick refusal before parsing; the check after parsing catches a DTD anywhere before the root.
    if b"<!ENTITY" in data[:4096] or b"<!DOCTYPE" in data[:4096]:
        raise UnreadableDocument(f"{name} {_DTD}")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(f"{name} is not well-formed XML ({error.msg})") from None
    _refuse_dtd(root.getroottree(), name)
    return root


def _children_of_body(chunks: Iterable[bytes], name: str) -> Iterator[etree._Element]:
    """Each complete child element of the first ``w:body``, parsed as the part streams in.

    A child is freed once the caller has it, so a long document costs the memory of its
    largest paragraph or table rather than of the whole tree.
    """
    parser = etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    body_tag = f"{{{NS['w']}}}body"
    depth = 0
    body: etree._Element | None = None
    body_depth_seen = False
    for chunk in itertools.chain(chunks, (None,)):
        try:
            if chunk is None:
                parser.close()
            else:
                parser.feed(chunk)
            events = list(parser.read_events())
        except etree.XMLSyntaxError as error:
            raise UnreadableDocument(f"{name} is not well-formed XML ({error.msg})") from None
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    _refuse_dtd(element.getroottree(), name)
                elif depth == 2 and not body_depth_seen and element.tag == body_tag:
                    body, body_depth_seen = element, True
                continue
            depth -= 1
            if depth == 2 and body is not None and element.getparent() is body:
                yield element
                # Comments and processing instructions before it were skipped; free them too.
                while (previous := element.getprevious()) is not None:
                    body.remove(previous)
                body.remove(element)
            elif depth == 1 and element is body:
                body = None


def _rels(parts: Parts, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    root = read_xml(parts, posixpath.join(folder, "_rels", name + ".rels"))
    if root is None:
        return {}
    targets = {}
    for rel in root.findall("rel:Relationship", NS):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        targets[rel.get("Id", "")] = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
    return targets


def _shape_text(element: etree._Element) -> str:
    paragraphs = []
    for paragraph in element.iter(f"{{{NS['a']}}}p"):
        paragraphs.append("".join(t.text or "" for t in paragraph.iter(f"{{{NS['a']}}}t")))
    return "\n".join(p for p in paragraphs if p.strip())


def pptx_text(parts: Parts) -> Generator[TextPiece, None, None]:
    """Slides in presentation order (shapes, groups, tables), then each slide's notes."""
    presentation = read_xml(parts, "ppt/presentation.xml")
    if presentation is None:
        raise UnreadableDocument("ppt/presentation.xml is missing: not a PowerPoint file")
    rels = _rels(parts, "ppt/presentation.xml")
    ids = presentation.findall("p:sldIdLst/p:sldId", NS)
    for number, slide_id in enumerate(ids, start=1):
        part = rels.get(slide_id.get(f"{{{NS['r']}}}id", ""))
        slide = read_xml(parts, part) if part else None
        if part is None or slide is None:
            continue
        text = _shape_text(slide)
        if text:
            yield TextPiece(f"slide {number}", text)
        for target in _rels(parts, part).values():
            if "notesSlide" in target:
                notes = read_xml(parts, target)
                if notes is not None:
                    body = "\n".join(
                        _shape_text(shape)
                        for shape in notes.iter(f"{{{NS['p']}}}sp")
                        if shape.find(".//p:ph[@type='body']", NS) is not None
                    )
                    if body.strip():
                        yield TextPiece(f"notes of slide {number}", body)


def _w_text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{NS['w']}}}t"))


def docx_text(parts: Parts) -> Generator[TextPiece, None, None]:
    """Body paragraphs and tables in order, then headers and footers."""
    chunks = parts.chunks("word/document.xml")
    if chunks is None:
        raise UnreadableDocument("word/document.xml is missing: not a Word file")
    paragraph_number = table_number = 0
    for child in _children_of_body(chunks, "word/document.xml"):
        tag = etree.QName(child).localname
        if tag == "p":
            paragraph_number += 1
            text = _w_text(child)
            if text.strip():
                yield TextPiece(f"paragraph {paragraph_number}", text)
        elif tag == "tbl":
            table_number += 1
            rows = [" | ".join(_w_text(cell) for cell in row.findall("w:tc", NS)) for row in child.findall("w:tr", NS)]
            text = "\n".join(rows)
            if text.strip():
                yield TextPiece(f"table {table_number}", text)
    for name in sorted(n for n in parts.names() if re.fullmatch(r"word/(header|footer)\d*\.xml", n)):
        part = read_xml(parts, name)
        if part is not None and _w_text(part).strip():
            kind = "header" if "header" in name else "footer"
            yield TextPiece(kind, "\n".join(_w_text(p) for p in part.iter(f"{{{NS['w']}}}p")))


def document_text(parts: Parts, kind: str) -> list[TextPiece]:
    """All text of a .pptx or .docx package."""
    return list(pptx_text(parts) if kind == "pptx" else docx_text(parts))


def content_sha256(pieces: Iterable[TextPiece]) -> str:
    """The content hash stamped into built files: locations and text, in order."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece.location.encode("utf-8") + b"\x00" + piece.text.encode("utf-8") + b"\x01")
    return digest.hexdigest()


def custom_properties(parts: Parts) -> dict[str, str]:
    """The custom document properties (name → text value)."""
    root = read_xml(parts, "docProps/custom.xml")
    if root is None:
        return {}
    found = {}
    for prop in root.findall("op:property", NS):
        value = next(iter(prop), None)
        found[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return found
