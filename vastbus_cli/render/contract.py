"""The template contract: layouts, placeholders and styles the writers rely on.

A maintainer may redesign ``templates/*.pptx`` and ``templates/*.docx`` freely in
PowerPoint or Word as long as these names survive; ``vastbus check`` names any that
are missing.
"""

from __future__ import annotations

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
    "Två kolumner": (0, 1, 2),  # title and two bullet columns
    "Citat": (0, 1),  # title and one statement
    "Quiz": (0, 1),  # question and options
    "Referenser": (0, 1),  # guideline sections a module cites
    "Lokalt tillägg": (0, 1),  # a district's own slide, visibly marked
    "Agenda": (0, 1),  # the schedule: the writer draws a table where the body is
    "Lokalt avsnitt": (0, 1),  # divider before a district's own part: title and one line
    "Avslutning": (0, 1),  # the closing slide: title and a few lines
    # Optional, not required of a template: "Paus" (BREAK_LAYOUT), a break: title and when to be back.
}

#: An optional layout for breaks ("Paus – 10 minuter"): calm and light, so a break never looks like
#: the next section. A template without it draws breaks on "Avsnitt", as before.
BREAK_LAYOUT = "Paus"

#: Layout used for each slide layout named in the curriculum YAML.
LAYOUT_FOR_SLIDE = {
    "content": "Innehåll",
    "two-content": "Två kolumner",
    "section": "Avsnitt",
    "quote": "Citat",
}

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
