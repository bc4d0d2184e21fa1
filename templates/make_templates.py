"""Recreate the vastbus templates and the SIP diagram from code.

Run from the repository root::

    python templates/make_templates.py

It (re)writes, next to this script:

* ``slides.pptx``         - the PowerPoint template (16:9, layouts only, no slides)
* ``handout.docx``        - the Word template for the participant handout
* ``trainer-guide.docx``  - the Word template for the trainer guide
* ``images/sip-steg.png`` - the six steps of the regional SIP process, only with ``--picture``

Keeping the design in code makes a design change a reviewed change, and the three
templates are byte-for-byte the same on every run and machine (fixed dates, fixed zip
timestamps). The picture is not: its text is rasterised with the machine's fonts and
Pillow, so it is redrawn only when asked to and then committed.

Maintainers may also restyle the files directly in PowerPoint or Word instead. That is
fine as long as the names in ``vastbus_cli/render/contract.py`` survive: the layout
names and placeholder idx values of ``slides.pptx``, and the paragraph and table style
names of the two Word templates (``vastbus check`` names any that are missing). If you
restyle by hand, either stop using this script or port the change back here, or the
next run will overwrite it.

Only python-pptx, python-docx, lxml and Pillow are used.
"""

from __future__ import annotations

import argparse
import copy
import datetime as _dt
import io
import sys
import zipfile
from pathlib import Path

try:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
    from docx.shared import Cm
    from lxml import etree
    from PIL import Image, ImageDraw, ImageFont
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as PPTX_RT
except ImportError as missing:  # run with a Python that lacks the design tools
    sys.exit(
        f"templates/make_templates.py needs {missing.name}: run pip install '.[templates]' "
        "(or use the Python of the environment you installed vastbus in with that extra)"
    )

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------
# Design tokens
# --------------------------------------------------------------------------------------

BLUE = "1F4E79"  # deep blue: titles, cover and section backgrounds
TEAL = "2E7D7A"  # accents
TEAL_LIGHT = "8FD1CC"  # accent on deep blue
INK = "1F2933"  # body text
INK_SOFT = "3E4C59"  # secondary text
GREY = "5F6B7A"  # references (5.4:1 on white)
GREY_FOOT = "6B7280"  # footer text (4.8:1 on white)
RULE = "D5DCE4"  # hairlines
PAPER = "F5F7FA"  # soft background
PANEL = "EEF3F8"  # light blue panel
ON_BLUE = "D6E4F0"  # secondary text on deep blue (6.7:1)
WARM = "C55A11"  # local additions: bands
WARM_DARK = "A34A0E"  # local additions: text and tag (5.9:1 on white)
WARM_TITLE = "7A3410"  # local slide title (8.6:1 on the warm tint)
WARM_TINT = "FFF8F1"  # local slide background
WARM_SHADE = "FDF1E7"  # local paragraph shading in Word
PURPLE = "5B4B8A"  # quiz accent (7.5:1 on white)
PURPLE_TINT = "F6F4FA"  # quiz background
TEAL_TINT = "F0F7F6"  # exercise background
PAPER_WHITE = "FFFFFF"  # the exercise's debrief panel
TEAL_DARK = "1E5F5C"  # exercise badge text (7.4:1 on white)
NOTE_BORDER = "6B8FB3"  # grey-blue border of trainer notes
NOTE_SHADE = "F3F6F9"
GUIDE_TITLE = "1E5F5C"  # the trainer guide's title colour (dark teal)

FONT = "Arial"

# Type sizes, readable from the back row as LibreOffice and PowerPoint draw them: body text at
# 24 pt or more (the writer fits text down to 24 pt, never below, when a slide is full), titles
# at 28 pt or more. vastbus_cli/checks/design.py reads these sizes and boxes from slides.pptx.
BODY = 28  # the workhorse's bullets
BODY_MIN = 24  # every other body: columns, closing, references, subtitles
STATEMENT = 40  # a statement slide's one sentence
CASE_PERSON = 36  # who a case card is about
TITLE = 32
# The title block of content slides starts low enough to leave a row above it for the step
# tracker the writer draws on process slides (y 0.1-0.7 in).
TITLE_TOP = 0.75
BODY_TOP = TITLE_TOP + 1.5
LANG = "sv-SE"

#: Fixed timestamp so every run produces the same bytes.
STAMP = _dt.datetime(2026, 11, 22, 12, 0, 0)
ZIP_TIME = (2026, 11, 22, 12, 0, 0)

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
}
NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items() if k != "w")


def _a(tag: str) -> str:
    return f"{{{NS['a']}}}{tag}"


