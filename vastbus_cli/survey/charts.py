"""The survey's charts as static SVG, written here: no scripts, readable by people and screen readers.

Why not a charting library: the charts are two simple shapes (bars with whiskers, dots joined by a
line), and what they must carry is what libraries make hard. Matplotlib's SVG draws text as paths
(not searchable, not read aloud, not scaled with the page's font) and writes no ``<title>`` or
``<desc>``; the JavaScript libraries (Vega, Plotly) need a script to draw, and the site must work
without one. A few hundred lines of SVG keep the text as text, Swedish, in the page's font.

Every chart: ``role="img"``, ``aria-labelledby`` naming its ``<title>`` and ``<desc>`` (the desc
says the numbers), text of 12 px or more, and before/after told apart by shape as well as colour
(a hatched bar or an open circle before, a solid bar or a filled square after). The page puts a
table with the same numbers beside each chart.
"""

from __future__ import annotations

from html import escape

from vastbus_cli.survey.analysis import Share, SurveyAnalysis, interval_words, percent

#: Colours: ink and the report's blue (contrast ≥ 4.5:1 on white), a lighter line for the grid.
INK = "#1F2933"
BLUE = "#1F4E79"
GREY = "#4A5563"
GRID = "#C9D2DC"
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
#: Text sizes in px; never below 12.
TEXT = 13
SMALL = 12
WIDTH = 660
#: An average advance of the font per character at 13 px, to size the label column.
_CHAR = 7.0


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="{FONT}" font-size="{TEXT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _text(
    x: float, y: float, words: str, *, anchor: str = "start", size: int = TEXT, fill: str = INK, bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{weight}>'
        f"{escape(words)}</text>"
    )


def _axis(left: float, right: float, top: float, bottom: float) -> str:
    """Vertical grid lines at 0, 25, 50, 75 and 100 %, labelled below."""
    parts = []
    for step in range(5):
        x = left + (right - left) * step / 4
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x, bottom + 16, f"{step * 25} %", anchor="middle", size=SMALL, fill=GREY))
    return "".join(parts)


def _whisker(x_of: object, share: Share, y: float) -> str:
    """The 95 % interval: a line with end caps, on a white halo so that it shows on a dark bar too."""
    scale = x_of  # a callable share -> x
    assert callable(scale)
    low, high = scale(share.low), scale(share.high)
    path = f"M{low:.1f} {y:.1f}H{high:.1f}M{low:.1f} {y - 5:.1f}V{y + 5:.1f}M{high:.1f} {y - 5:.1f}V{y + 5:.1f}"
    return (
        f'<path d="{path}" stroke="#FFFFFF" stroke-width="4" fill="none"/>'
        f'<path d="{path}" stroke="{INK}" stroke-width="1.6" fill="none"/>'
    )


def _label_width(labels: list[str], least: int = 90, most: int = 260) -> float:
    return min(most, max(least, max((len(label) for label in labels), default=0) * _CHAR + 12))


def _legend_bars(chart_id: str, x: float, y: float) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="22" height="12" fill="url(#{chart_id}-hatch)" stroke="{BLUE}"/>'
        + _text(x + 28, y, "Före")
        + f'<rect x="{x + 80:.1f}" y="{y - 11:.1f}" width="22" height="12" fill="{BLUE}"/>'
        + _text(x + 108, y, "Efter")
        + f'<path d="M{x + 170:.1f} {y - 5:.1f}h22M{x + 170:.1f} {y - 10:.1f}v10M{x + 192:.1f} {y - 10:.1f}v10" '
        f'stroke="{INK}" stroke-width="1.6" fill="none"/>' + _text(x + 198, y, "95 % konfidensintervall")
    )


