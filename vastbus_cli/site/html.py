"""The trainers' site as HTML: one writer, plain pages without scripts, in Swedish.

Every page: ``lang="sv"``, one ``h1``, headings in order, a link to skip to the content,
visible focus, colours with a contrast of at least 4.5:1 (see ``CONTRAST``), and print styles.
"""

from __future__ import annotations

from html import escape

from vastbus_cli import __version__
from vastbus_cli.packs import CENTRAL
from vastbus_cli.report import REPORT_CSS
from vastbus_cli.site.content import LocalPart, PackPage, SiteContent, href

#: How a file built before its inputs last changed is marked where it is offered.
STALE_FILE = "byggt före senaste ändringen"

#: Text and background pairs the pages use; a test holds each to a contrast of at least 4.5:1.
CONTRAST = {
    "text": ("#1F2933", "#FFFFFF"),
    "muted text": ("#4A5563", "#FFFFFF"),
    "links": ("#1F4E79", "#FFFFFF"),
    "header": ("#FFFFFF", "#1F4E79"),
    "header links": ("#FFFFFF", "#1F4E79"),
    "local part": ("#1F2933", "#FDF0E1"),
    "table header": ("#FFFFFF", "#1F4E79"),
    "not built": ("#4A5563", "#ECEFF3"),
    "status detail, current": ("#4A5563", "#E3F1E6"),
    "status detail, warning": ("#4A5563", "#FFF1CC"),
    "status detail, error": ("#4A5563", "#F9D6D0"),
    "status detail, no pack": ("#4A5563", "#ECEFF3"),
    "stale notice": ("#1F2933", "#FFF1CC"),
    "stale notice, its mark": ("#FFFFFF", "#7A4100"),
    "stale download": ("#1F4E79", "#FFF1CC"),
}

SITE_CSS = """
:root { --blue: #1F4E79; --ink: #1F2933; --muted: #4A5563; --line: #C9D2DC; --warm: #FDF0E1; }
* { box-sizing: border-box; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; color: var(--ink); margin: 0;
       line-height: 1.5; background: #FFFFFF; }
a { color: var(--blue); }
a:focus-visible, summary:focus-visible { outline: 3px solid #B35900; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #FFFFFF; padding: 8px; }
.skip:focus { left: 8px; top: 8px; z-index: 2; }
header.site { background: var(--blue); color: #FFFFFF; padding: 12px 24px; }
header.site a { color: #FFFFFF; font-weight: bold; text-decoration: none; margin-right: 18px; }
header.site a:hover { text-decoration: underline; }
header.site a:focus-visible { outline-color: #FFFFFF; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 40px; }
h1 { color: var(--blue); font-size: 28px; margin: 8px 0 4px; }
h2 { color: var(--blue); font-size: 20px; margin: 28px 0 8px; }
h3 { font-size: 17px; margin: 18px 0 6px; }
p.lead { font-size: 18px; margin: 4px 0 16px; }
p.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--blue); color: #FFFFFF; }
td.number, th.number { text-align: right; }
ul.downloads { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 12px; }
ul.downloads li a, ul.downloads li span { display: inline-block; padding: 8px 12px; border: 1px solid var(--line);
       border-radius: 4px; }
ul.downloads li span { color: var(--muted); background: #ECEFF3; }
ul.downloads li a.stale { background: #FFF1CC; border: 2px solid #7A4100; }
.stale-notice { background: #FFF1CC; color: #1F2933; border: 2px solid #7A4100; border-left-width: 8px;
       border-radius: 4px; padding: 8px 16px; margin: 12px 0 16px; }
.stale-notice p { margin: 6px 0; }
.stale-notice .label { font-weight: bold; font-size: 18px; }
.stale-notice .mark { display: inline-block; width: 1.4em; height: 1.4em; line-height: 1.4em; text-align: center;
       border-radius: 50%; background: #7A4100; color: #FFFFFF; font-weight: bold; margin-right: 6px; }
section.local { background: var(--warm); border-left: 6px solid #B35900; padding: 4px 16px 12px; margin: 16px 0; }
ul.thumbs { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
       gap: 12px; }
ul.thumbs img { width: 100%; height: auto; border: 1px solid var(--line); }
ul.thumbs li { font-size: 13px; color: var(--muted); }
dl.audiences { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.audiences dt { font-weight: bold; }
dl.audiences dd { margin: 0; }
footer.site { color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding: 12px 24px; }
@media print { header.site, .skip, footer.site { display: none; } main { max-width: none; padding: 0; }
               .stale-notice { border-color: #000000; }
               a { color: var(--ink); } ul.thumbs { grid-template-columns: repeat(4, 1fr); }
               tr, li { break-inside: avoid; } h2, h3 { break-after: avoid; } }
"""

