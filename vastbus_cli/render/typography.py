"""Swedish typography for text the writers emit: one kind of quotation mark, no doubled stops.

The data may be typed with straight or English quotation marks; a Swedish text uses
the same right-hand mark to open and close (”så här”, ’så här’).
"""

from __future__ import annotations

import re

_QUOTES = str.maketrans({'"': "”", "“": "”", "„": "”", "'": "’", "‘": "’"})
_ENDS_A_SENTENCE = (".", "!", "?", "…", ":")


_MARKS = re.compile("[\"“„'‘]")


def swedish_quotes(text: str) -> str:
    """Straight and English quotation marks and apostrophes as Swedish ones."""
    # str.translate looks up every character in Python; most texts hold no mark at all.
    return text.translate(_QUOTES) if _MARKS.search(text) else text


def quoted(text: str) -> str:
    """``text`` inside ”…”, unless it already is."""
    text = swedish_quotes(text.strip())
    return text if len(text) > 1 and text.startswith("”") and text.endswith("”") else f"”{text}”"


def sentences(*parts: str) -> str:
    """Parts joined as sentences: a full stop only where a part does not already end one."""
    joined: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        bare = part.rstrip("”’)")
        joined.append(part if bare.endswith(_ENDS_A_SENTENCE) else part + ".")
    return " ".join(joined)