def item_chart(analysis: SurveyAnalysis, item_id: str, chart_id: str) -> str:
    """A grouped bar chart: one group per district, a bar before and after, with the interval as a whisker."""
    item = analysis.item(item_id)
    names = [name for _, name in analysis.districts]
    # The district's name (bold: a wider advance), then "före"/"efter".
    name_width = min(220.0, max((len(name) for name in names), default=8) * _CHAR * 1.1 + 12)
    label = name_width + 50
    left, right = label, WIDTH - 56
    bar, gap, group_gap, top = 16, 4, 16, 44
    rows = len(analysis.districts)
    height = top + rows * (len(analysis.phases) * (bar + gap) + group_gap) + 30

    def x_of(value: float) -> float:
        return left + (right - left) * value

    parts = [
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#FFFFFF"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BLUE}" stroke-width="2.5"/></pattern></defs>',
        _legend_bars(chart_id, left, 18),
    ]
    said = []
    y = top
    plot_top = top - 6
    for district, name in analysis.districts:
        group_height = len(analysis.phases) * (bar + gap) - gap
        parts.append(_text(8, y + group_height / 2 + 4, _fit(name, name_width, TEXT), bold=True))
        phrases = []
        for phase in analysis.phases:
            cell = analysis.district_cells.get((item_id, district, phase))
            share = cell.shown if cell is not None else None
            parts.append(_text(left - 8, y + bar - 4, phase, anchor="end", size=SMALL, fill=GREY))
            if share is None:
                words = "inga svar" if cell is None else f"n < {analysis.threshold}, visas inte"
                parts.append(_text(left + 6, y + bar - 4, words, size=SMALL, fill=GREY))
                phrases.append(f"{phase} {words}")
            else:
                width = max(x_of(share.share) - left, 1.5)
                fill = f'fill="url(#{chart_id}-hatch)" stroke="{BLUE}"' if phase == "före" else f'fill="{BLUE}"'
                parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar}" {fill}/>')
                parts.append(_whisker(x_of, share, y + bar / 2))
                parts.append(_text(x_of(share.high) + 6, y + bar - 4, percent(share.share), size=SMALL))
                phrases.append(f"{phase} {percent(share.share)} ({interval_words(share)}, n = {share.n})")
            y += bar + gap
        said.append(f"{name}: {', '.join(phrases)}")
        y += group_gap - gap
    parts.insert(1, _axis(left, right, plot_top, y - group_gap + 8))
    title = f"Fråga {item.number}: andel som svarade rätt per område, före och efter"
    desc = f"Stapeldiagram. {item.text} " + ". ".join(said) + "."
    return _open(chart_id, WIDTH, height, title, desc) + "".join(parts) + "</svg>"


def district_chart(analysis: SurveyAnalysis, district_id: str, chart_id: str) -> str:
    """A dot plot for one district: a row per item, an open circle before and a filled square after, joined."""
    name = analysis.district_name(district_id)
    labels = [f"{item.number}. {item.text}" for item in analysis.items]
    label = _label_width(labels, most=300)
    left, right = label + 10, WIDTH - 20
    row, top = 26, 44
    height = top + len(analysis.items) * row + 30

    def x_of(value: float) -> float:
        return left + (right - left) * value

    parts = [
        f'<circle cx="{left + 6:.1f}" cy="14" r="5.5" fill="#FFFFFF" stroke="{GREY}" stroke-width="2"/>',
        _text(left + 18, 19, "Före"),
        f'<rect x="{left + 76:.1f}" y="9" width="11" height="11" fill="{BLUE}"/>',
        _text(left + 94, 19, "Efter"),
        _axis(left, right, top - 10, top + len(analysis.items) * row - 6),
    ]
    said = []
    for index, item in enumerate(analysis.items):
        y = top + index * row + row / 2 - 6
        parts.append(_text(8, y + 4, _fit(f"{item.number}. {item.text}", label - 8), size=SMALL))
        shares = {}
        for phase in analysis.phases:
            cell = analysis.district_cells.get((item.id, district_id, phase))
            shares[phase] = cell.shown if cell is not None else None
        before, after = shares.get("före"), shares.get("efter")
        if before is not None and after is not None:
            parts.append(
                f'<line x1="{x_of(before.share):.1f}" y1="{y:.1f}" x2="{x_of(after.share):.1f}" y2="{y:.1f}" '
                f'stroke="{GREY}" stroke-width="2"/>'
            )
        if before is not None:
            parts.append(
                f'<circle cx="{x_of(before.share):.1f}" cy="{y:.1f}" r="5.5" fill="#FFFFFF" stroke="{GREY}" '
                'stroke-width="2"/>'
            )
        if after is not None:
            parts.append(
                f'<rect x="{x_of(after.share) - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" fill="{BLUE}"/>'
            )
        if before is None and after is None:
            parts.append(_text(left + 6, y + 4, f"n < {analysis.threshold}, visas inte", size=SMALL, fill=GREY))
        phrases = [
            f"{phase} {percent(share.share) if share is not None else 'visas inte'}" for phase, share in shares.items()
        ]
        said.append(f"Fråga {item.number}: {', '.join(phrases)}")
    title = f"{name}: andel rätt per fråga, före och efter"
    desc = "Punktdiagram, en rad per fråga. " + ". ".join(said) + "."
    return _open(chart_id, WIDTH, height, title, desc) + "".join(parts) + "</svg>"


def _fit(words: str, width: float, size: int = SMALL) -> str:
    """The words, cut with an ellipsis to about ``width`` px (the full text is in the table beside)."""
    most = max(8, int(width / (_CHAR * size / TEXT)))
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"