SITE_CSS += "pre.source { white-space: pre-wrap; font-size: 13px; background: #F5F7FA; padding: 12px; }\n"

#: The whole style sheet: the site's, and the status report's for its page.
STYLE = SITE_CSS + REPORT_CSS + ".report-body { overflow-x: auto; } main.wide { max-width: none; }\n"


def _page(title: str, body: str, *, depth: int, site_title: str, wide: bool = False) -> str:
    up = "../" * depth
    main_class = ' class="wide"' if wide else ""
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} – {escape(site_title)}</title>"
        f'<link rel="stylesheet" href="{up}style.css"></head><body>'
        '<a class="skip" href="#innehall">Hoppa till innehållet</a>'
        f'<header class="site"><nav aria-label="Webbplatsen"><a href="{up}index.html">Start</a>'
        f'<a href="{up}status.html">Status per område</a>'
        f'<a href="{up}forslag.html">Förslag till kursen</a></nav></header>'
        f'<main id="innehall"{main_class}>{body}</main>'
        f'<footer class="site">Skapad med vastbus {escape(__version__)} från den centrala kursen.</footer>'
        "</body></html>\n"
    )


def start_page(content: SiteContent) -> str:
    """Where to begin: the edition in force, the course version, what is new, and every pack."""
    parts = [
        f"<h1>{escape(content.course_title)}</h1>",
        f'<p class="lead">Utbildningsmaterial för alla områden och yrkesgrupper, byggt på '
        f"<strong>{escape(content.edition_title)}</strong>. Kursversion {escape(content.course_version)}.</p>",
        "<h2>Så börjar du</h2>",
        "<ol><li>Välj ditt område och din yrkesgrupp nedan.</li>"
        "<li>Läs utbildarhandledningen: den har tider, anteckningar till varje bild och svar på frågorna.</li>"
        "<li>Ladda ner bildspelet och deltagarmaterialet. Områdets egna bilder är märkta "
        "”Lokalt tillägg”.</li></ol>",
    ]
    stale = [page for page in content.pages if any(download.stale for download in page.downloads)]
    if stale:  # right under the lead, before how to begin
        parts.insert(2, _stale_pages(stale, len(content.pages)))
    if content.material:
        parts.append(f"<p>{escape(content.material)}</p>")
    parts.append("<h2>Nytt i denna version</h2>")
    if content.news:
        parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in content.news) + "</ul>")
    else:
        parts.append("<p>Ingen förändring är registrerad sedan förra versionen.</p>")
    parts.append("<h2>Material per område</h2>")
    parts.append(_audience_links("central", "Central version (utan lokala tillägg)", content, level=3))
    for group in content.groups:
        parts.append(f"<h3>{escape(group.name)}</h3>")
        parts.append('<dl class="audiences">')
        for district_id, name in group.districts:
            links = ", ".join(
                f'<a href="{href(f"{district_id}/{audience_id}.html")}">{escape(audience_name)}</a>'
                for audience_id, audience_name in content.audiences
            )
            parts.append(f"<dt>{escape(name)}</dt><dd>{links}</dd>")
        parts.append("</dl>")
    parts.append(
        '<h2>Status</h2><p><a href="status.html">Status per område</a>: vilka paket som är aktuella, '
        "vilka områden som har en bekräftad lokal del och vad som är nästa steg. "
        '<a href="forslag.html">Förslag till den centrala kursen</a>: goda exempel från områdena.</p>'
    )
    return _page("Start", "".join(parts), depth=0, site_title=content.course_title)


