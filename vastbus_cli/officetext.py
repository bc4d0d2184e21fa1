"""Text and properties of .pptx and .docx files, read straight from the zip.

Used by ``scan``, which computes the content hash ``build`` stamped (``texthash``) from
the text read back, and by the tests that hold the two equal. The XML parser never
resolves entities or fetches anything, and every entry is size-limited before it is parsed.
"""

from __future__ import annotations

import collections
import functools
import itertools
import lzma
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from lxml import etree

from vastbus_cli.i18n import N_, _
from vastbus_cli.texthash import content_hash

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
#: The work allowed per package. A part can be referenced any number of times (one slide
#: listed 30 000 times in presentation.xml, 49 headers of empty paragraphs), so the entries'
#: sizes alone do not bound it: every reference counts its part's bytes and elements again,
#: even when the part was parsed before (each part is parsed once while it stays in the
#: cache). A 1000-slide deck with notes takes about 3000 reads, 30 MB and 500 000 elements.
MAX_PART_READS = 30_000
MAX_WORK_BYTES = 100_000_000
#: Elements parsed per package, counted as tags (``<``) in the bytes parsed.
MAX_WORK_ELEMENTS = 1_500_000
#: A part parsed whole into a tree (rather than streamed) holds at most this many elements
#: (about 100 MB of tree at the most); a larger one is too much work.
MAX_TREE_ELEMENTS = 400_000
#: Parts kept parsed per package (the least recently used is dropped), and the largest tree
#: kept: a larger one is parsed again when referenced again (its work counted each time).
CACHED_PARTS = 64
CACHED_TREE_ELEMENTS = 50_000
#: How much of a part is decompressed and parsed at a time when it is streamed.
CHUNK_BYTES = 1 << 20
#: What a damaged or unusual compressed entry can raise while it is read (bz2 raises OSError).
_DECOMPRESSION_ERRORS = (zlib.error, lzma.LZMAError, EOFError, OSError, zipfile.BadZipFile, NotImplementedError)


