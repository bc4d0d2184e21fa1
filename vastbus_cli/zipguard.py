"""Refusing zip bombs and oversized archives before anything is decompressed.

An Office file is a zip archive; these checks run on one opened from anyone's folder
before its parts are read (``scan``).
"""

from __future__ import annotations

import os
import struct
import zipfile
from typing import BinaryIO

from vastbus_cli.i18n import _
from vastbus_cli.officetext import UnreadableDocument

MAX_TOTAL_UNPACKED = 500_000_000
MAX_RATIO = 200
MAX_ENTRIES = 10_000
#: Central directory bytes for MAX_ENTRIES entries with long names and extra fields.
MAX_CENTRAL_DIRECTORY = MAX_ENTRIES * 600
#: The zip end records (APPNOTE 4.3.16, 4.3.15, 4.3.14).
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


def refuse_huge_directory(stream: BinaryIO) -> None:
    """Refuse a central directory too large for ``MAX_ENTRIES`` entries, before zipfile parses all of it.

    ``zipfile.ZipFile`` makes an object for every entry as it opens the archive, so
    millions of tiny entries would cost a minute and gigabytes before :func:`guard` ran.
    Only the end records are read here; anything odd about them is left to zipfile.
    """
    end = stream.seek(0, os.SEEK_END)
    tail_start = max(0, end - _EOCD.size - 0xFFFF)
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return
    *_head, entries, size, _offset, _comment = _EOCD.unpack_from(tail, at)
    locator = at - _ZIP64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        record = _ZIP64_LOCATOR.unpack_from(tail, locator)[2]
        if 0 <= record <= end - _ZIP64_END.size:
            stream.seek(record)
            data = stream.read(_ZIP64_END.size)
            if data[:4] == b"PK\x06\x06":
                fields = _ZIP64_END.unpack(data)
                entries, size = max(entries, fields[7]), max(size, fields[8])
    if entries != 0xFFFF and entries > MAX_ENTRIES:
        raise UnreadableDocument(_("the archive has {n} entries (limit {limit})").format(n=entries, limit=MAX_ENTRIES))
    if size > MAX_CENTRAL_DIRECTORY:
        raise UnreadableDocument(
            _("the archive's central directory is {size} bytes (limit {limit}, enough for {entries} entries)").format(
                size=size, limit=MAX_CENTRAL_DIRECTORY, entries=MAX_ENTRIES
            )
        )


def guard(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs before anything is decompressed."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnreadableDocument(
            _("the archive has {n} entries (limit {limit})").format(n=len(infos), limit=MAX_ENTRIES)
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000:
            raise UnreadableDocument(
                _("{name} expands {n}-fold (a zip bomb?)").format(
                    name=info.filename, n=info.file_size // max(info.compress_size, 1)
                )
            )
        if info.flag_bits & 0x1:
            raise UnreadableDocument(_("the archive is encrypted"))
    if total > MAX_TOTAL_UNPACKED:
        raise UnreadableDocument(
            _("the archive unpacks to {size} bytes (limit {limit})").format(size=total, limit=MAX_TOTAL_UNPACKED)
        )
