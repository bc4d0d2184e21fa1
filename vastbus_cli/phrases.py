"""Phrases the content rules look for, as data: extend a table to teach ``check`` a new phrase.

Each entry is a regular expression (matched case-insensitively against the text as
written) and what a match is, for the finding. ``HEDGES`` belong in the speaker notes,
never on what participants see (``slide/hedge``); ``CROSS_REFERENCES`` point to other
modules or slides in plain text, which a track may leave out (``xref/plain-text``);
``FRAMING_*`` mark a misconception quoted to be refuted, which a claim does not flag.
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


def _patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Patterns compiled once, case-insensitive, like every phrase here."""
    return tuple(_compiled(pattern) for pattern in patterns)


#: A misconception quoted in order to be refuted, in the same sentence before it ("Det är en
#: vanlig missuppfattning att …", "Många tror att …"), after it ("…, men så är det inte"), or
#: by the next sentence ("Nej, …"). Claims and scan share them.
FRAMING_BEFORE = _patterns(
    r"^\W*(?:svar\s*:\s*)?nej\b",  # "Nej – SIP är inte bara …", "Svar: Nej, …"
    r"\b(?:missuppfattning\w*|myt(?:en|er|erna)?|vanföreställning\w*|fördom\w*)\b",
    r"\b(?:många|vissa|en del|flera|somliga|ofta|man)\s+(?:\w+\s+){0,2}"
    r"(?:tror|tycker|säger|menar|påstår|trodde|tänker)\b",
    r"\b(?:stämmer|gäller)\s+(?:alltså\s+)?(?:inte|ej)\s+att\b",
    r"\bdet\s+(?:är|var)\s+(?:inte\s+(?:så|sant|rätt|riktigt)|fel|felaktigt|osant|en\s+myt)\s+att\b",
    r"\b(?:felaktigt|osant)\s*:",
    r"\b(?:påståendet|uppfattningen|idén|tanken|föreställningen)\s+att\b",
    r"\b(?:förr|tidigare|före\s+20\d\d|under\s+västbustiden)\s+(?:trodde|tänkte|sa|sade)\b",
    # History told as history: "Under Västbustiden …", "I en lokal rutin från Västbustiden …", "Före 2021 …".
    r"\b(?:under|på|från|i)\s+västbus(?:tiden|eran)\b",
    r"\b(?:före|fram\s+till|innan)\s+(?:år\s+)?20(?:0\d|1\d|20|21)\b",
    r"\b(?:på\s+den\s+tiden|förr\s+i\s+tiden|de\s+gamla\s+riktlinjerna)\b",
)
FRAMING_AFTER = _patterns(
    r"\bmen\s+(?:så\s+är\s+det\s+inte|det\s+stämmer\s+inte|det\s+är\s+fel|det\s+gäller\s+inte)\b",
    r"\b(?:vilket|som)\s+(?:inte\s+stämmer|är\s+fel|är\s+en\s+myt)\b",
    r"\b(?:är|var)\s+en\s+(?:vanlig\s+)?(?:myt|missuppfattning)\b",
    r"\b(?:är|vore)\s+(?:fel|felaktigt|inte\s+sant|osant)\b",
)
FRAMING_NEXT = _patterns(
    r"(?:svar\s*:\s*)?nej\b",
    r"(?:det\s+)?stämmer\s+inte\b",
    r"så\s+är\s+det\s+inte\b",
    r"(?:det\s+är\s+)?fel\b",
    r"(?:men\s+)?det\s+är\s+en\s+(?:vanlig\s+)?(?:myt|missuppfattning)\b",
)

__all__ = ["CROSS_REFERENCES", "FRAMING_AFTER", "FRAMING_BEFORE", "FRAMING_NEXT", "HEDGES", "Phrase"]