def _p(tag: str) -> str:
    return f"{{{NS['p']}}}{tag}"


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so the output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        names.sort(key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def _theme_xml(blob: bytes, name: str) -> bytes:
    """Return a theme part with the vastbus colours and Arial for all text."""
    root = etree.fromstring(blob)
    root.set("name", name)
    elems = root.find(_a("themeElements"))
    scheme = {
        "dk1": INK,
        "lt1": "FFFFFF",
        "dk2": BLUE,
        "lt2": PAPER,
        "accent1": BLUE,
        "accent2": TEAL,
        "accent3": WARM,
        "accent4": PURPLE,
        "accent5": "4F7FAF",
        "accent6": "7A8793",
        "hlink": "1D5C99",
        "folHlink": PURPLE,
    }
    clr = elems.find(_a("clrScheme"))
    for child in list(clr):
        clr.remove(child)
    clr.set("name", name)
    for key, val in scheme.items():
        slot = etree.SubElement(clr, _a(key))
        etree.SubElement(slot, _a("srgbClr"), val=val)
    fonts = elems.find(_a("fontScheme"))
    for child in list(fonts):
        fonts.remove(child)
    fonts.set("name", name)
    for kind in ("majorFont", "minorFont"):
        f = etree.SubElement(fonts, _a(kind))
        etree.SubElement(f, _a("latin"), typeface=FONT)
        etree.SubElement(f, _a("ea"), typeface="")
        etree.SubElement(f, _a("cs"), typeface="")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_part_xml(part, blob: bytes) -> None:
    """Replace a part's content, whether the library keeps it as XML or as bytes."""
    if hasattr(part, "_element"):
        part._element = etree.fromstring(blob, parser=_oxml_parser(part))
    else:
        part._blob = blob


def _oxml_parser(part):
    # python-pptx and python-docx parse XML parts with their own element classes
    module = type(part).__module__.split(".")[0]
    if module == "pptx":
        from pptx.oxml import oxml_parser
    else:
        from docx.oxml.parser import oxml_parser
    return oxml_parser


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
    '2006/docPropsVTypes"><Application>vastbus</Application>{extra}'
    "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _set_core(props, title: str, description: str) -> None:
    props.title = title
    props.subject = "Samverkan kring barn och unga i Västra Götaland"
    props.author = "vastbus"
    props.last_modified_by = "vastbus"
    props.comments = description  # dc:description
    props.keywords = "vastbus; mall; SIP; samverkan"
    props.category = "Mall"
    props.language = LANG
    props.revision = 1
    props.created = STAMP
    props.modified = STAMP


# --------------------------------------------------------------------------------------
# PowerPoint: DrawingML snippets
# --------------------------------------------------------------------------------------

EMU_PER_INCH = 914400
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.75
CONTENT_W = SLIDE_W - 2 * MARGIN
BOTTOM = 6.8  # nothing of ours below this line: the footer zone belongs to the tool
# The QUIZ / LOKALT TILLÄGG tags sit on the same row as the district label the tool
# writes at the top right of local slides (y 0.13-0.55 in).
TAG_Y, TAG_H = 0.15, 0.38


def emu(inches: float) -> int:
    """Inches to EMU."""
    return round(inches * EMU_PER_INCH)


def fill(color: str | None, alpha: int | None = None) -> str:
    """A solid fill; colour is 'RRGGBB' or a scheme name like 'tx2'."""
    if color is None:
        return "<a:noFill/>"
    inner = f'<a:alpha val="{alpha * 1000}"/>' if alpha is not None else ""
    if len(color) == 6 and all(c in "0123456789ABCDEF" for c in color):
        return f'<a:solidFill><a:srgbClr val="{color}">{inner}</a:srgbClr></a:solidFill>'
    return f'<a:solidFill><a:schemeClr val="{color}">{inner}</a:schemeClr></a:solidFill>'


def xfrm(x: float, y: float, w: float, h: float) -> str:
    """Position and size in inches as a:xfrm."""
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def rpr(
    tag: str = "a:defRPr",
    sz: float | None = None,
    color: str | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    font: str = "+mn-lt",
    spc: int | None = None,
) -> str:
    """Run properties (a:defRPr or a:rPr), always Swedish."""
    attrs = [f'lang="{LANG}"']
    if sz is not None:
        attrs.append(f'sz="{int(sz * 100)}"')
    if bold is not None:
        attrs.append(f'b="{int(bold)}"')
    if italic is not None:
        attrs.append(f'i="{int(italic)}"')
    if spc is not None:
        attrs.append(f'spc="{spc}"')
    body = fill(color) if color else ""
    if font:
        body += f'<a:latin typeface="{font}"/><a:ea typeface="{font.replace("lt", "ea")}"/>'
        body += f'<a:cs typeface="{font.replace("lt", "cs")}"/>'
    return f"<{tag} {' '.join(attrs)}>{body}</{tag}>"


def lvl(
    n: int,
    sz: float,
    color: str,
    *,
    bold: bool = False,
    italic: bool = False,
    marL: float = 0.0,
    indent: float = 0.0,
    bullet: str | None = None,
    bullet_color: str | None = None,
    autonum: str | None = None,
    before: float = 0,
    after: float = 0,
    line: int = 100,
    algn: str = "l",
    font: str = "+mn-lt",
    tag: str | None = None,
) -> str:
    """One level of a list style (a:lvlNpPr)."""
    tag = tag or f"a:lvl{n}pPr"
    out = [
        f'<{tag} marL="{emu(marL)}" indent="{emu(indent)}" algn="{algn}" '
        'defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
    ]
    out.append(f'<a:lnSpc><a:spcPct val="{line * 1000}"/></a:lnSpc>')
    out.append(f'<a:spcBef><a:spcPts val="{int(before * 100)}"/></a:spcBef>')
    out.append(f'<a:spcAft><a:spcPts val="{int(after * 100)}"/></a:spcAft>')
    if bullet or autonum:
        if bullet_color:
            out.append(f"<a:buClr>{fill(bullet_color)[len('<a:solidFill>') : -len('</a:solidFill>')]}</a:buClr>")
        out.append('<a:buSzPct val="100000"/>')
        out.append(f'<a:buFont typeface="{FONT}" panose="020B0604020202020204"/>')
        if autonum:
            out.append(f'<a:buAutoNum type="{autonum}"/>')
        else:
            out.append(f'<a:buChar char="{bullet}"/>')
    else:
        out.append("<a:buNone/>")
    out.append(rpr(sz=sz, color=color, bold=bold, italic=italic, font=font))
    out.append(f"</{tag}>")
    return "".join(out)


def body_levels(
    sz: float,
    color: str = "tx1",
    bullet_color: str = "accent2",
    *,
    first_bullet: str | None = "•",
    autonum: str | None = None,
    before: float = 8,
    line: int = 100,
    step: float = 0.38,
) -> str:
    """Levels 1-9 for a bulleted body placeholder."""
    levels = [
        lvl(
            1,
            sz,
            color,
            marL=step,
            indent=-step,
            bullet=first_bullet,
            autonum=autonum,
            bullet_color=bullet_color,
            before=before,
            line=line,
        )
    ]
    sub = [("–", max(sz - 2, BODY_MIN)), ("•", BODY_MIN), ("–", BODY_MIN)]
    for n in range(2, 10):
        char, size = sub[min(n - 2, len(sub) - 1)]
        levels.append(
            lvl(
                n,
                size,
                color,
                marL=step + (n - 1) * 0.42,
                indent=-0.3,
                bullet=char,
                bullet_color=bullet_color,
                before=before / 2,
                line=line,
            )
        )
    return "".join(levels)


_ids = iter(range(2, 10_000))


def shape(
    name: str,
    x: float,
    y: float,
    w: float,
    h: float,
    color: str | None,
    *,
    geom: str = "rect",
    alpha: int | None = None,
    line: str | None = None,
    line_alpha: int | None = None,
    line_w: float = 1.5,
    text: str = "",
    text_sz: float = 14,
    text_color: str = "FFFFFF",
    adj: str = "",
) -> str:
    """A decorative (non-placeholder) shape, optionally with one line of text."""
    sid = next(_ids)
    ln = f'<a:ln w="{int(line_w * 12700)}">{fill(line, line_alpha)}</a:ln>' if line else "<a:ln><a:noFill/></a:ln>"
    av = f"<a:avLst>{adj}</a:avLst>"
    if text:
        tx = (
            '<p:txBody><a:bodyPr wrap="none" lIns="91440" tIns="0" rIns="91440" bIns="0" '
            'rtlCol="0" anchor="ctr"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
            '<a:p><a:pPr algn="ctr"><a:buNone/></a:pPr><a:r>'
            + rpr("a:rPr", sz=text_sz, color=text_color, bold=True, spc=120)
            + f"<a:t>{text}</a:t></a:r></a:p></p:txBody>"
        )
    else:
        tx = (
            '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/>'
            f'<a:p><a:endParaRPr lang="{LANG}"/></a:p></p:txBody>'
        )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}" descr=""/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{xfrm(x, y, w, h)}<a:prstGeom prst="{geom}">{av}</a:prstGeom>'
        f"{fill(color, alpha)}{ln}</p:spPr>{tx}</p:sp>"
    )


def placeholder(
    name: str,
    ph: str,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    anchor: str = "t",
    levels: str = "",
    prompt: str = "",
    insets: tuple[float, float, float, float] = (0.08, 0.05, 0.08, 0.05),
) -> str:
    """A layout placeholder with its own list style and prompt text."""
    sid = next(_ids)
    left, top, right, bottom = (emu(v) for v in insets)
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr>{ph}</p:nvPr></p:nvSpPr>"
        f"<p:spPr>{xfrm(x, y, w, h)}</p:spPr>"
        f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" '
        f'bIns="{bottom}" rtlCol="0" anchor="{anchor}"><a:normAutofit/></a:bodyPr>'
        f"<a:lstStyle>{levels}</a:lstStyle>"
        f'<a:p><a:r><a:rPr lang="{LANG}"/><a:t>{prompt}</a:t></a:r></a:p></p:txBody></p:sp>'
    )


