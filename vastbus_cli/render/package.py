"""Office packages as name → bytes: core and custom properties, and reproducible zips."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from vastbus_cli.xmltext import escape

if TYPE_CHECKING:
    from vastbus_cli.render.packplan import Stamp

Entries = dict[str, bytes]
#: The text a writer put into a package, block by block: (location, text), in the order and
#: with the locations scan reads back ('slide 4', 'notes of slide 4', 'paragraph 12', 'table 2').
WrittenText = list[tuple[str, str]]

_CUSTOM_PART = "docProps/custom.xml"
_CORE_PART = "docProps/core.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_properties_xml(properties: dict[str, str]) -> bytes:
    """The docProps/custom.xml part, properties sorted by name."""
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def core_properties_xml(title: str, stamp: Stamp) -> bytes:
    """docProps/core.xml with the stamp; dates come from the data, never the clock."""
    moment = f"{stamp.date.isoformat()}T00:00:00Z"
    fields = [
        ("dc:title", escape(title)),
        ("dc:subject", escape(f"{stamp.edition_title}; {stamp.district_name}; {stamp.audience_name}")),
        ("dc:creator", "vastbus"),
        ("cp:keywords", escape(f"vastbus; {stamp.edition}; {stamp.district}; {stamp.audience}")),
        ("dc:description", escape(f"Byggd med vastbus {stamp.tool_version} från kursversion {stamp.course_version}.")),
        ("cp:lastModifiedBy", "vastbus"),
        ("cp:revision", "1"),
        ("dc:language", "sv-SE"),
        ("cp:version", escape(stamp.course_version)),
    ]
    body = "".join(f"<{tag}>{value}</{tag}>" for tag, value in fields)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'{body}<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>'
    ).encode()


def _ensure(entries: Entries, part: str, content_type: str, relationship: str, rel_id: str) -> None:
    types = entries["[Content_Types].xml"].decode("utf-8")
    if f'PartName="/{part}"' not in types:
        types = types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')
        entries["[Content_Types].xml"] = types.encode("utf-8")
    rels = entries["_rels/.rels"].decode("utf-8")
    if f'Target="{part}"' not in rels and f'Target="/{part}"' not in rels:
        rels = rels.replace(
            "</Relationships>", f'<Relationship Id="{rel_id}" Type="{relationship}" Target="{part}"/></Relationships>'
        )
        entries["_rels/.rels"] = rels.encode("utf-8")


#: Per-block fingerprints live in a custom XML part, which PowerPoint and Word keep when they save.
BLOCKS_PART = "customXml/item1.xml"
BLOCKS_NAMESPACE = "urn:vastbus:blocks:1"
_BLOCKS_PROPS = "customXml/itemProps1.xml"
_CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_CUSTOM_XML_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
_CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_BLOCKS_ITEM_ID = "{6F1C3B52-2D0E-4A57-9D7B-5A3C0B7E1A01}"


def blocks_xml(
    locations: Sequence[str],
    shas: Sequence[str],
    discusses: Mapping[str, tuple[str, ...]],
    texts: Sequence[str] | None = None,
) -> bytes:
    """The custom XML part listing every block's fingerprint, in document order.

    A block is a slide, notes page, paragraph or table as built (its location, as scan names
    it); ``discusses`` gives the rules a block quotes on purpose, by location. With ``texts``,
    each block also holds its text as built, so that ``scan`` of an edited copy can judge only
    the lines the edit added or changed (:mod:`vastbus_cli.builtrecord`).
    """
    # Escaped in one call: escape() replaces characters one by one, so joining first changes nothing.
    escaped = escape("\x00".join(locations)).split("\x00") if locations else []
    if texts is None:
        contents = [""] * len(escaped)
    else:
        # A carriage return would come back from the parser as a line feed: kept as a reference.
        contents = escape("\x00".join(texts)).replace("\r", "&#13;").split("\x00") if texts else []
    items = "".join(
        f'<block at="{at}" sha="{sha}"{_discusses(discusses.get(location))}>{content}</block>'
        if content
        else f'<block at="{at}" sha="{sha}"{_discusses(discusses.get(location))}/>'
        for location, at, sha, content in zip(locations, escaped, shas, contents, strict=True)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<blocks xmlns="{BLOCKS_NAMESPACE}">{items}</blocks>'
    ).encode()


def _discusses(quoted: tuple[str, ...] | None) -> str:
    return f' discusses="{escape(" ".join(quoted))}"' if quoted else ""


def _add_blocks(entries: Entries, blocks: bytes) -> None:
    entries[BLOCKS_PART] = blocks
    entries[_BLOCKS_PROPS] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{_BLOCKS_ITEM_ID}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{BLOCKS_NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    entries["customXml/_rels/item1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_CUSTOM_XML_PROPS_REL}" Target="itemProps1.xml"/></Relationships>'
    ).encode()
    types = entries["[Content_Types].xml"].decode("utf-8")
    if 'Extension="xml"' not in types:
        types = types.replace("<Override", '<Default Extension="xml" ContentType="application/xml"/><Override', 1)
    if f'PartName="/{_BLOCKS_PROPS}"' not in types:
        types = types.replace(
            "</Types>", f'<Override PartName="/{_BLOCKS_PROPS}" ContentType="{_CUSTOM_XML_PROPS_TYPE}"/></Types>'
        )
    entries["[Content_Types].xml"] = types.encode("utf-8")
    # Office keeps custom XML that the main document part refers to.
    root_rels = entries["_rels/.rels"].decode("utf-8")
    main = re.search(
        r'Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"|Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"',
        root_rels,
    )
    if main is None:
        return
    main_part = main.group(1) or main.group(2)
    folder, _, name = main_part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    rels = entries.get(rels_name, b"").decode("utf-8")
    if rels and "customXml/item1.xml" not in rels:
        depth = "../" * (folder.count("/") + 1) if folder else ""
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdVastbusBlocks" Type="{_CUSTOM_XML_REL}" Target="{depth}{BLOCKS_PART}"/>'
            "</Relationships>",
        )
        entries[rels_name] = rels.encode("utf-8")


def write_package(entries: Entries, properties: dict[str, str], day: dt.date, blocks: bytes | None = None) -> bytes:
    """The final zip: custom properties and block fingerprints (blocks_xml) added, fixed times, content types first."""
    entries = dict(entries)
    if blocks is not None:
        _add_blocks(entries, blocks)
    entries[_CUSTOM_PART] = custom_properties_xml(properties)
    _ensure(entries, _CUSTOM_PART, _CUSTOM_TYPE, _CUSTOM_REL, "rIdVastbusCustom")
    if _CORE_PART in entries:
        _ensure(entries, _CORE_PART, _CORE_TYPE, _CORE_REL, "rIdVastbusCore")
    first = ("[Content_Types].xml", "_rels/.rels")
    order = [*first, *sorted(name for name in entries if name not in first)]
    return zip_entries([(name, entries[name]) for name in order], day)


# The zip is written here rather than by zipfile so that a part written before (the template's
# theme, masters and fonts, a slide every district shares) is deflated once per process, not
# once per file: that was most of a build's time. The bytes are exactly those zipfile writes for
# ZipInfo(name, date_time), create_system 0, ZIP_DEFLATED at level 6 (level 1 for FAST_PARTS) into
# a seekable file (a test compares the two on every built file).
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_VERSION = 20  # zipfile's DEFAULT_VERSION: deflate, no zip64
_FILE_MODE = 0o600 << 16  # what zipfile gives an entry without attributes
_UTF8_NAME = 0x800
#: Deflated parts by their bytes (and level), for parts seen at least twice; bounded so a big course stays small.
_DEFLATED: dict[tuple[int, bytes], tuple[int, bytes]] = {}
_SEEN: set[int] = set()
_CACHE_BYTES = 64 << 20
_cached_bytes = 0
#: Parts deflated at level 1, not 6: the record of blocks holds, in a deck, all of its text, which
#: level 6 took about 2.5 ms a deck to pack (a full build about 5 % longer), level 1 0.7 ms.
FAST_PARTS = frozenset({BLOCKS_PART})


def _deflated(data: bytes, level: int = 6) -> tuple[int, bytes]:
    """CRC-32 and raw deflate of one part, remembered from the second time it is seen."""
    global _cached_bytes
    found = _DEFLATED.get((level, data))
    if found is not None:
        return found
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    result = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    key = hash((level, data))
    if key not in _SEEN:
        if len(_SEEN) > 1_000_000:
            _SEEN.clear()
        _SEEN.add(key)
    elif _cached_bytes + len(data) + len(result[1]) <= _CACHE_BYTES:
        _DEFLATED[(level, data)] = result
        _cached_bytes += len(data) + len(result[1])
    return result


def zip_entries(entries: list[tuple[str, bytes]], day: dt.date) -> bytes:
    """A zip of the entries in this order, each deflated and dated ``day`` at midnight."""
    year = max(day.year, 1980)
    dosdate = (year - 1980) << 9 | day.month << 5 | day.day
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in entries:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        crc, packed = _deflated(data, 1 if name in FAST_PARTS else 6)
        sizes = (crc, len(packed), len(data), len(encoded))
        chunks.append(
            _LOCAL_HEADER.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, 0, dosdate, *sizes, 0)
        )
        chunks.append(encoded)
        chunks.append(packed)
        central.append(
            _CENTRAL_HEADER.pack(
                b"PK\x01\x02",
                _VERSION,
                0,
                _VERSION,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                0,
                dosdate,
                *sizes,
                0,
                0,
                0,
                0,
                _FILE_MODE,
                offset,
            )
            + encoded
        )
        offset += _LOCAL_HEADER.size + len(encoded) + len(packed)
    directory = b"".join(central)
    end = _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
