"""The content hash and block fingerprints of a built file's text.

``build`` stamps them from the text its writers emit; ``scan`` computes them again from
the text it reads back (``officetext``). Both use these functions, so the two can only
differ when the text does. Kept apart from ``officetext`` so a build worker, which never
reads a package, does not load the XML parser.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable


def content_hash(pieces: Iterable[tuple[str, str]]) -> str:
    """The content hash stamped into built files: SHA-256 over every (location, text) piece, in order."""
    # Location, NUL, text, SOH for every piece; UTF-8 encodes a joined text as the joined
    # encodings, so the whole is encoded and hashed at once.
    return hashlib.sha256("".join(f"{location}\x00{text}\x01" for location, text in pieces).encode("utf-8")).hexdigest()


#: The same block (a slide, a paragraph) recurs in every district's pack: each is hashed once per process.
_BLOCKS_KEPT = 8192


@functools.lru_cache(maxsize=_BLOCKS_KEPT)
def block_sha(text: str) -> str:
    """A block's fingerprint: the first 16 hex digits of SHA-256 over its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprints(pieces: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """The :func:`content_hash` of (location, text) pieces, and each one's :func:`block_sha`."""
    return content_hash(pieces), [block_sha(text) for _, text in pieces]