def title_ph(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    sz: float = 32,
    color: str = "tx2",
    anchor: str = "b",
    center: bool = False,
    line: int = 95,
    algn: str = "l",
) -> str:
    """The title placeholder (idx 0)."""
    ph = '<p:ph type="ctrTitle"/>' if center else '<p:ph type="title"/>'
    return placeholder(
        "Rubrik",
        ph,
        x,
        y,
        w,
        h,
        anchor=anchor,
        levels=lvl(1, sz, color, bold=True, line=line, algn=algn),
        prompt="Klicka här för att lägga till rubrik",
    )


def body_ph(
    idx: int,
    x: float,
    y: float,
    w: float,
    h: float,
    levels: str,
    *,
    anchor: str = "t",
    half: bool = False,
    prompt: str | None = None,
) -> str:
    """A body placeholder with the given idx."""
    size = ' sz="half"' if half else ""
    return placeholder(
        f"Text {idx}",
        f'<p:ph type="body"{size} idx="{idx}"/>',
        x,
        y,
        w,
        h,
        anchor=anchor,
        levels=levels,
        prompt=prompt or "Klicka här för att lägga till text",
    )


def plain_levels(
    sz: float,
    color: str,
    *,
    bold: bool = False,
    italic: bool = False,
    line: int = 100,
    before: float = 6,
    algn: str = "l",
) -> str:
    """All nine levels without bullets (subtitle, divider line, statement)."""
    return "".join(
        lvl(n, sz, color, bold=bold, italic=italic, line=line, before=before if n > 1 else 0, algn=algn)
        for n in range(1, 10)
    )


SPTREE_HEAD = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
    '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)


def _circles(cx: float, cy: float, d: float) -> str:
    """Three overlapping rings: school, social services and health care."""
    out = []
    for i, (dx, dy) in enumerate(((-0.33, -0.28), (0.33, -0.28), (0.0, 0.29))):
        out.append(
            shape(
                f"Dekor ring {i + 1}",
                cx + dx * d - d / 2,
                cy + dy * d - d / 2,
                d,
                d,
                "FFFFFF",
                geom="ellipse",
                alpha=7,
                line="FFFFFF",
                line_alpha=40,
                line_w=1.5,
            )
        )
    return "".join(out)


def _title_block(color: str = "tx2", bar: str = "accent2", top: float = TITLE_TOP) -> str:
    """The standard title area: title anchored at the bottom and a short accent bar."""
    return title_ph(MARGIN, top, CONTENT_W, 1.1, color=color) + shape(
        "Dekor linje", MARGIN + 0.08, top + 1.2, 0.9, 0.07, bar
    )


def _content_tree(levels: str, anchor: str = "ctr") -> str:
    """The title block over one full-width text placeholder (new shape ids on every call).

    The body is centred in its area, so three short bullets sit in the middle of the slide
    rather than in its top third.
    """
    return _title_block() + body_ph(1, MARGIN, BODY_TOP, CONTENT_W, BOTTOM - BODY_TOP, levels, anchor=anchor)


def _spec(name: str, kind: str, *, master: bool, bg: str | None, tree: str) -> dict:
    """One layout: name, layout type, master graphics on/off, background, shapes."""
    return {"name": name, "type": kind, "show_master": master, "bg": bg, "tree": tree}