T = TypeVar("T")


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

    def __init__(
        self,
        archive: zipfile.ZipFile | None = None,
        entries: dict[str, bytes] | None = None,
        *,
        max_work_bytes: int = MAX_WORK_BYTES,
        max_work_elements: int = MAX_WORK_ELEMENTS,
    ) -> None:
        """Wrap a zip archive or a name → bytes mapping, with a budget of work (see :data:`MAX_WORK_BYTES`)."""
        self.archive = archive
        self.entries = entries
        self.max_work_bytes = max_work_bytes
        self.max_work_elements = max_work_elements
        self._reads = 0
        #: Work done so far: bytes and elements parsed, every reference to a part counted.
        self.work_bytes = 0
        self.work_elements = 0
        self._cache: collections.OrderedDict[Hashable, tuple[Any, int, int]] = collections.OrderedDict()

    def once(self, key: Hashable, compute: Callable[[], T], *, keep_elements: int | None = None) -> T:
        """What ``compute`` makes of a part, parsed once while cached; every call counts its work.

        The first call counts the bytes and elements ``compute`` parses; a later call for the
        same key counts them again without parsing, so a part referenced over and over costs
        its work each time and the budget stops it. A value that took more than ``keep_elements``
        elements is not kept (a large tree): it is parsed again, and counted again, when needed.
        """
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self._count_read()
            self._charge(cached[1], cached[2])
            return cast(T, cached[0])
        bytes_before, elements_before = self.work_bytes, self.work_elements
        value = compute()
        elements = self.work_elements - elements_before
        if keep_elements is not None and elements > keep_elements:
            return value
        self._cache[key] = (value, self.work_bytes - bytes_before, elements)
        if len(self._cache) > CACHED_PARTS:
            self._cache.popitem(last=False)
        return value

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

    def size(self, name: str) -> int | None:
        """The size a part says it unpacks to; None when absent.

        A damaged or hostile zip may claim too little: reading the part still counts what comes out.
        """
        if self.entries is not None:
            data = self.entries.get(name)
            return None if data is None else len(data)
        assert self.archive is not None
        try:
            return self.archive.getinfo(name).file_size
        except KeyError:
            return None

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
            self._charge(len(data), data.count(b"<"))
            return iter((data,))
        assert self.archive is not None
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_ENTRY_BYTES:
            raise UnreadableDocument(
                _("{name} unpacks to {size} bytes (limit {limit})").format(
                    name=name, size=info.file_size, limit=MAX_ENTRY_BYTES
                )
            )
        self._count_read()
        return self._decompress(info)

    def _count_read(self) -> None:
        self._reads += 1
        if self._reads > MAX_PART_READS:
            raise UnreadableDocument(
                _(
                    "too much work: reading its text takes more than {n} part reads (parts referenced over and over)"
                ).format(n=MAX_PART_READS)
            )

    def _charge(self, size: int, elements: int) -> None:
        self.work_bytes += size
        self.work_elements += elements
        if self.work_bytes > self.max_work_bytes:
            raise UnreadableDocument(
                _(
                    "too much work: reading its text parses more than {n} bytes "
                    "(large parts, or parts referenced over and over)"
                ).format(n=self.max_work_bytes)
            )
        if self.work_elements > self.max_work_elements:
            raise UnreadableDocument(
                _(
                    "too much work: reading its text parses more than {n} XML elements "
                    "(parts full of empty elements, or referenced over and over)"
                ).format(n=self.max_work_elements)
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
                        raise UnreadableDocument(
                            _("{name} unpacks to more than {limit} bytes").format(
                                name=info.filename, limit=MAX_ENTRY_BYTES
                            )
                        )
                    self._charge(len(chunk), chunk.count(b"<"))
                    yield chunk
        except _DECOMPRESSION_ERRORS as error:
            raise UnreadableDocument(_damaged(info.filename, error)) from None


def _damaged(name: str, error: BaseException) -> str:
    """Why a zip entry could not be decompressed, in words."""
    if isinstance(error, NotImplementedError):
        return _("{name} uses a compression method this tool cannot read ({error})").format(name=name, error=error)
    if isinstance(error, EOFError):
        return _("{name} is truncated ({error})").format(name=name, error=error or _("the compressed data ends early"))
    if isinstance(error, zipfile.BadZipFile):
        return _("{name} is damaged ({error})").format(name=name, error=error)
    return _("{name} has corrupt compressed data ({error})").format(name=name, error=error)


_DTD = N_("{name} declares a DTD or entities, which Office files never do")


def _refuse_dtd(tree: etree._ElementTree, name: str) -> None:
    """Refuse any DOCTYPE: an entity declared in it could hide text from the scan (it is never expanded)."""
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnreadableDocument(_(_DTD).format(name=name))


def read_xml(parts: Parts, name: str) -> etree._Element | None:
    """Parse one part safely, once while it stays cached (every call counts its work); None when absent."""
    return parts.once(("xml", name), functools.partial(_read_xml, parts, name), keep_elements=CACHED_TREE_ELEMENTS)


def _read_xml(parts: Parts, name: str) -> etree._Element | None:
    data = parts.read(name)
    if data is None:
        return None
    if data.count(b"<") > MAX_TREE_ELEMENTS:
        raise UnreadableDocument(
            _("too much work: {name} has more than {n} XML elements").format(name=name, n=MAX_TREE_ELEMENTS)
        )
    # A quick refusal before parsing; the check after parsing catches a DTD anywhere before the root.
    if b"<!ENTITY" in data[:4096] or b"<!DOCTYPE" in data[:4096]:
        raise UnreadableDocument(_(_DTD).format(name=name))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(
            _("{name} is not well-formed XML ({error})").format(name=name, error=error.msg)
        ) from None
    _refuse_dtd(root.getroottree(), name)
    return root


def _pulled(
    chunks: Iterable[bytes], name: str, events: tuple[str, ...], tags: list[str]
) -> Iterator[tuple[list[tuple[str, etree._Element]], etree._Element | None]]:
    """Parse a part as it streams in: per chunk, the events for ``tags`` and the root (once there is one).

    Only the named tags are reported, because a Python event for every element would
    take several times longer than the parsing. The caller frees what it has finished
    with after each chunk (:func:`_free_complete`), so memory stays flat.
    """
    parser = etree.XMLPullParser(
        events=events,
        tag=tags,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    root: etree._Element | None = None
    for chunk in itertools.chain(_slices(chunks), (None,)):
        try:
            if chunk is None:
                closed = parser.close()
                if root is None:
                    _refuse_dtd(closed.getroottree(), name)
            else:
                parser.feed(chunk)
            batch = list(parser.read_events())
        except etree.XMLSyntaxError as error:
            raise UnreadableDocument(
                _("{name} is not well-formed XML ({error})").format(name=name, error=error.msg)
            ) from None
        if root is None and batch:
            root = batch[0][1].getroottree().getroot()
            _refuse_dtd(root.getroottree(), name)
        yield batch, root


#: Bytes fed to a pull parser at a time: its events (one per paragraph) are held until read.
_FEED_BYTES = 64 * 1024


def _slices(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks cut into pieces of at most ``_FEED_BYTES``."""
    for chunk in chunks:
        for start in range(0, len(chunk), _FEED_BYTES):
            yield chunk[start : start + _FEED_BYTES]


def _free_complete(root: etree._Element, stop: Callable[[etree._Element], bool]) -> None:
    """Delete what the parser has finished with: all but the last (perhaps open) child, down the open branch.

    Nothing inside an element for which ``stop`` is true is deleted: its text is still to be read.
    """
    node = root
    while len(node) and not stop(node):
        del node[:-1]
        node = node[-1]


def _body_blocks(chunks: Iterable[bytes], name: str) -> Iterator[etree._Element]:
    """The paragraphs and tables directly in the first ``w:body``, each once complete, as the part streams in.

    A long document costs the memory of its largest paragraph or table, not of its tree.
    """
    body_tag = f"{{{NS['w']}}}body"
    body: etree._Element | None = None
    body_seen = False
    for batch, root in _pulled(chunks, name, ("start", "end"), [body_tag, "{*}p", "{*}tbl"]):
        for event, element in batch:
            if event == "start":
                # The first body that is a child of the root: the tree was read with find("w:body").
                if not body_seen and element.tag == body_tag and element.getparent() is root:
                    body, body_seen = element, True
            elif element is body:
                body = None
            elif body is not None and element.getparent() is body:
                yield element
        if root is not None:
            # Everything in the body but its last child (perhaps a paragraph still open) has been read.
            _free_complete(root, functools.partial(_is_child_of, body))


def _document_blocks(parts: Parts, size: int) -> Iterator[etree._Element]:
    """The body's paragraphs and tables: parsed at once when the part is small, streamed when it is large."""
    if size > CHUNK_BYTES:
        chunks = parts.chunks("word/document.xml")
        yield from _body_blocks(chunks or iter(()), "word/document.xml")
        return
    root = read_xml(parts, "word/document.xml")
    body = root.find("w:body", NS) if root is not None else None
    if body is None:
        return
    for child in body:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] in ("p", "tbl"):
            yield child


def _is_child_of(parent: etree._Element | None, node: etree._Element) -> bool:
    return parent is not None and node.getparent() is parent


def _paragraph_text(element: etree._Element, text: str) -> str:
    return "".join(element.itertext(text, with_tail=False)) if len(element) else ""


def _paragraph_texts(chunks: Iterable[bytes], name: str, paragraph: str, text: str) -> list[str]:
    """The text of every ``paragraph`` element of a part (its ``text`` elements joined), as the part streams in."""
    found: list[str] = []
    for batch, root in _pulled(chunks, name, ("end",), [paragraph]):
        found.extend(_paragraph_text(element, text) for _, element in batch)
        if root is not None:
            _free_complete(root, lambda node: node.tag == paragraph)
    return found


def _streamed_paragraphs(parts: Parts, name: str, paragraph: str, text: str) -> list[str]:
    """The paragraphs' texts of a large part, streamed and parsed once while cached (each call counts its work)."""

    def compute() -> list[str]:
        chunks = parts.chunks(name)
        return _paragraph_texts(chunks, name, paragraph, text) if chunks is not None else []

    return parts.once(("paragraphs", name, paragraph), compute)


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


_A_P = f"{{{NS['a']}}}p"
_A_T = f"{{{NS['a']}}}t"


def _shape_text(element: etree._Element) -> str:
    return _joined(["".join(paragraph.itertext(_A_T, with_tail=False)) for paragraph in element.iter(_A_P)])


def _joined(paragraphs: list[str]) -> str:
    return "\n".join(p for p in paragraphs if p.strip())


def pptx_text(parts: Parts) -> Generator[TextPiece, None, None]:
    """Slides in presentation order (shapes, groups, tables), then each slide's notes."""
    presentation = read_xml(parts, "ppt/presentation.xml")
    if presentation is None:
        raise UnreadableDocument(_("ppt/presentation.xml is missing: not a PowerPoint file"))
    rels = _rels(parts, "ppt/presentation.xml")
    ids = presentation.findall("p:sldIdLst/p:sldId", NS)
    for number, slide_id in enumerate(ids, start=1):
        part = rels.get(slide_id.get(f"{{{NS['r']}}}id", ""))
        size = parts.size(part) if part else None
        if part is None or size is None:
            continue
        if size <= CHUNK_BYTES:  # a usual slide: one parse, no event per paragraph
            root = read_xml(parts, part)
            paragraphs = [_paragraph_text(p, _A_T) for p in root.iter(_A_P)] if root is not None else []
        else:
            # Streamed: a slide can be as large as a whole document. Paragraphs come in the order
            # they end, which is the order they start unless one is nested in another (never in
            # a real slide).
            paragraphs = _streamed_paragraphs(parts, part, _A_P, _A_T)
        text = _joined(paragraphs)
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


_W_T = f"{{{NS['w']}}}t"
_W_P = f"{{{NS['w']}}}p"


def _w_text(element: etree._Element) -> str:
    return "".join(element.itertext(_W_T, with_tail=False))


def docx_text(parts: Parts) -> Generator[TextPiece, None, None]:
    """Body paragraphs and tables in order, then headers and footers."""
    size = parts.size("word/document.xml")
    if size is None:
        raise UnreadableDocument(_("word/document.xml is missing: not a Word file"))
    paragraph_number = table_number = 0
    for child in _document_blocks(parts, size):
        if child.tag.rpartition("}")[2] == "p":
            paragraph_number += 1
            text = _w_text(child) if len(child) else ""
            if text.strip():
                yield TextPiece(f"paragraph {paragraph_number}", text)
        else:
            table_number += 1
            rows = [" | ".join(_w_text(cell) for cell in row.findall("w:tc", NS)) for row in child.findall("w:tr", NS)]
            text = "\n".join(rows)
            if text.strip():
                yield TextPiece(f"table {table_number}", text)
    for name in sorted(n for n in parts.names() if re.fullmatch(r"word/(header|footer)\d*\.xml", n)):
        kind = "header" if "header" in name else "footer"
        if (parts.size(name) or 0) > CHUNK_BYTES:
            # Streamed, as a large slide is: a header can be as large as a document.
            paragraphs = _streamed_paragraphs(parts, name, _W_P, _W_T)
            if "".join(paragraphs).strip():
                yield TextPiece(kind, "\n".join(paragraphs))
            continue
        part = read_xml(parts, name)
        if part is not None and _w_text(part).strip():
            yield TextPiece(kind, "\n".join(_w_text(p) for p in part.iter(_W_P)))


def document_text(parts: Parts, kind: str) -> list[TextPiece]:
    """All text of a .pptx or .docx package."""
    return list(pptx_text(parts) if kind == "pptx" else docx_text(parts))


def content_sha256(pieces: Iterable[TextPiece]) -> str:
    """The content hash stamped into built files (:func:`~vastbus_cli.texthash.content_hash`) of read-back text."""
    return content_hash((piece.location, piece.text) for piece in pieces)


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


#: The namespace of the block fingerprints vastbus writes into the packages it builds.
BLOCKS_NAMESPACE = "urn:vastbus:blocks:1"


def stamped_blocks(parts: Parts) -> dict[str, tuple[str, tuple[str, ...]]] | None:
    """The block fingerprints a vastbus build recorded: location -> (sha, discussed rule ids); None if none."""
    try:
        blocks = recorded_blocks(parts)
    except DamagedRecord:
        return None
    return None if blocks is None else {at: (sha, discusses) for at, sha, discusses, _ in blocks}


#: What a build recorded of one block: its location, fingerprint, the rules it quotes on purpose,
#: and its text as built (None where the build recorded only the fingerprint).
RecordedBlock = tuple[str, str, tuple[str, ...], str | None]


class DamagedRecord(Exception):
    """The package has custom XML that cannot be read, and no readable record of blocks."""


def recorded_blocks(parts: Parts) -> list[RecordedBlock] | None:
    """The blocks a vastbus build recorded, in document order; None if the package has no record.

    Raises:
        DamagedRecord: no record was found, and a custom XML item is not well-formed or
            declares a DTD (perhaps the record itself). Never fatal for the file.
    """
    damaged = False
    for name in sorted(n for n in parts.names() if re.fullmatch(r"customXml/item\d+\.xml", n)):
        try:
            root = read_xml(parts, name)
        except UnreadableDocument:
            damaged = True
            continue
        if root is None or root.tag != f"{{{BLOCKS_NAMESPACE}}}blocks":
            continue
        return [
            (
                block.get("at", ""),
                block.get("sha", ""),
                tuple((block.get("discusses") or "").split()),
                block.text if block.text else None,
            )
            for block in root.iter(f"{{{BLOCKS_NAMESPACE}}}block")
        ]
    if damaged:
        raise DamagedRecord
    return None