def _stale_pages(stale: list[PackPage], pages: int) -> str:
    """The start page's notice: how many pages offer stale files, and which (the first dozen)."""
    shown = ", ".join(
        f'<a href="{href(page.path)}">{escape(page.district_name)} – {escape(page.audience_name)}</a>'
        for page in stale[:12]
    )
    more = f" och {len(stale) - 12} till" if len(stale) > 12 else ""
    which = "Det gäller alla sidor." if len(stale) == pages else f"Det gäller {shown}{more}."
    return (
        '<div class="stale-notice" role="note"><p class="label"><span class="mark" aria-hidden="true">!</span>'
        f"Obs! {len(stale)} av {pages} sidor har filer som inte är uppdaterade</p>"
        f"<p>{which} Filerna är byggda innan kursen eller ett områdes lokala tillägg ändrades senast och är "
        f"märkta ”{STALE_FILE}” på sidan. Använd dem inte förrän de är byggda om: kontakta den som bygger "
        "utbildningsmaterialet.</p></div>"
    )


def _audience_links(district_id: str, name: str, content: SiteContent, *, level: int) -> str:
    links = "".join(
        f'<li><a href="{href(f"{district_id}/{audience_id}.html")}">{escape(audience_name)}</a></li>'
        for audience_id, audience_name in content.audiences
    )
    return f"<h{level}>{escape(name)}</h{level}><ul>{links}</ul>"