def _layouts() -> list[dict]:
    """Name, layout type, background, master-graphics flag and shape tree per layout."""
    body = body_levels(BODY, before=12)
    lay = []

    # 1 Titel: a cover with a deep blue band, big white title, subtitle below.
    lay.append(
        _spec(
            "Titel",
            "title",
            master=False,
            bg=None,
            tree=(
                shape("Dekor band", 0, 0, SLIDE_W, 4.45, "tx2")
                + shape("Dekor kant", 0, 4.45, SLIDE_W, 0.1, "accent2")
                + _circles(10.95, 2.2, 2.55)
                + title_ph(MARGIN, 0.7, 8.6, 3.45, sz=44, color="FFFFFF", center=True, line=92)
                + body_ph(
                    1,
                    MARGIN,
                    4.75,
                    CONTENT_W,
                    2.05,
                    plain_levels(BODY_MIN, "tx2", line=105, before=4),
                    prompt="Klicka här för att lägga till underrubrik",
                )
            ),
        )
    )

    # 2 Avsnitt: module divider, full deep blue with the footer zone left light.
    lay.append(
        _spec(
            "Avsnitt",
            "secHead",
            master=False,
            bg=None,
            tree=(
                shape("Dekor band", 0, 0, SLIDE_W, 6.85, "tx2")
                + shape("Dekor kant", 0, 6.85, SLIDE_W, 0.06, "accent2")
                + _circles(10.95, 3.2, 2.55)
                + title_ph(MARGIN, 1.3, 8.6, 2.85, sz=40, color="FFFFFF", line=92)
                + shape("Dekor linje", MARGIN + 0.08, 4.35, 1.2, 0.08, TEAL_LIGHT)
                + body_ph(1, MARGIN, 4.65, 8.6, 1.6, plain_levels(24, ON_BLUE, line=105, before=4))
            ),
        )
    )

    # 3 Innehåll: the workhorse.
    lay.append(
        _spec(
            "Innehåll",
            "obj",
            master=True,
            bg=None,
            tree=_content_tree(body),
        )
    )

    # 4 Två kolumner
    col_w = (CONTENT_W - 0.5) / 2
    lay.append(
        _spec(
            "Två kolumner",
            "twoObj",
            master=True,
            bg=None,
            tree=(
                _title_block()
                + shape("Dekor delare", MARGIN + col_w + 0.245, BODY_TOP + 0.1, 0.01, BOTTOM - BODY_TOP - 0.3, RULE)
                + body_ph(1, MARGIN, BODY_TOP, col_w, BOTTOM - BODY_TOP, body_levels(BODY_MIN), half=True)
                + body_ph(2, MARGIN + col_w + 0.5, BODY_TOP, col_w, BOTTOM - BODY_TOP, body_levels(BODY_MIN), half=True)
            ),
        )
    )

    # 5 Citat: one large statement on a light panel with a quote accent.
    lay.append(
        _spec(
            "Citat",
            "cust",
            master=True,
            bg=None,
            tree=(
                _title_block()
                + shape("Dekor panel", MARGIN, BODY_TOP, CONTENT_W, BOTTOM - BODY_TOP - 0.05, PANEL)
                + shape("Dekor kant", MARGIN, BODY_TOP, 0.12, BOTTOM - BODY_TOP - 0.05, "accent2")
                + _quote_mark(MARGIN + 0.35, BODY_TOP + 0.1)
                + body_ph(
                    1,
                    MARGIN + 1.45,
                    BODY_TOP + 0.25,
                    CONTENT_W - 2.0,
                    BOTTOM - BODY_TOP - 0.55,
                    plain_levels(34, "tx2", line=110, before=8),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till ett påstående",
                )
            ),
        )
    )

    # 6 Quiz: purple strip, a QUIZ tag and numbered options.
    lay.append(
        _spec(
            "Quiz",
            "cust",
            master=True,
            bg=PURPLE_TINT,
            tree=(
                shape("Dekor kant", 0, 0, 0.28, SLIDE_H, PURPLE)
                + shape("Dekor etikett", MARGIN, TAG_Y, 1.25, TAG_H, PURPLE, geom="roundRect", text="QUIZ", text_sz=18)
                + title_ph(MARGIN, 0.7, CONTENT_W, 1.65, sz=30, line=95)
                + shape("Dekor linje", MARGIN + 0.08, 2.45, 0.9, 0.07, PURPLE)
                + body_ph(
                    1,
                    MARGIN,
                    2.7,
                    CONTENT_W,
                    BOTTOM - 2.7,
                    body_levels(24, bullet_color=PURPLE, autonum="arabicPeriod", before=16, step=0.55),
                    prompt="Klicka här för att lägga till svarsalternativ",
                )
            ),
        )
    )

    # 7 Referenser: a smaller list of guideline references.
    lay.append(
        _spec(
            "Referenser",
            "cust",
            master=True,
            bg=None,
            tree=(
                _title_block()
                + body_ph(
                    1,
                    MARGIN,
                    BODY_TOP,
                    CONTENT_W,
                    BOTTOM - BODY_TOP,
                    body_levels(BODY_MIN, INK_SOFT, bullet_color="accent2", first_bullet="▪", before=8, step=0.4),
                    prompt="Klicka här för att lägga till referenser",
                )
            ),
        )
    )

    # 8 Lokalt tillägg: warm tint, warm strip and tag, so it reads as local.
    lay.append(
        _spec(
            "Lokalt tillägg",
            "cust",
            master=True,
            bg=WARM_TINT,
            tree=(
                shape("Dekor kant", 0, 0, 0.28, SLIDE_H, WARM)
                + shape(
                    "Dekor etikett",
                    MARGIN,
                    TAG_Y,
                    2.75,
                    TAG_H,
                    WARM_DARK,
                    geom="roundRect",
                    text="LOKALT TILLÄGG",
                    text_sz=18,
                )
                + title_ph(MARGIN, 0.7, CONTENT_W, 1.2, sz=32, color=WARM_TITLE)
                + shape("Dekor linje", MARGIN + 0.08, 2.0, 0.9, 0.07, WARM)
                + body_ph(
                    1,
                    MARGIN,
                    2.22,
                    CONTENT_W,
                    BOTTOM - 2.22,
                    body_levels(BODY, bullet_color=WARM_DARK, before=12),
                    anchor="ctr",
                )
            ),
        )
    )

    # 9 Agenda: the title block set higher, so half a day's schedule fits at 24 pt where the body is
    # (the writer draws it as a table there).
    agenda_top = 0.3
    agenda_body = agenda_top + 1.35
    lay.append(
        _spec(
            "Agenda",
            "obj",
            master=True,
            bg=None,
            tree=(
                _title_block(top=agenda_top)
                + body_ph(1, MARGIN, agenda_body, CONTENT_W, BOTTOM - agenda_body, body_levels(BODY_MIN), anchor="ctr")
            ),
        )
    )

    # 10 Lokalt avsnitt: the divider before a district's own part, warm instead of blue.
    lay.append(
        _spec(
            "Lokalt avsnitt",
            "secHead",
            master=False,
            bg=None,
            tree=(
                shape("Dekor band", 0, 0, SLIDE_W, 6.85, WARM_TITLE)
                + shape("Dekor kant", 0, 6.85, SLIDE_W, 0.06, WARM)
                + shape(
                    "Dekor etikett",
                    MARGIN,
                    0.55,
                    2.75,
                    TAG_H,
                    WARM_DARK,
                    geom="roundRect",
                    text="LOKALT TILLÄGG",
                    text_sz=18,
                )
                + title_ph(MARGIN, 1.3, 10.6, 2.85, sz=40, color="FFFFFF", line=92)
                + shape("Dekor linje", MARGIN + 0.08, 4.35, 1.2, 0.08, WARM_SHADE)
                + body_ph(1, MARGIN, 4.65, 10.6, 1.6, plain_levels(24, WARM_SHADE, line=105, before=4))
            ),
        )
    )

    # 11 Avslutning: the closing slide, blue like the cover, with room for four short lines.
    lay.append(
        _spec(
            "Avslutning",
            "obj",
            master=False,
            bg=None,
            tree=(
                shape("Dekor band", 0, 0, SLIDE_W, 2.35, "tx2")
                + shape("Dekor kant", 0, 2.35, SLIDE_W, 0.08, "accent2")
                + title_ph(MARGIN, 0.45, CONTENT_W, 1.6, sz=40, color="FFFFFF", line=92)
                + body_ph(
                    1,
                    MARGIN,
                    2.75,
                    CONTENT_W,
                    BOTTOM - 2.75,
                    body_levels(BODY_MIN, bullet_color="accent2", before=12),
                    prompt="Klicka här för att lägga till text",
                )
            ),
        )
    )

    # 12 Paus: a break, light and calm so it never reads as the next section: a large
    # "Paus – 10 minuter" and, below it, when the course goes on.
    lay.append(
        _spec(
            "Paus",
            "cust",
            master=False,
            bg=PAPER,
            tree=(
                shape("Dekor kant", 0, 0, SLIDE_W, 0.28, "accent2")
                + _clock(SLIDE_W / 2 - 0.75, 0.95, 1.5)
                + title_ph(MARGIN, 2.75, CONTENT_W, 1.6, sz=60, color="tx2", center=False, line=92, algn="ctr")
                + body_ph(
                    1,
                    MARGIN,
                    4.55,
                    CONTENT_W,
                    1.3,
                    plain_levels(36, TEAL, line=100, algn="ctr"),
                    prompt="Klicka här för att lägga till när ni fortsätter",
                )
            ),
        )
    )

    # 13 Påstående: one sentence, large, on a light panel: the one thing to remember from a part.
    lay.append(
        _spec(
            "Påstående",
            "cust",
            master=True,
            bg=None,
            tree=(
                _title_block()
                + shape("Dekor panel", MARGIN, BODY_TOP, CONTENT_W, BOTTOM - BODY_TOP - 0.05, PANEL)
                + shape("Dekor kant", MARGIN, BODY_TOP, 0.12, BOTTOM - BODY_TOP - 0.05, "accent2")
                + body_ph(
                    1,
                    MARGIN + 0.6,
                    BODY_TOP + 0.2,
                    CONTENT_W - 1.2,
                    BOTTOM - BODY_TOP - 0.45,
                    plain_levels(STATEMENT, "tx2", bold=True, line=100, before=8),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till en mening",
                )
            ),
        )
    )

    # 14 Tabell: the title block; the writer draws a table (vem / vad / när) where the body is.
    lay.append(_spec("Tabell", "obj", master=True, bg=None, tree=_content_tree(body_levels(BODY_MIN))))

    # 15 Fall: a case card: who (on a teal strip), what is seen (on the card), the question (on a blue band).
    card_top, card_h, strip_w = BODY_TOP, 3.15, 3.0
    band_top = card_top + card_h + 0.2
    lay.append(
        _spec(
            "Fall",
            "cust",
            master=True,
            bg=None,
            tree=(
                _title_block()
                + shape("Dekor kort", MARGIN, card_top, CONTENT_W, card_h, PANEL)
                + shape("Dekor person", MARGIN, card_top, strip_w, card_h, "accent2")
                + body_ph(
                    1,
                    MARGIN + 0.2,
                    card_top + 0.2,
                    strip_w - 0.4,
                    card_h - 0.4,
                    plain_levels(CASE_PERSON, "FFFFFF", bold=True, line=95),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till vem fallet gäller",
                )
                + body_ph(
                    2,
                    MARGIN + strip_w + 0.3,
                    card_top + 0.15,
                    CONTENT_W - strip_w - 0.5,
                    card_h - 0.3,
                    body_levels(BODY_MIN, before=6),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till vad som händer",
                )
                + _band("Dekor fråga", 3, band_top, "tx2", "Klicka här för att lägga till frågan till gruppen")
            ),
        )
    )

    # 16 Övning: its own look (teal strip and an ÖVNING tag): the task, the minutes and group
    # size on a badge, and the questions to debrief with on a panel beside the task.
    task_top = 3.0
    task_w = CONTENT_W * 0.55
    panel_x = MARGIN + task_w + 0.3
    lay.append(
        _spec(
            "Övning",
            "cust",
            master=True,
            bg=TEAL_TINT,
            tree=(
                shape("Dekor kant", 0, 0, 0.28, SLIDE_H, TEAL)
                + shape("Dekor etikett", MARGIN, TAG_Y, 1.7, TAG_H, TEAL, geom="roundRect", text="ÖVNING", text_sz=18)
                + title_ph(MARGIN, 0.7, CONTENT_W, 1.3, sz=TITLE, line=95)
                + shape("Dekor märke", MARGIN, 2.15, 6.2, 0.62, "FFFFFF", geom="roundRect", line=TEAL, line_w=1.5)
                + body_ph(
                    3,
                    MARGIN + 0.15,
                    2.15,
                    5.9,
                    0.62,
                    plain_levels(BODY_MIN, TEAL_DARK, bold=True),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till minuter och gruppstorlek",
                )
                + body_ph(
                    1,
                    MARGIN,
                    task_top,
                    task_w,
                    BOTTOM - task_top,
                    plain_levels(BODY, "tx1", line=100, before=8),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till uppgiften",
                )
                + shape("Dekor panel", panel_x, task_top, CONTENT_W - task_w - 0.3, BOTTOM - task_top, PAPER_WHITE)
                + body_ph(
                    2,
                    MARGIN + task_w + 0.5,
                    task_top + 0.1,
                    CONTENT_W - task_w - 0.7,
                    BOTTOM - task_top - 0.2,
                    body_levels(BODY_MIN, bullet_color=TEAL, before=6),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till frågor att samla ihop med",
                )
            ),
        )
    )

    # 17 Att ta med: up to three numbered points and one call to action on a band.
    action_top = 5.35
    lay.append(
        _spec(
            "Att ta med",
            "cust",
            master=True,
            bg=None,
            tree=(
                _title_block()
                + body_ph(
                    1,
                    MARGIN,
                    BODY_TOP,
                    CONTENT_W,
                    action_top - BODY_TOP - 0.15,
                    body_levels(BODY, autonum="arabicPeriod", before=10, step=0.55),
                    anchor="ctr",
                    prompt="Klicka här för att lägga till tre saker att ta med",
                )
                + _band("Dekor band", 2, action_top, "accent2", "Klicka här för att lägga till vad ni gör efteråt")
            ),
        )
    )
    return lay


