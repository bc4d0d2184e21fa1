"""vastbus_cli.xmltext escapes exactly as xml.sax.saxutils, which the writers used before."""

from __future__ import annotations

from xml.sax import saxutils

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vastbus_cli import xmltext

TRICKY = [
    "",
    "vanlig text",
    "Barn & unga <0–20>",
    "&amp; redan",
    "\"citat\" och 'apostrof'",
    "rad\nny\r\tflik",
    "&lt;&gt;",
]
XML_ISH = st.text(alphabet=st.sampled_from(list("aå&<>\"'\n\r\t;lgtmpquo#0")), max_size=40)


def test_tricky_texts_are_escaped_as_the_standard_library_does() -> None:
    for text in TRICKY:
        assert xmltext.escape(text) == saxutils.escape(text)
        assert xmltext.unescape(text) == saxutils.unescape(text)
        assert xmltext.quoteattr(text) == saxutils.quoteattr(text)
    assert xmltext.quoteattr("\"och'") == '"&quot;och\'"'  # both quotes: double, with &quot;


@pytest.mark.slow  # a property search; the fixed cases above stay fast
@given(XML_ISH)
def test_any_text_is_escaped_as_the_standard_library_does(text: str) -> None:
    assert xmltext.escape(text) == saxutils.escape(text)
    assert xmltext.unescape(text) == saxutils.unescape(text)
    assert xmltext.quoteattr(text) == saxutils.quoteattr(text)
