"""What the knowledge survey shows: counts in; shares, intervals and comparisons out.

Pure: it reads the survey and the stored counts (``models.survey``) and never a file. The views
are elsewhere (``report.survey`` for text and HTML, ``survey.charts`` for the SVG charts,
``survey.summary`` for the steering group's Word summary).

- **Share right** per item: right answers / (respondents − blank). "Vet inte" is an answer and
  counts as not right; a skipped item (blank) is left out of that item's count.
- Each share with a **95 % Wilson score interval** (Wilson 1927; Brown, Cai & DasGupta 2001
  recommend it over the normal approximation for small groups and shares near 0 or 1).
- **Small cells are not shown**: a group (district × audience × phase, or a district with all its
  audiences) where fewer than :data:`THRESHOLD` answered an item is counted in the totals only.
  Where a district's total is shown, an audience of that district is hidden too when the total
  minus the audiences shown would give away a hidden group (secondary suppression).
- **Likvärdighet**: per item and phase, the highest and lowest district share (districts shown),
  and the difference.
- **The misconception that persists most** in each district: the statement from a claim with the
  lowest share right in the latest phase with data, with the modules, slides and quiz questions
  that teach the claim.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from vastbus_cli.models.survey import BLANK, PHASES

if TYPE_CHECKING:
    import datetime as dt

    from vastbus_cli.models import Module, Survey
    from vastbus_cli.models.survey import ResultGroup
    from vastbus_cli.workspace import Workspace

#: The fewest answers a group shown may have.
THRESHOLD = 5
#: The normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054


def wilson(right: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the share ``right / n`` (95 % by default), as (low, high) in 0…1.

    centre = (p + z²/2n) / (1 + z²/n); half-width = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n).

    Raises:
        ValueError: ``n`` is not positive or ``right`` is not within 0…n.
    """
    if n <= 0 or not 0 <= right <= n:
        raise ValueError(f"a share needs 0 <= right <= n and n > 0, not {right}/{n}")
    p = right / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # The bounds are exact at 0 and n; rounding must not move them past the share.
    low = 0.0 if right == 0 else max(0.0, centre - half)
    high = 1.0 if right == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """How many answered an item right out of how many answered it, with the 95 % interval."""

    right: int
    n: int
    low: float
    high: float

    @classmethod
    def of(cls, right: int, n: int) -> Share:
        """The share of ``right`` out of ``n``, with its 95 % Wilson interval."""
        return cls(right, n, *wilson(right, n))

    @property
    def share(self) -> float:
        """The share right, 0…1."""
        return self.right / self.n


#: Why a group is not shown: too few answered, or showing it would give away a group that is hidden.
Hidden = Literal["", "small", "reveals"]


@dataclass(frozen=True)
class Cell:
    """One item's answers in one group: a district and audience (or all its audiences: ``audience`` None) and phase."""

    item: str
    district: str
    audience: str | None
    phase: str
    #: How many answered the item (respondents − blank).
    n: int
    right: int
    hidden: Hidden = ""

    @property
    def shown(self) -> Share | None:
        """The share with its interval, or None when the group is hidden."""
        return None if self.hidden or self.n == 0 else Share.of(self.right, self.n)


@dataclass(frozen=True)
class ItemInfo:
    """A survey item as the views name it."""

    id: str
    number: int
    text: str
    claim: str | None
    quiz: str | None
    #: The right answer as the form prints it.
    right: str


@dataclass(frozen=True)
class Spread:
    """Likvärdighet: one item in one phase, its districts' shares, the highest and the lowest."""

    item: str
    phase: str
    #: Districts shown, highest share first: (district id, share).
    districts: tuple[tuple[str, Share], ...]

    @property
    def highest(self) -> tuple[str, Share] | None:
        """The district with the highest share, when at least two are shown."""
        return self.districts[0] if len(self.districts) >= 2 else None

    @property
    def lowest(self) -> tuple[str, Share] | None:
        """The district with the lowest share, when at least two are shown."""
        return self.districts[-1] if len(self.districts) >= 2 else None

    @property
    def difference(self) -> float | None:
        """Highest minus lowest share (0…1), or None with fewer than two districts shown."""
        if self.highest is None or self.lowest is None:
            return None
        return self.highest[1].share - self.lowest[1].share

    @property
    def shown_difference(self) -> float | None:
        """The difference as people read it: between the two shares rounded to whole per cent.

        "42 %" and "41 %" differ by 1 percentage point on the page, whatever the decimals say.
        """
        if self.highest is None or self.lowest is None:
            return None
        return (round(self.highest[1].share * 100) - round(self.lowest[1].share * 100)) / 100