def _band(name: str, idx: int, top: float, color: str, prompt: str) -> str:
    """A coloured band from ``top`` to the footer zone, with a placeholder of bold white text on it."""
    return shape(name, MARGIN, top, CONTENT_W, BOTTOM - top - 0.05, color) + body_ph(
        idx,
        MARGIN + 0.3,
        top + 0.05,
        CONTENT_W - 0.6,
        BOTTOM - top - 0.15,
        plain_levels(BODY, "FFFFFF", bold=True, line=95),
        anchor="ctr",
        prompt=prompt,
    )


def _clock(x: float, y: float, d: float) -> str:
    """A simple clock face: a ring and two hands, drawn in the accent colour."""
    cx, cy = x + d / 2, y + d / 2
    return (
        shape("Dekor klocka", x, y, d, d, "FFFFFF", geom="ellipse", line="accent2", line_w=6)
        + shape("Dekor visare", cx - 0.045, y + 0.28, 0.09, d / 2 - 0.28, "accent2", geom="roundRect")
        + shape("Dekor visare", cx, cy - 0.045, d / 2 - 0.36, 0.09, "accent2", geom="roundRect")
    )


def _quote_mark(x: float, y: float) -> str:
    sid = next(_ids)
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="Dekor citattecken" descr=""/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{xfrm(x, y, 1.0, 1.3)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "<a:noFill/></p:spPr>"
        '<p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t">'
        "<a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr><a:buNone/></a:pPr><a:r>"
        + rpr("a:rPr", sz=110, color="accent2", bold=True)
        + "<a:t>\u201d</a:t></a:r></a:p></p:txBody></p:sp>"
    )


def _master_xml(clr_map: str, layout_ids: str) -> str:
    title_style = lvl(1, 32, "tx2", bold=True, line=95, font="+mj-lt")
    body_style = body_levels(BODY)
    other = lvl(0, 18, "tx1", tag="a:defPPr") + "".join(lvl(n, 18, "tx1", marL=(n - 1) * 0.5) for n in range(1, 10))
    return (
        f"<p:sldMaster {NSDECL}><p:cSld><p:bg><p:bgPr>{fill('bg1')}<a:effectLst/></p:bgPr>"
        f"</p:bg><p:spTree>{SPTREE_HEAD}"
        + shape("Dekor sidfotslinje", MARGIN, 6.93, CONTENT_W, 0.014, RULE)
        + placeholder(
            "Rubrik",
            '<p:ph type="title"/>',
            MARGIN,
            TITLE_TOP,
            CONTENT_W,
            1.1,
            anchor="b",
            prompt="Klicka här för att ändra format på rubrik",
        )
        + placeholder(
            "Text",
            '<p:ph type="body" idx="1"/>',
            MARGIN,
            BODY_TOP,
            CONTENT_W,
            BOTTOM - BODY_TOP,
            prompt="Klicka här för att ändra format på text",
        )
        + f"</p:spTree></p:cSld>{clr_map}{layout_ids}"
        f"<p:txStyles><p:titleStyle>{title_style}</p:titleStyle>"
        f"<p:bodyStyle>{body_style}</p:bodyStyle><p:otherStyle>{other}</p:otherStyle>"
        "</p:txStyles></p:sldMaster>"
    )


def _replace_children(target, source_xml: str) -> None:
    src = etree.fromstring(source_xml)
    for child in list(target):
        target.remove(child)
    for child in list(src):
        target.append(child)


def _add_layout(prs) -> None:
    """Append a copy of the last layout to the master (python-pptx's default has eleven)."""
    from pptx.opc.packuri import PackURI
    from pptx.parts.slide import SlideLayoutPart

    master = prs.slide_master
    source = prs.slide_layouts[len(prs.slide_layouts) - 1]
    number = len(prs.slide_layouts) + 1
    part = SlideLayoutPart(
        PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml"),
        source.part.content_type,
        source.part.package,
        copy.deepcopy(source._element),
    )
    part.relate_to(master.part, PPTX_RT.SLIDE_MASTER)
    rid = master.part.relate_to(part, PPTX_RT.SLIDE_LAYOUT)
    id_list = master._element.find(_p("sldLayoutIdLst"))
    new_id = max(int(entry.get("id")) for entry in id_list) + 1
    entry = etree.SubElement(id_list, _p("sldLayoutId"))
    entry.set("id", str(new_id))
    entry.set(f"{{{NS['r']}}}id", rid)


