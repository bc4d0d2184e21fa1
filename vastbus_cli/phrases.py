"""Phrases the content rules look for, as data: extend a table to teach ``check`` a new phrase.

Each entry is a regular expression (matched case-insensitively against the text as
written) and what a match is, for the finding. ``HEDGES`` belong in the speaker notes,
never on what participants see (``slide/hedge``); ``CROSS_REFERENCES`` point to other
modules or slides in plain text, which a track may leave out (``xref/plain-text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """One phrase a rule looks for."""

    pattern: str
    what: str

    @property
    def compiled(self) -> re.Pattern[str]:
        """The pattern, case-insensitive."""
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern not in _CACHE:
        _CACHE[pattern] = re.compile(pattern, re.IGNORECASE)
    return _CACHE[pattern]


#: Source hedges and trainer instructions: true and useful, but for the trainer, in the notes.
HEDGES: tuple[Phrase, ...] = (
    Phrase(r"\bhar\s+inte\s+kunnat\s+(?:bekräfta|verifiera)s?\b", "a source hedge"),
    Phrase(
        r"\b(?:inte|ej)\s+(?:är\s+)?(?:bekräftad|bekräftat|bekräftade|verifierad|verifierat|verifierade)\b",
        "a source hedge",
    ),
    Phrase(r"\b(?:obekräftad|obekräftat|obekräftade|overifierad|overifierat|overifierade)\b", "a source hedge"),
    Phrase(r"\benligt\s+(?:våra|kursens)\s+källor\b", "a source hedge"),
    Phrase(r"\bvi\s+vet\s+inte\b", "a source hedge"),
    Phrase(r"\bkällorna\s+(?:säger|visar|nämner)\s+inte\b", "a source hedge"),
    Phrase(r"\bunverified\b", "a source hedge"),
    Phrase(r"\bexempel\s*[–—-]\s", "a marking for the trainer"),
    Phrase(r"\bska\s+(?:bekräftas|fastställas)\b", "a marking for the trainer"),
    Phrase(r"\b(?:fastställs|bekräftas)\s+av\s+området\b", "a marking for the trainer"),
    Phrase(r"\bange\s+(?:inget|inte\s+något)\s+paragrafnummer\b", "a trainer instruction"),
    Phrase(r"\bkommer\s+från\s+(?:skr|sveriges\s+kommuner\s+och\s+regioner)\b", "a note on the source"),
    Phrase(r"\binte\s+från\s+den\s+regionala\s+(?:riktlinjen|texten|överenskommelsen)\b", "a note on the source"),
)

#: References in plain text to another module, slide or step; use a slide's ``see:`` instead.
CROSS_REFERENCES: tuple[Phrase, ...] = (
    Phrase(
        r"\b(?:tas|tar\s+vi|tar|togs|tog\s+vi|går\s+vi|gick\s+vi|gås)\s+(?:upp|igenom)\s+"
        r"(?:i|på)\s+(?:modulen|sip-processen|(?:en\s+egen\s+|nästa\s+)?bild(?:en)?)\b",
        "a reference to another module or slide",
    ),
    Phrase(r"\bse\s+(?:modulen|bilden)\s+om\b", "a reference to another module or slide"),
    Phrase(r"\b(?:har|får)\s+en\s+egen\s+modul\b", "a reference to another module"),
    Phrase(r"\bi\s+modulen\s+om\b", "a reference to another module"),
    Phrase(r"\bi\s+sip-processen,?\s+steg\s+\d", "a reference to a step of another module"),
    Phrase(r"\b(?:tar\s+nästa\s+bild\s+upp|nästa\s+bild\s+(?:tar\s+upp|visar))\b", "a reference to the next slide"),
)

__all__ = ["CROSS_REFERENCES", "HEDGES", "Phrase"]