@dataclass(frozen=True)
class Teaching:
    """Where the course teaches a claim: one module, its slides and quiz questions that discuss it."""

    module: str
    module_title: str
    #: (slide id, slide title)
    slides: tuple[tuple[str, str], ...] = ()
    #: (quiz item id, question)
    quiz: tuple[tuple[str, str], ...] = ()
    #: The module lists the claim among the misconceptions a trainer should expect.
    listed: bool = False


@dataclass(frozen=True)
class Persistent:
    """The misconception that persists most in a district: the claim's item with the lowest share right."""

    district: str
    phase: str
    item: str
    claim: str
    share: Share
    teaching: tuple[Teaching, ...]


@dataclass
class SurveyAnalysis:
    """Everything the views show about the survey's results."""

    survey: str
    title: str
    items: list[ItemInfo]
    #: (id, name) of the districts with results, in the order of districts.yaml.
    districts: list[tuple[str, str]]
    #: (id, name) of the audiences with results, in the order of course.yaml.
    audiences: list[tuple[str, str]]
    #: The phases with results, "före" before "efter".
    phases: list[str]
    #: Respondents per phase, every group counted.
    respondents: dict[str, int]
    #: Respondents per phase in district × audience groups of fewer than THRESHOLD.
    small_groups: dict[str, int]
    #: The first and last day of answers per phase.
    days: dict[str, tuple[dt.date, dt.date]]
    #: Per (item, district, audience, phase).
    cells: dict[tuple[str, str, str, str], Cell]
    #: Per (item, district, phase): all the district's audiences together.
    district_cells: dict[tuple[str, str, str], Cell]
    spread: list[Spread]
    persistent: list[Persistent]
    threshold: int = THRESHOLD
    #: Results files of another survey, left out (relative paths); filled in by :func:`of_workspace`.
    other_files: list[str] = field(default_factory=list)

    def item(self, item_id: str) -> ItemInfo:
        """The item with this id."""
        return next(item for item in self.items if item.id == item_id)

    def district_name(self, district_id: str) -> str:
        """A district's (or city area's) name, or its id."""
        return dict(self.districts).get(district_id, district_id)

    def audience_name(self, audience_id: str) -> str:
        """An audience's name, or its id."""
        return dict(self.audiences).get(audience_id, audience_id)

    def spread_of(self, item_id: str, phase: str) -> Spread | None:
        """The spread between districts of one item in one phase."""
        return next((s for s in self.spread if s.item == item_id and s.phase == phase), None)


def analyse(
    survey: Survey,
    groups: Iterable[ResultGroup],
    *,
    districts: Sequence[tuple[str, str]] = (),
    audiences: Sequence[tuple[str, str]] = (),
    modules: Sequence[Module] = (),
    threshold: int = THRESHOLD,
) -> SurveyAnalysis:
    """Shares, intervals, the spread between districts and the persisting misconceptions.

    ``districts`` and ``audiences`` are (id, name) in the order to show them (ids not named are
    shown by id, after them); ``modules`` are the course's modules in teaching order.
    """
    groups = list(groups)
    items = [
        ItemInfo(item.id, number, item.text, item.claim, item.quiz, item.label(item.right))
        for number, item in enumerate(survey.items, 1)
    ]
    rights = {item.id: item.right for item in survey.items}
    # Summed over days and files: (item, district, audience, phase) -> [answered, right].
    counts: dict[tuple[str, str, str, str], list[int]] = {}
    sizes: dict[tuple[str, str, str], int] = {}
    days: dict[str, tuple[dt.date, dt.date]] = {}
    for group in groups:
        key = (group.district, group.audience, group.phase)
        sizes[key] = sizes.get(key, 0) + group.respondents
        first, last = days.get(group.phase, (group.date, group.date))
        days[group.phase] = (min(first, group.date), max(last, group.date))
        for item_id, answers in group.answers.items():
            if item_id not in rights:
                continue
            total = counts.setdefault((item_id, *key), [0, 0])
            total[0] += group.respondents - answers.get(BLANK, 0)
            total[1] += answers.get(rights[item_id], 0)
    phases = [phase for phase in PHASES if any(key[2] == phase for key in sizes)]
    district_order = _ordered({key[0] for key in sizes}, districts)
    audience_order = _ordered({key[1] for key in sizes}, audiences)
    cells, district_cells = _suppressed(counts, threshold)
    analysis = SurveyAnalysis(
        survey=survey.id,
        title=survey.title,
        items=items,
        districts=district_order,
        audiences=audience_order,
        phases=phases,
        respondents={phase: sum(n for key, n in sizes.items() if key[2] == phase) for phase in phases},
        small_groups={
            phase: sum(n for key, n in sizes.items() if key[2] == phase and n < threshold) for phase in phases
        },
        days=days,
        cells=cells,
        district_cells=district_cells,
        spread=[],
        persistent=[],
        threshold=threshold,
    )
    analysis.spread = _spread(analysis)
    analysis.persistent = _persistent(analysis, modules)
    return analysis