def build_slides(path: Path) -> None:
    """Write slides.pptx: 16:9, seventeen named layouts, a notes master, no slides."""
    prs = Presentation()
    prs.slide_width = emu(SLIDE_W)
    prs.slide_height = emu(SLIDE_H)
    pres = prs.part._element
    sld_sz = pres.find(_p("sldSz"))
    sld_sz.attrib.pop("type", None)
    sld_sz.set("cx", "12192000")

    # presentation-wide default text: Arial, Swedish
    dts = pres.find(_p("defaultTextStyle"))
    if dts is not None:
        for d in dts.iter(_a("defRPr")):
            d.set("lang", LANG)

    # themes (slide master and, below, notes master)
    master = prs.slide_master
    theme = master.part.part_related_by(PPTX_RT.THEME)
    _set_part_xml(theme, _theme_xml(theme.blob, "vastbus"))

    # drop the layouts we do not need, restyle the rest in contract order
    specs = _layouts()
    layouts = list(prs.slide_layouts)
    for extra in layouts[len(specs) :]:
        prs.slide_layouts.remove(extra)
    for _ in range(len(specs) - len(layouts)):
        _add_layout(prs)
    for layout, spec in zip(prs.slide_layouts, specs, strict=True):
        root = layout._element
        for key in list(root.attrib):
            del root.attrib[key]
        root.set("type", spec["type"])
        root.set("preserve", "1")
        root.set("userDrawn", "1")
        if not spec["show_master"]:
            root.set("showMasterSp", "0")
        bg = f"<p:bg><p:bgPr>{fill(spec['bg'])}<a:effectLst/></p:bgPr></p:bg>" if spec["bg"] else ""
        _replace_children(
            root,
            (
                f'<p:sldLayout {NSDECL}><p:cSld name="{spec["name"]}">{bg}'
                f"<p:spTree>{SPTREE_HEAD}{spec['tree']}</p:spTree></p:cSld>"
                "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
            ),
        )

    # the master: keep its colour map and layout list, replace shapes and text styles
    mroot = master._element
    clr_map = etree.tostring(mroot.find(_p("clrMap"))).decode()
    ids = etree.tostring(mroot.find(_p("sldLayoutIdLst"))).decode()
    _replace_children(mroot, _master_xml(clr_map, ids))

    _style_notes_master(prs)
    # PowerPoint lists the notes master in presentation.xml; python-pptx only relates it
    notes_rid = next(r.rId for r in prs.part._rels.values() if r.reltype == PPTX_RT.NOTES_MASTER)
    if pres.find(_p("notesMasterIdLst")) is None:
        id_list = etree.SubElement(pres, _p("notesMasterIdLst"))
        etree.SubElement(id_list, _p("notesMasterId")).set(f"{{{NS['r']}}}id", notes_rid)
        pres.find(_p("sldMasterIdLst")).addnext(id_list)

    # package leftovers: thumbnail, printer settings, python-pptx's app.xml
    pkg = prs.part.package
    for rId, rel in list(pkg._rels.items()):
        if rel.reltype == PPTX_RT.THUMBNAIL:
            pkg._rels.pop(rId)
        elif rel.reltype == PPTX_RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.format(
                extra="<PresentationFormat>Bredbild</PresentationFormat><Slides>0</Slides>"
                "<Notes>0</Notes><HiddenSlides>0</HiddenSlides>"
            ).encode()
    for rId, rel in list(prs.part._rels.items()):
        if rel.reltype == PPTX_RT.PRINTER_SETTINGS:
            prs.part._rels.pop(rId)

    _set_core(
        prs.core_properties,
        "vastbus – mall för bildspel",
        "Mall för bildspel i vastbus. Skapad av templates/make_templates.py.",
    )

    buf = io.BytesIO()
    prs.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def _style_notes_master(prs) -> None:
    """Notes page: 16:9 slide image on top, 12 pt Arial notes below."""
    notes = prs.notes_master  # created on first access
    theme = notes.part.part_related_by(PPTX_RT.THEME)
    _set_part_xml(theme, _theme_xml(theme.blob, "vastbus"))
    root = notes._element
    levels = "".join(lvl(n, 12, "tx1", marL=(n - 1) * 0.3, line=110, after=4) for n in range(1, 10))
    for sp in root.iter(_p("sp")):
        ph = sp.find(f"{_p('nvSpPr')}/{_p('nvPr')}/{_p('ph')}")
        if ph is None:
            continue
        kind = ph.get("type")
        geom = {"sldImg": (0.75, 0.7, 6.0, 3.375), "body": (0.75, 4.35, 6.0, 4.9)}.get(kind)
        if geom:
            old = sp.find(f"{_p('spPr')}/{_a('xfrm')}")
            new = etree.fromstring(f"<root {NSDECL}>{xfrm(*geom)}</root>")[0]
            if old is not None:
                old.getparent().replace(old, new)
            else:
                sp.find(_p("spPr")).insert(0, new)
        if kind == "body":
            # the same levels as notesStyle, on the placeholder too (LibreOffice reads
            # these), and Swedish prompt text for the Notes Master view
            body = sp.find(_p("txBody"))
            prompts = (
                "Klicka här för att ändra format på anteckningar",
                "Nivå två",
                "Nivå tre",
                "Nivå fyra",
                "Nivå fem",
            )
            paras = "".join(
                f'<a:p><a:pPr lvl="{i}"/><a:r><a:rPr lang="{LANG}"/><a:t>{t}</a:t></a:r></a:p>'
                for i, t in enumerate(prompts)
            )
            _replace_children(
                body,
                (
                    f'<p:txBody {NSDECL}><a:bodyPr vert="horz" lIns="91440" tIns="45720" '
                    'rIns="91440" bIns="45720" rtlCol="0"><a:normAutofit/></a:bodyPr>'
                    f"<a:lstStyle>{levels}</a:lstStyle>{paras}</p:txBody>"
                ),
            )
        for r in sp.iter(_a("rPr"), _a("endParaRPr")):
            r.set("lang", LANG)
    style = root.find(_p("notesStyle"))
    new = etree.fromstring(f"<p:notesStyle {NSDECL}>{levels}</p:notesStyle>")
    if style is not None:
        root.replace(style, new)
    else:
        root.append(new)


# --------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------

W = NS["w"]


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _wx(xml: str):
    return etree.fromstring(f'<root xmlns:w="{W}">{xml}</root>')[0]


#: Word 2010's copy of styles.xml; stale once styles.xml is restyled, so it is dropped.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

_STYLE_TAIL = ("tblPr", "trPr", "tcPr", "tblStylePr")