def pack_page(
    page: PackPage,
    content: SiteContent,
    thumbnails: list[tuple[str, str]] | None,
    no_thumbnails: str,
    trained: str = "",
) -> str:
    """One district and audience: downloads, agenda, local part, thumbnails of the slides."""
    where = page.district_name + (f" ({page.area_name})" if page.area_name else "")
    parts = [
        f"<h1>{escape(where)} – {escape(page.audience_name)}</h1>",
        _stale_notice(page, shows_slides=bool(thumbnails)),
        f'<p class="meta">{escape(page.track_name)}, {page.minutes} minuter · {escape(content.edition_title)} · '
        f"kursversion {escape(content.course_version)}</p>",
        f"<p>{escape(trained)}</p>" if trained else "",
        "<h2>Ladda ner</h2>",
        '<ul class="downloads">',
    ]
    for download in page.downloads:
        if download.built:
            # The page is <district>/<audience>.html and its files are in <district>/<audience>/.
            name = download.path.rsplit("/", 1)[-1]
            link = href(f"{page.audience}/{name}")
            if download.stale:
                parts.append(
                    f'<li><a class="stale" href="{link}" download>{escape(download.label)} ({STALE_FILE})</a></li>'
                )
            else:
                parts.append(f'<li><a href="{link}" download>{escape(download.label)}</a></li>')
        else:
            parts.append(f"<li><span>{escape(download.label)}: inte byggt ännu</span></li>")
    parts.append("</ul>")
    parts.append("<h2>Upplägg</h2>")
    header, *rows = page.agenda
    parts.append(
        "<table><thead><tr>"
        + "".join(f'<th scope="col"{_numeric(i, header)}>{escape(cell)}</th>' for i, cell in enumerate(header))
        + "</tr></thead><tbody>"
        + "".join(
            "<tr>" + "".join(f"<td{_numeric(i, header)}>{escape(cell)}</td>" for i, cell in enumerate(row)) + "</tr>"
            for row in rows
        )
        + "</tbody></table>"
    )
    parts += _local_sections(page)
    parts.append("<h2>Bilderna</h2>")
    if thumbnails:
        parts.append('<ul class="thumbs">')
        for number, (source, alt) in enumerate(thumbnails, start=1):
            parts.append(
                f'<li><img src="{href(source)}" alt="{escape(alt)}" loading="lazy" width="320" height="180">'
                f"Bild {number}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append(f"<p>{escape(no_thumbnails)}</p>")
    title = f"{page.district_name} – {page.audience_name}"
    return _page(title, "".join(parts), depth=1, site_title=content.course_title)


def _stale_notice(page: PackPage, *, shows_slides: bool) -> str:
    """At the top of a page whose pack has a stale file: what that means, and who acts."""
    stale = [download for download in page.downloads if download.stale]
    if not stale:
        return ""
    changed = "kursen" if page.district == CENTRAL else "kursen eller områdets lokala tillägg"
    pictures = (
        " Bilderna av bildspelet längre ned visar också den äldre versionen."
        if shows_slides and any(download.path.endswith(".pptx") for download in stale)
        else ""
    )
    return (
        '<div class="stale-notice" role="note">'
        '<p class="label"><span class="mark" aria-hidden="true">!</span>'
        "Obs! Filerna att ladda ner är inte uppdaterade</p>"
        f"<p>Filer märkta ”{STALE_FILE}” gjordes innan {changed} ändrades senast. De kan innehålla "
        "gamla uppgifter, till exempel en kontaktväg som har ändrats. Texten på den här sidan är aktuell."
        f"{pictures}</p>"
        "<p><strong>Använd inte filerna i en utbildning förrän paketet är byggt om.</strong> Kontakta den som "
        "bygger utbildningsmaterialet och be att paketet byggs om (med <code>vastbus build</code> och "
        "<code>vastbus site</code>).</p></div>"
    )


def _local_sections(page: PackPage) -> list[str]:
    """The page's local part: the committee, and each local file's contacts, routines and examples."""
    if not page.local:
        if page.district != "central":
            return ["<h2>Lokalt i området</h2><p>Området har inga lokala tillägg för den här yrkesgruppen.</p>"]
        return []
    parts = ["<h2>Lokalt i området</h2>"]
    if page.committee:
        parts.append(f"<p>{escape(page.committee)}</p>")
    for local in page.local:
        parts += _local_section(local)
    return parts


#: How the site marks a contact the district has not confirmed (trainers read the site, participants do not).
_NOT_CONFIRMED = "(inte bekräftad av området: visas inte för deltagarna)"


def _local_section(local: LocalPart) -> list[str]:
    """One local file: its contacts, the routines its slides show and its examples."""
    parts = [f'<section class="local"><h3>{escape(local.title)}</h3>']
    if local.contacts:
        parts.append(
            '<table><thead><tr><th scope="col">Roll</th><th scope="col">Organisation</th>'
            '<th scope="col">Så når du dem</th></tr></thead><tbody>'
            + "".join(
                f"<tr><td>{escape(role)}</td><td>{escape(organisation)}</td><td>{escape(how)}"
                + (
                    ""
                    if verified
                    else ' <span class="muted">(inte bekräftad av området: visas inte för deltagarna)</span>'
                )
                + "</td></tr>"
                for role, organisation, how, verified in local.contacts
            )
            + "</tbody></table>"
        )
    shown = [title for title, decided in local.routines if decided]
    waiting = [title for title, decided in local.routines if not decided]
    if shown:
        parts.append("<p>Rutiner i bildspelet: " + ", ".join(escape(title) for title in shown) + ".</p>")
    if waiting:
        parts.append(
            "<p>Rutiner som området inte har fastställt (de visas inte i bildspelet, utbildarhandledningen tar upp "
            "dem under Att bekräfta före kursen): " + ", ".join(escape(title) for title in waiting) + ".</p>"
        )
    for title, summary, share in local.examples:
        shared = " <em>(föreslås för den centrala kursen)</em>" if share else ""
        parts.append(f"<p><strong>{escape(title)}</strong>{shared}: {escape(summary)}</p>")
    parts.append("</section>")
    return parts


def _numeric(index: int, header: tuple[str, ...]) -> str:
    return ' class="number"' if header[index] == "Minuter" else ""


def proposals_page(content: SiteContent, proposals: str) -> str:
    """The districts' good examples proposed for the central course, with why and their source."""
    body = (
        "<h1>Förslag till den centrala kursen</h1>"
        '<p class="lead">Goda exempel som områdena föreslår att den centrala kursen tar upp. '
        "Styrgruppen och kursredaktionen går igenom dem inför nästa version av kursen.</p>" + proposals
    )
    return _page("Förslag till den centrala kursen", body, depth=0, site_title=content.course_title)


def source_page(content: SiteContent, rel: str, text: str, *, depth: int) -> str:
    """A local file as it stands in the course's folder, for readers without a copy of it."""
    body = (
        f"<h1>{escape(rel)}</h1>"
        "<p>Så här ser områdets fil ut i kursens mapp. Kursredaktionen ändrar den; "
        "områdets samordnare bekräftar innehållet.</p>"
        f'<pre class="source">{escape(text)}</pre>'
    )
    return _page(rel, body, depth=depth, site_title=content.course_title)


def status_page(content: SiteContent, sections: str) -> str:
    """The steering group's page: the status report's sections under the site's title."""
    body = f'<h1>Status per område</h1><div class="report-body">{sections}</div>'
    return _page("Status per område", body, depth=0, site_title=content.course_title, wide=True)