def _ordered(ids: set[str], named: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ids with results: those named first, in the order given, then the rest by id."""
    known = [(i, name) for i, name in named if i in ids]
    return known + [(i, i) for i in sorted(ids - {i for i, _ in named})]


def _suppressed(
    counts: dict[tuple[str, str, str, str], list[int]], threshold: int
) -> tuple[dict[tuple[str, str, str, str], Cell], dict[tuple[str, str, str], Cell]]:
    """The cells per audience and per district, small ones hidden, and those that would give them away."""
    by_district: dict[tuple[str, str, str], list[Cell]] = {}
    for (item, district, audience, phase), (n, right) in sorted(counts.items()):
        cell = Cell(item, district, audience, phase, n, right, "small" if n < threshold else "")
        by_district.setdefault((item, district, phase), []).append(cell)
    cells: dict[tuple[str, str, str, str], Cell] = {}
    district_cells: dict[tuple[str, str, str], Cell] = {}
    for (item, district, phase), members in by_district.items():
        n = sum(c.n for c in members)
        whole = Cell(item, district, None, phase, n, sum(c.right for c in members), "small" if n < threshold else "")
        district_cells[(item, district, phase)] = whole
        if not whole.hidden:
            members = _protect(members, threshold)
        for cell in members:
            cells[(item, district, cell.audience or "", phase)] = cell
    return cells, district_cells


def _protect(members: list[Cell], threshold: int) -> list[Cell]:
    """Hide the smallest shown audiences until the district total minus those shown gives away no small group."""
    members = list(members)
    while True:
        hidden = sum(c.n for c in members if c.hidden)
        shown = [c for c in members if not c.hidden]
        if not 0 < hidden < threshold or not shown:
            return members
        smallest = min(shown, key=lambda c: (c.n, c.audience or ""))
        members[members.index(smallest)] = Cell(
            smallest.item, smallest.district, smallest.audience, smallest.phase, smallest.n, smallest.right, "reveals"
        )


def _spread(analysis: SurveyAnalysis) -> list[Spread]:
    """Per item and phase, the districts shown, highest share first (ties by the lower bound, then by name)."""
    spreads = []
    for item in analysis.items:
        for phase in analysis.phases:
            shown = []
            for district, _ in analysis.districts:
                cell = analysis.district_cells.get((item.id, district, phase))
                share = cell.shown if cell is not None else None
                if share is not None:
                    shown.append((district, share))
            shown.sort(key=lambda pair: (-pair[1].share, -pair[1].low, analysis.district_name(pair[0])))
            spreads.append(Spread(item.id, phase, tuple(shown)))
    return spreads


def _persistent(analysis: SurveyAnalysis, modules: Sequence[Module]) -> list[Persistent]:
    """Per district, in its latest phase with a claim's item shown, the claim item with the lowest share right."""
    found = []
    for district, _ in analysis.districts:
        for phase in reversed(analysis.phases):
            candidates = []
            for order, item in enumerate(analysis.items):
                cell = analysis.district_cells.get((item.id, district, phase))
                share = cell.shown if cell is not None else None
                if item.claim is not None and share is not None:
                    candidates.append((share.share, share.high, order, item, share))
            if candidates:
                *_, item, share = min(candidates, key=lambda c: c[:3])
                assert item.claim is not None
                found.append(Persistent(district, phase, item.id, item.claim, share, teaching(item.claim, modules)))
                break
    return found


def teaching(claim: str, modules: Sequence[Module]) -> tuple[Teaching, ...]:
    """The modules that teach a claim: slides and quiz questions whose ``discusses`` name it, or its listing."""
    found = []
    for module in modules:
        slides = tuple((slide.id, slide.title) for slide in module.slides if claim in slide.discusses)
        quiz = tuple((q.id, q.question) for q in module.quiz if claim in q.discusses)
        listed = any(m.claim == claim for m in module.misconceptions)
        if slides or quiz or listed:
            found.append(Teaching(module.id, module.title, slides, quiz, listed))
    return tuple(found)


def of_workspace(workspace: Workspace) -> SurveyAnalysis | None:
    """The analysis of a workspace's survey and its results; None without a survey or without results."""
    survey = workspace.survey.model if workspace.survey is not None else None
    if survey is None:
        return None
    mine = [doc for doc in workspace.survey_results if doc.model is not None and doc.model.survey == survey.id]
    if not mine:
        return None
    districts: list[tuple[str, str]] = []
    if workspace.districts is not None and workspace.districts.model is not None:
        model = workspace.districts.model
        districts = [(d.id, d.name) for d in model.districts] + [(a.id, a.name) for a in model.areas]
    course = workspace.course.model if workspace.course is not None else None
    audiences = [(a.id, a.name) for a in course.audiences] if course is not None else []
    loaded = {doc.model.id: doc.model for doc in workspace.modules if doc.model is not None}
    order = [loaded[m] for m in course.modules if m in loaded] if course is not None else []
    modules = order + [m for i, m in sorted(loaded.items()) if m not in order]
    analysis = analyse(
        survey,
        (group for doc in mine if doc.model is not None for group in doc.model.groups),
        districts=districts,
        audiences=audiences,
        modules=modules,
    )
    analysis.other_files = sorted(
        doc.rel for doc in workspace.survey_results if doc.model is not None and doc.model.survey != survey.id
    )
    return analysis


# --- words every view shares (Swedish: the report and the summary are Swedish documents) -----


def percent(value: float) -> str:
    """A share as a whole percent, Swedish style: "37 %"."""
    return f"{round(value * 100)} %"


def interval_words(share: Share) -> str:
    """The 95 % interval as "19–59 %"."""
    return f"{round(share.low * 100)}–{round(share.high * 100)} %"


def spread_points(spread: Spread | None) -> str:
    """A spread's difference as shown ("1 procentenhet"), or "–" with fewer than two districts."""
    if spread is None or spread.shown_difference is None:
        return "–"
    return points(spread.shown_difference)


def points(difference: float) -> str:
    """A difference of shares in percentage points: "13 procentenheter"."""
    n = round(difference * 100)
    return f"{n} procentenhet" if n == 1 else f"{n} procentenheter"


# --- JSON (a contract: field names and values stay) ------------------------------------------


def _share_json(share: Share | None) -> dict[str, Any]:
    if share is None:
        return {"share": None, "low": None, "high": None}
    return {"share": round(share.share, 4), "low": round(share.low, 4), "high": round(share.high, 4)}


def _cell_json(cell: Cell) -> dict[str, Any]:
    shown = cell.shown
    record: dict[str, Any] = {"item": cell.item, "district": cell.district}
    if cell.audience is not None:
        record["audience"] = cell.audience
    record["phase"] = cell.phase
    if cell.hidden:
        # A hidden group's counts are never given, only that it is hidden and why.
        return record | {"hidden": cell.hidden}
    return record | {"n": cell.n, "right": cell.right, **_share_json(shown), "hidden": None}


def as_json(analysis: SurveyAnalysis) -> dict[str, Any]:
    """The analysis as JSON data: hidden groups say only that they are hidden."""
    return {
        "survey": analysis.survey,
        "method": {
            "share": "right / (respondents - blank); 'vet-inte' counts as not right",
            "interval": "wilson",
            "confidence": 0.95,
            "threshold": analysis.threshold,
        },
        "phases": analysis.phases,
        "respondents": analysis.respondents,
        "respondents_in_small_groups": analysis.small_groups,
        "days": {phase: [first.isoformat(), last.isoformat()] for phase, (first, last) in analysis.days.items()},
        "items": [
            {"id": i.id, "number": i.number, "text": i.text, "claim": i.claim, "quiz": i.quiz} for i in analysis.items
        ],
        "districts": [{"id": i, "name": name} for i, name in analysis.districts],
        "audiences": [{"id": i, "name": name} for i, name in analysis.audiences],
        "district_shares": [_cell_json(cell) for cell in analysis.district_cells.values()],
        "groups": [_cell_json(cell) for cell in analysis.cells.values()],
        "spread": [
            {
                "item": s.item,
                "phase": s.phase,
                "districts": len(s.districts),
                "highest": {"district": s.highest[0], **_share_json(s.highest[1])} if s.highest else None,
                "lowest": {"district": s.lowest[0], **_share_json(s.lowest[1])} if s.lowest else None,
                "difference": round(s.difference, 4) if s.difference is not None else None,
            }
            for s in analysis.spread
        ],
        "persistent": [
            {
                "district": p.district,
                "phase": p.phase,
                "item": p.item,
                "claim": p.claim,
                **_share_json(p.share),
                "n": p.share.n,
                "taught_in": [
                    {
                        "module": t.module,
                        "slides": [slide for slide, _ in t.slides],
                        "quiz": [q for q, _ in t.quiz],
                        "listed": t.listed,
                    }
                    for t in p.teaching
                ],
            }
            for p in analysis.persistent
        ],
        "other_files": analysis.other_files,
    }