def _set_style_props(style_el, ppr: str | None, rpr_xml: str | None) -> None:
    """Replace a style's w:pPr / w:rPr with fresh ones in schema order."""
    for tag in ("pPr", "rPr"):
        old = style_el.find(_w(tag))
        if old is not None:
            style_el.remove(old)
    anchor = None
    for tag in _STYLE_TAIL:
        anchor = style_el.find(_w(tag))
        if anchor is not None:
            break
    for xml in (ppr, rpr_xml):
        if xml is None:
            continue
        el = _wx(xml)
        if anchor is not None:
            anchor.addprevious(el)
        else:
            style_el.append(el)


def _rpr(
    sz: float,
    color: str,
    *,
    bold: bool = False,
    italic: bool | None = None,
    kern: int | None = None,
    caps: bool = False,
) -> str:
    parts = ["<w:rPr>"]
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic is False:
        parts.append('<w:i w:val="0"/><w:iCs w:val="0"/>')
    if caps:
        parts.append("<w:caps/>")
    parts.append(f'<w:color w:val="{color}"/>')
    if kern:
        parts.append(f'<w:kern w:val="{kern}"/>')
    hs = int(sz * 2)
    parts.append(f'<w:sz w:val="{hs}"/><w:szCs w:val="{hs}"/></w:rPr>')
    return "".join(parts)


