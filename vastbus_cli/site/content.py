"""What the trainers' site shows, as plain data: made from the course, the districts and the packs.

Pure: the sources and the status of the built files in, frozen dataclasses out; the HTML
writer (:mod:`vastbus_cli.site.html`) draws them and :mod:`vastbus_cli.site.publish` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from vastbus_cli.models import LocalAddition
from vastbus_cli.packs import CENTRAL, FILE_LABELS, PARTS, pdf_name
from vastbus_cli.render.plan import Sources, committee_line, local_for
from vastbus_cli.render.schedule import local_title, schedule_rows, schedule_table, taught_modules, track_for


@dataclass(frozen=True)
class Download:
    """A file of the pack: its label, its path in the site, whether it is built, and whether it is stale.

    Stale: built before its inputs (the course, the district's local part) last changed.
    """

    label: str
    path: str
    built: bool
    stale: bool = False


@dataclass(frozen=True)
class LocalPart:
    """A district's (or its area's) own material, as the pack holds it."""

    title: str
    contacts: tuple[tuple[str, str, str, bool], ...]  # role, organisation, how, verified
    routines: tuple[tuple[str, bool], ...]  # title, decided by the district (only then in the deck)
    examples: tuple[tuple[str, str, bool], ...]  # title, summary, proposed for sharing


@dataclass(frozen=True)
class PackPage:
    """One district (or the central version) and audience."""

    district: str
    district_name: str
    area_name: str | None
    audience: str
    audience_name: str
    track_name: str
    minutes: int
    agenda: tuple[tuple[str, ...], ...]
    downloads: tuple[Download, ...]
    local: tuple[LocalPart, ...]
    committee: str

    @property
    def path(self) -> str:
        """Where the page is in the site."""
        return f"{self.district}/{self.audience}.html"

    @property
    def folder(self) -> str:
        """Where the pack's files are in the site."""
        return f"{self.district}/{self.audience}"


@dataclass(frozen=True)
class DistrictGroup:
    """The districts of one city area (or those without one), for the start page."""

    name: str
    districts: tuple[tuple[str, str], ...]  # id, name


@dataclass(frozen=True)
class SiteContent:
    """Everything the site shows."""

    course_title: str
    course_version: str
    edition: str
    edition_title: str
    audiences: tuple[tuple[str, str], ...]
    groups: tuple[DistrictGroup, ...]
    pages: tuple[PackPage, ...]
    material: str | None
    news: tuple[str, ...]


def href(path: str) -> str:
    """A site path as a link: å, ä, ö and spaces percent-encoded, slashes kept."""
    return quote(path)


def site_content(
    sources: Sources, built: set[str], news: tuple[str, ...] = (), stale: frozenset[str] = frozenset()
) -> SiteContent:
    """The site for every district and audience.

    ``built`` holds the pack files that exist (``central/bvc/slides.pptx``); ``news`` the
    lines of "Nytt i denna version"; ``stale`` the built files older than their inputs (a
    PDF is as stale as the file it was made from).
    """
    course = sources.course
    areas = {area.id: area for area in sources.areas}
    pages = []
    for district in (None, *sources.districts):
        district_id = district.id if district else CENTRAL
        district_name = district.name if district else "Central version"
        area = areas.get(district.area) if district and district.area else None
        for audience in course.audiences:
            track = track_for(course, sources.modules, audience.id)
            taught = taught_modules(track, sources.modules, audience.id)
            local = local_for(sources.local, district, audience.id)
            rows = schedule_rows(track, taught, local, district_name)
            folder = f"{district_id}/{audience.id}"
            downloads = []
            for file_name, _, _ in PARTS.values():
                pdf = pdf_name(file_name)
                office = f"{folder}/{file_name}"
                old = office in stale
                downloads.append(Download(FILE_LABELS[file_name], office, office in built, old and office in built))
                if f"{folder}/{pdf}" in built:
                    downloads.append(Download(FILE_LABELS[pdf], f"{folder}/{pdf}", True, old))
            pages.append(
                PackPage(
                    district=district_id,
                    district_name=district_name,
                    area_name=area.name if area else None,
                    audience=audience.id,
                    audience_name=audience.name,
                    track_name=track.name,
                    minutes=sum(row.minutes for row in rows),
                    agenda=schedule_table(track, rows, minutes_column=True),
                    downloads=tuple(downloads),
                    local=tuple(_local_part(addition, district_name) for addition in local),
                    committee=committee_line(district, sources.areas),
                )
            )
    return SiteContent(
        course_title=course.title,
        course_version=course.version,
        edition=sources.edition.id,
        edition_title=sources.edition.short_title,
        audiences=tuple((a.id, a.name) for a in course.audiences),
        groups=_groups(sources),
        pages=tuple(pages),
        material=course.material,
        news=news,
    )


def _local_part(addition: LocalAddition, district_name: str) -> LocalPart:
    return LocalPart(
        title=local_title(addition, district_name),
        contacts=tuple((c.role, c.organisation, c.how, c.verified) for c in addition.contacts),
        routines=tuple((r.title, r.verified) for r in addition.routines),
        examples=tuple((e.title, e.summary, e.share) for e in addition.examples),
    )


def _groups(sources: Sources) -> tuple[DistrictGroup, ...]:
    groups = []
    for area in sources.areas:
        members = tuple((d.id, d.name) for d in sources.districts if d.area == area.id)
        if members:
            groups.append(DistrictGroup(area.name, members))
    loose = tuple((d.id, d.name) for d in sources.districts if d.area not in {a.id for a in sources.areas})
    if loose:
        groups.append(DistrictGroup("Övriga områden" if groups else "Områden", loose))
    return tuple(groups)
