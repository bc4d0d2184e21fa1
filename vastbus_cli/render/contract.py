"""The template contract: layouts, placeholders and styles the writers rely on.

A maintainer may redesign ``templates/*.pptx`` and ``templates/*.docx`` freely in
PowerPoint or Word as long as these names survive; ``vastbus check`` names any that
are missing.
"""

from __future__ import annotations

from collections.abc import Callable

from vastbus_cli.packs import PARTS

SLIDES_TEMPLATE = PARTS["slides"].template
HANDOUT_TEMPLATE = PARTS["handout"].template
GUIDE_TEMPLATE = PARTS["guide"].template

#: Slide layouts by name, with the placeholder idx values each must have.
#: idx 0 is always the title; 1 (and 2) are body placeholders.
LAYOUTS: dict[str, tuple[int, ...]] = {
    "Titel": (0, 1),  # course title and subtitle
    "Avsnitt": (0, 1),  # module divider: title and one line
    "Innehåll": (0, 1),  # title and bullets
    "Två kolumner": (0, 1, 2),  # compare: title and two columns with a heading each (förr / i dag)
    "Citat": (0, 1),  # title and one quote, with its source
    "Quiz": (0, 1),  # question and options
    "Referenser": (0, 1),  # guideline sections a module cites
    "Lokalt tillägg": (0, 1),  # a district's own slide, visibly marked
    "Agenda": (0, 1),  # the schedule: the writer draws a table where the body is
    "Lokalt avsnitt": (0, 1),  # divider before a district's own part: title and one line
    "Avslutning": (0, 1),  # the closing slide: title and a few lines
}

#: Layouts a template may have, with the placeholders each must then have, and the layout a
#: template without it draws that kind of slide on (so a template made before them still builds).
OPTIONAL_LAYOUTS: dict[str, tuple[tuple[int, ...], str]] = {
    "Paus": ((0, 1), "Avsnitt"),  # a break: calm and light, never like the next section; title and when to be back
    "Påstående": ((0, 1), "Citat"),  # statement: one sentence at 40 pt or more
    "Tabell": ((0, 1), "Innehåll"),  # a table (vem / vad / när): the writer draws it where the body is
    "Fall": ((0, 1, 2, 3), "Innehåll"),  # case card: 1 the person, 2 the situation, 3 the question
    "Övning": ((0, 1, 2, 3), "Innehåll"),  # exercise: 1 the task, 2 the debrief, 3 minutes and group size
    "Att ta med": ((0, 1, 2), "Innehåll"),  # takeaways: 1 up to three points, 2 one call to action
}
#: The break layout ("Paus – 10 minuter").
BREAK_LAYOUT = "Paus"

#: Layout used for each slide layout named in the curriculum YAML.
LAYOUT_FOR_SLIDE = {
    "content": "Innehåll",
    "two-content": "Två kolumner",
    "section": "Avsnitt",
    "quote": "Citat",
    "statement": "Påstående",
    "table": "Tabell",
    "case": "Fall",
    "exercise": "Övning",
    "takeaways": "Att ta med",
}

#: Layout used for each kind of planned slide (render/packplan.py ``SlideKind``); the writer and the
#: design rules both read it, so they measure the boxes the slide is drawn in.
LAYOUT_FOR_KIND = {
    **LAYOUT_FOR_SLIDE,
    "title": "Titel",
    "agenda": "Agenda",
    "quiz": "Quiz",
    "references": "Referenser",
    "local": "Lokalt tillägg",
    "local-section": "Lokalt avsnitt",
    "closing": "Avslutning",
    "break": BREAK_LAYOUT,
}


def layout_for(kind: str, has: Callable[[str], bool]) -> str:
    """The layout a slide of ``kind`` is drawn on in a template that ``has`` some layouts.

    An optional layout the template lacks falls back to its stand-in (a break to a section divider).
    """
    name = LAYOUT_FOR_KIND[kind]
    while not has(name) and name in OPTIONAL_LAYOUTS:
        name = OPTIONAL_LAYOUTS[name][1]
    return name


#: Paragraph styles both Word templates must define (not only as latent styles).
DOCX_STYLES: tuple[str, ...] = (
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Normal",
    "List Bullet",
    "List Number",
    "Vastbus Lokalt",  # marks a district's local addition
    "Vastbus Anteckning",  # speaker notes and trainer remarks
    "Vastbus Referens",  # guideline references
    "Vastbus Sidfot",  # the footer stamp
)

#: Table style both Word templates must define.
DOCX_TABLE_STYLE = "Vastbus Tabell"