def _border(side: str, color: str, sz: int, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{sz}" w:space="{space}" w:color="{color}"/>'


def _ppr(
    *,
    keep: bool = False,
    border: str = "",
    shade: str | None = None,
    before: int = 0,
    after: int = 120,
    line: int = 276,
    ind: str = "",
    outline: int | None = None,
    num: int | None = None,
    widow: bool = True,
) -> str:
    parts = ["<w:pPr>"]
    if keep:
        parts.append("<w:keepNext/><w:keepLines/>")
    if widow:
        parts.append("<w:widowControl/>")
    if num is not None:
        parts.append(f'<w:numPr><w:numId w:val="{num}"/></w:numPr>')
    if border:
        parts.append(f"<w:pBdr>{border}</w:pBdr>")
    if shade:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>')
    parts.append(f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="auto"/>')
    if ind:
        parts.append(ind)
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def _style_el(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
    return style


def _sync_linked_char_style(doc, style_el) -> None:
    """Keep 'Heading 1 Char' and friends in step with their paragraph style."""
    link = style_el.find(_w("link"))
    rpr_el = style_el.find(_w("rPr"))
    if link is None or rpr_el is None:
        return
    char_id = link.get(_w("val"))
    for cand in doc.styles.element.findall(_w("style")):
        if cand.get(_w("styleId")) == char_id:
            _set_style_props(cand, None, etree.tostring(rpr_el).decode().replace(f' xmlns:w="{W}"', ""))


def _strip_theme_fonts(styles_el) -> None:
    """Make every style follow the document default font (Arial)."""
    for rfonts in styles_el.iter(_w("rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(_w(attr), None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)


def _doc_defaults(styles_el) -> None:
    defaults = styles_el.find(_w("docDefaults"))
    new = _wx(
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:color w:val="{INK}"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
        f'<w:lang w:val="{LANG}" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="120" w:line="276" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles_el.replace(defaults, new)


def _table_style(doc) -> None:
    style = _style_el(doc, "Vastbus Tabell", WD_STYLE_TYPE.TABLE)
    el = style.element
    for child in list(el):
        if child.tag not in (_w("name"),):
            el.remove(child)
    line = "".join(_border(s, "B8C4D0", 4, 0) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tail = (
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="40" w:after="40" w:line="252" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{INK}"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/>'
        '<w:tblInd w:w="0" w:type="dxa"/>'
        f"<w:tblBorders>{line}</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="113" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tcPr><w:vAlign w:val="top"/></w:tcPr>'
        '<w:tblStylePr w:type="band1Horz"><w:tblPr/>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PANEL}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr><w:tblPr/>'
        "<w:trPr><w:tblHeader/></w:trPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BLUE}"/></w:tcPr>'
        "</w:tblStylePr>"
    )
    for child in list(_wx(f"<w:x>{tail}</w:x>")):
        el.append(child)


def _numbering(doc) -> None:
    """Teal bullets and plain numbers, hanging 0.63 cm, for List Bullet / List Number."""
    numbering = doc.part.numbering_part.element
    targets = {}
    for num in numbering.findall(_w("num")):
        targets[num.get(_w("numId"))] = num.find(_w("abstractNumId")).get(_w("val"))
    for style_name in ("List Bullet", "List Number"):
        num_id = doc.styles[style_name].element.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        abstract_id = targets[num_id.get(_w("val"))]
        for abstract in numbering.findall(_w("abstractNum")):
            if abstract.get(_w("abstractNumId")) != abstract_id:
                continue
            lvl_el = abstract.find(_w("lvl"))
            bullet = style_name == "List Bullet"
            style_id = doc.styles[style_name].style_id
            new = _wx(
                '<w:lvl w:ilvl="0"><w:start w:val="1"/>'
                f'<w:numFmt w:val="{"bullet" if bullet else "decimal"}"/>'
                f'<w:pStyle w:val="{style_id}"/>'
                f'<w:lvlText w:val="{"•" if bullet else "%1."}"/><w:lvlJc w:val="left"/>'
                '<w:pPr><w:tabs><w:tab w:val="num" w:pos="357"/></w:tabs>'
                '<w:ind w:left="357" w:hanging="357"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:hint="default"/>'
                + (f'<w:color w:val="{TEAL}"/>' if bullet else f'<w:color w:val="{BLUE}"/>')
                + "</w:rPr></w:lvl>"
            )
            abstract.replace(lvl_el, new)


def _settings(doc) -> None:
    settings = doc.settings.element
    for tag in ("savePreviewPicture",):
        el = settings.find(_w(tag))
        if el is not None:
            settings.remove(el)
    lang = settings.find(_w("themeFontLang"))
    if lang is not None:
        lang.set(_w("val"), LANG)
        lang.attrib.pop(_w("eastAsia"), None)
    for tag, val in (("decimalSymbol", ","), ("listSeparator", ";")):
        el = settings.find(_w(tag))
        if el is not None:
            el.set(_w("val"), val)
    for cs in settings.iter(_w("compatSetting")):
        if cs.get(_w("name")) == "compatibilityMode":
            cs.set(_w("val"), "15")


def build_docx(path: Path, *, guide: bool) -> None:
    """Write a Word template: A4, Arial 11 pt, sv-SE, the contract styles, empty body."""
    doc = Document()
    styles_el = doc.styles.element
    _doc_defaults(styles_el)
    _strip_theme_fonts(styles_el)

    title_color = GUIDE_TITLE if guide else BLUE
    title_rule = BLUE if guide else TEAL
    definitions = {
        # Normal stays empty on purpose: its values live in docDefaults, so that a table
        # style (white bold header, tighter spacing) is not overridden by Normal in Word.
        "Normal": (None, None),
        "Title": (
            _ppr(keep=True, border=_border("bottom", title_rule, 12, 8), after=160, line=240),
            _rpr(26, title_color, bold=True, kern=28),
        ),
        "Subtitle": (_ppr(keep=True, before=60, after=360, line=264), _rpr(14, INK_SOFT, italic=False)),
        "Heading 1": (
            _ppr(keep=True, border=_border("bottom", RULE, 4, 4), before=480, after=160, line=240, outline=0),
            _rpr(18, BLUE, bold=True),
        ),
        "Heading 2": (_ppr(keep=True, before=320, after=100, line=240, outline=1), _rpr(14, BLUE, bold=True)),
        "Heading 3": (_ppr(keep=True, before=240, after=80, line=240, outline=2), _rpr(12, BLUE, bold=True)),
        "List Bullet": (_ppr(after=80, line=276, num=None, ind='<w:ind w:left="357" w:hanging="357"/>'), None),
        "List Number": (_ppr(after=80, line=276, num=None, ind='<w:ind w:left="357" w:hanging="357"/>'), None),
        "Vastbus Lokalt": (
            _ppr(
                border=_border("left", WARM, 24, 8),
                shade=WARM_SHADE,
                before=120,
                after=120,
                line=276,
                ind='<w:ind w:left="227" w:right="113"/>',
            ),
            _rpr(11, INK),
        ),
        "Vastbus Anteckning": (
            _ppr(
                border=_border("left", NOTE_BORDER, 18, 8),
                shade=NOTE_SHADE,
                before=60,
                after=120,
                line=264,
                ind='<w:ind w:left="397" w:right="113"/>',
            ),
            # What a trainer reads aloud: body size and ink, not small grey (issue 27).
            _rpr(11, INK),
        ),
        "Vastbus Referens": (_ppr(after=40, line=240), _rpr(9, GREY)),
        "Vastbus Sidfot": (_ppr(border=_border("top", RULE, 4, 4), after=0, line=240, widow=False), _rpr(8, GREY_FOOT)),
    }
    for name, (ppr, rpr_xml) in definitions.items():
        style = _style_el(doc, name)
        el = style.element
        if name.startswith("Vastbus"):
            style.base_style = doc.styles["Normal"]
            style.quick_style = True
            style.priority = 20
            if name != "Vastbus Sidfot":
                style.next_paragraph_style = doc.styles["Normal"]
        if name in ("List Bullet", "List Number"):
            # keep the numbering reference of the original style
            old = el.find(f"{_w('pPr')}/{_w('numPr')}")
            ppr = ppr.replace(
                "<w:widowControl/>", "<w:widowControl/>" + etree.tostring(old).decode().replace(f' xmlns:w="{W}"', "")
            )
        _set_style_props(el, ppr, rpr_xml)
        _sync_linked_char_style(doc, el)
        style.hidden = False
        style.unhide_when_used = False
    for name in ("Heading 2", "Heading 3", "List Bullet", "List Number", "Subtitle"):
        doc.styles[name].quick_style = True

    _numbering(doc)
    _table_style(doc)
    _settings(doc)

    # the theme (colours, Arial) so Word's theme pickers match the design
    theme = doc.part.part_related_by(DOCX_RT.THEME)
    _set_part_xml(theme, _theme_xml(theme.blob, "vastbus"))

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.25)

    # leftovers from python-docx's default template
    pkg = doc.part.package
    for rId, rel in list(pkg.rels.items()):
        if rel.reltype == DOCX_RT.THUMBNAIL:
            pkg.rels.pop(rId)
        elif rel.reltype == DOCX_RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.format(extra="<Template>Normal.dotm</Template>").encode()
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in (STYLES_WITH_EFFECTS, DOCX_RT.CUSTOM_XML):
            doc.part.rels.pop(rId)

    what = "utbildarhandledning" if guide else "deltagarmaterial"
    _set_core(
        doc.core_properties,
        f"vastbus – mall för {what}",
        f"Mall för {what} i vastbus. Skapad av templates/make_templates.py.",
    )

    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


# --------------------------------------------------------------------------------------
# The SIP diagram
# --------------------------------------------------------------------------------------

FONT_FILES = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)

SIP_STEPS = (
    ("1", "Upptäck behov"),
    ("2", "Förbered"),
    ("3", "Kalla / bjud in"),
    ("4", "SIP-möte"),
    ("5", "Följ upp"),
    ("6", "Avsluta"),
)


def _font(size: int) -> ImageFont.FreeTypeFont:
    for candidate in FONT_FILES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    raise SystemExit("no bold sans-serif TTF found; install fonts-liberation or fonts-dejavu")


def _mix(a: str, b: str, t: float) -> tuple[int, int, int]:
    ca = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    return tuple(round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """One line if it fits, else the most balanced split into two lines."""
    if draw.textlength(text, font=font) <= width:
        return [text]
    words = text.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return list(min(splits, key=lambda pair: max(draw.textlength(t, font=font) for t in pair)))


def build_sip_png(path: Path) -> None:
    """Draw the six SIP steps as chevrons, numbers inside and labels below."""
    s = 3  # draw at 3x and scale down for smooth edges
    W_, H_ = 1600, 600
    img = Image.new("RGB", (W_ * s, H_ * s), "white")
    draw = ImageDraw.Draw(img)
    margin, gap, point = 40, 14, 56
    n = len(SIP_STEPS)
    w = (W_ - 2 * margin + (n - 1) * (point - gap)) / n
    pitch = w - point + gap
    top, height = 140, 200
    num_font = _font(100 * s)
    label_font = _font(38 * s)
    ink = tuple(int(BLUE[k : k + 2], 16) for k in (0, 2, 4))
    mid = top + height / 2
    for i, (num, label) in enumerate(SIP_STEPS):
        x0 = margin + i * pitch
        x1 = x0 + w
        notch = point if i else 0
        poly = [
            (x0, top),
            (x1 - point, top),
            (x1, mid),
            (x1 - point, top + height),
            (x0, top + height),
            (x0 + notch, mid),
        ]
        draw.polygon([(x * s, y * s) for x, y in poly], fill=_mix(BLUE, TEAL, i / (n - 1)))
        cx = (x0 + notch / 2 + x1 - point / 2) / 2  # the chevron's visual centre
        draw.text((cx * s, mid * s), num, font=num_font, fill="white", anchor="mm")
        # the label under the chevron, up to two lines, first lines level across steps
        for j, text in enumerate(_wrap(draw, label, label_font, int((pitch - 24) * s))):
            draw.text((cx * s, (top + height + 40 + j * 48) * s), text, font=label_font, fill=ink, anchor="mt")
    img = img.resize((W_, H_), Image.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG", optimize=True)


# --------------------------------------------------------------------------------------


def main() -> None:
    """Write the three templates next to this script; the SIP picture only when asked to."""
    parser = argparse.ArgumentParser(description="Recreate the vastbus templates from code.")
    parser.add_argument(
        "--picture",
        action="store_true",
        help="also redraw images/sip-steg.png. Its text is drawn with the fonts and the Pillow on this "
        "machine, so the PNG differs between machines, and a different PNG makes every pack stale: "
        "redraw it only when the picture itself is meant to change, and commit it.",
    )
    picture = parser.parse_args().picture
    build_slides(HERE / "slides.pptx")
    build_docx(HERE / "handout.docx", guide=False)
    build_docx(HERE / "trainer-guide.docx", guide=True)
    written = ["slides.pptx", "handout.docx", "trainer-guide.docx"]
    if picture:
        build_sip_png(HERE / "images" / "sip-steg.png")
        written.append("images/sip-steg.png")
    for name in written:
        print(f"wrote templates/{name}")
    if not picture:
        print("left templates/images/sip-steg.png as it is (redraw it with --picture)")


if __name__ == "__main__":
    main()
