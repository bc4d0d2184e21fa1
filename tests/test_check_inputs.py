"""`check` catches broken pictures, broken templates and costly patterns before `build` sees them."""

from __future__ import annotations

import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from typer.testing import Result

from tests.conftest import ENV, REPO, findings_of, replace_in, slow_except
from vastbus_cli import images
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build, plan_all
from vastbus_cli.errors import InputOutputError, VastbusError
from vastbus_cli.render.docx_writer import document_package
from vastbus_cli.render.pptx_writer import deck_package
from vastbus_cli.workspace import load_workspace

MOD = "curriculum/modules/samtycke.yaml"
LOCAL = "curriculum/local/örgryte-härlanda/lokalt.yaml"
G2021 = "guidelines/bou-halsa-2021.yaml"
SLIDES = "templates/slides.pptx"
HANDOUT = "templates/handout.docx"
GUIDE = "templates/trainer-guide.docx"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _line_of(path: Path, text: str) -> int:
    """1-based line of the first line containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def _check(workspace: Path, timeout: float = 120) -> tuple[int, dict[str, Any], str]:
    """``check --format json`` in a subprocess, so that a hang fails the test instead of the run."""
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "check", "--workspace", str(workspace), "--format", "json"],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **ENV},
        check=False,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return result.returncode, json.loads(result.stdout), stderr


# --- pictures -------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int = 4, height: int = 3, *, idat: bytes | None = None) -> bytes:
    """A PNG built by hand (RGB, 8 bits), every CRC right; ``idat`` replaces the pixel data."""
    rows = b"".join(b"\x00" + b"\x80" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(rows) if idat is None else idat
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _pillow(kind: str, size: tuple[int, int] = (64, 48)) -> bytes:
    picture = Image.new("RGB", size)
    picture.putdata([((x * 7) % 256, (y * 13) % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    stream = io.BytesIO()
    picture.save(stream, kind)
    return stream.getvalue()


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(_pillow("JPEG", (8, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _gif_claiming(width: int, height: int) -> bytes:
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    descriptor = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return b"GIF89a" + screen + descriptor + b"\x02\x02\x44\x01\x00;"


def _flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]


SHIPPED_PNG = (REPO / "templates/images/sip-steg.png").read_bytes()

BAD_PICTURES: list[tuple[str, bytes, str, str]] = [
    ("PNG signature only", PNG_SIGNATURE, "image/broken", "ends"),
    ("PNG width 0", _png(0, 3), "image/broken", "width 0"),
    ("PNG height 0", _png(4, 0), "image/broken", "height 0"),
    ("GIF header 30000x30000", _gif_claiming(30000, 30000), "image/too-large", "30000×30000"),
    ("JPEG header 60000x60000", _jpeg_claiming(60000, 60000), "image/too-large", "60000×60000"),
    ("PNG header then garbage", _png(100, 100)[:33] + bytes(range(256)) * 20, "image/broken", ""),
    ("PNG with garbage pixel data", _png(100, 100, idat=bytes(range(256)) * 20), "image/broken", "pixel data"),
    ("PNG cut in half", SHIPPED_PNG[: len(SHIPPED_PNG) // 2], "image/broken", ""),
    ("PNG with a wrong checksum", _flip(SHIPPED_PNG, SHIPPED_PNG.index(b"IDAT") + 20), "image/broken", "checksum"),
    ("JPEG cut in half", _pillow("JPEG")[: len(_pillow("JPEG")) // 2], "image/broken", ""),
    ("GIF cut in half", _pillow("GIF")[: len(_pillow("GIF")) // 2], "image/broken", ""),
]

IMAGE_YAML = '    image:\n      path: {path}\n      alt: "De sex stegen i SIP-processen"\n'


def _put_picture(workspace: Path, data: bytes, name: str = "bild.png", file: str = MOD) -> int:
    """Save a picture and show it on a slide of ``file``; the line of its path."""
    (workspace / "templates" / "images" / name).write_bytes(data)
    target = workspace / file
    text = target.read_text(encoding="utf-8")
    image = IMAGE_YAML.format(path=f"templates/images/{name}")
    if file == MOD:
        text = text.replace("    refs:\n", image + "    refs:\n", 1)
    else:
        text = text.rstrip("\n") + "\n" + image
    target.write_text(text, encoding="utf-8")
    return _line_of(target, f"path: templates/images/{name}")


@pytest.mark.parametrize(
    ("kind", "data"),
    [("PNG", SHIPPED_PNG), ("small PNG", _png()), ("JPEG", _pillow("JPEG")), ("GIF", _pillow("GIF"))],
    ids=["shipped PNG", "small PNG", "JPEG", "GIF"],
)
def test_good_picture_passes(mini: Path, check_json: Callable[..., dict[str, Any]], kind: str, data: bytes) -> None:
    suffix = {"JPEG": "jpg", "GIF": "gif"}.get(kind, "png")
    _put_picture(mini, data, f"bild.{suffix}")
    report = check_json(mini)
    assert report["findings"] == [], kind


@pytest.mark.parametrize(
    ("name", "data", "rule", "detail"), slow_except(BAD_PICTURES, ["PNG signature only", "GIF header 30000x30000"])
)
def test_bad_picture_is_a_finding_and_build_refuses(
    mini: Path, run: Callable[..., Result], tmp_path: Path, name: str, data: bytes, rule: str, detail: str
) -> None:
    line = _put_picture(mini, data)
    code, report, _ = _check(mini)
    assert code == 1
    (finding,) = findings_of(report, rule)
    assert (finding["file"], finding["line"], finding["severity"]) == (MOD, line, "error")
    assert "templates/images/bild.png" in finding["message"]
    assert detail in finding["message"]
    if rule == "image/too-large":
        assert "40 megapixels" in finding["message"]
        assert "smaller" in finding["hint"]
    else:
        assert "PNG" in finding["hint"]
    _build_is_refused(run, mini, tmp_path, rule)


def _build_is_refused(run: Callable[..., Result], mini: Path, tmp_path: Path, rule: str) -> None:
    """Build refuses with the finding and writes nothing, with one worker and with two.

    With two, packs are rendered while the check runs; none may be left behind.
    """
    for workers in ("1", "2"):
        out = tmp_path / f"ut-{workers}"
        built = run("build", "--workspace", mini, "--out", out, "--jobs", workers)
        assert built.exit_code == 1
        assert rule in built.stdout
        assert "Traceback" not in built.output
        assert not out.exists()


@pytest.mark.parametrize(("kind", "suffix"), [("JPEG", "jpg"), ("GIF", "gif"), ("PNG", "bild")])
def test_deck_names_the_picture_by_its_content(mini: Path, tmp_path: Path, kind: str, suffix: str) -> None:
    """The media part and its content type follow the bytes, not the file name (here also none)."""
    _put_picture(mini, _pillow(kind), f"bild.{suffix}" if suffix != "bild" else "bild")
    build(open_workspace(mini), tmp_path / "ut", districts=["central"], audiences=["bvc"], formats=["pptx"], jobs=1)
    deck = Presentation(str(tmp_path / "ut/central/bvc/slides.pptx"))
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [picture.image.content_type for picture in pictures] == [f"image/{kind.lower()}"]


def test_picture_in_a_local_addition_is_verified(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    line = _put_picture(mini, _png(0, 3), file=LOCAL)
    (finding,) = findings_of(check_json(mini), "image/broken")
    assert (finding["file"], finding["line"]) == (LOCAL, line)


def test_one_picture_on_two_slides_is_reported_at_both(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    _put_picture(mini, PNG_SIGNATURE)
    _put_picture(mini, PNG_SIGNATURE, file=LOCAL)
    assert {f["file"] for f in findings_of(check_json(mini), "image/broken")} == {MOD, LOCAL}


def test_verdict_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "bild.png"
    path.write_bytes(_png(0, 3))
    first = images.verify_image(path)
    assert first is not None
    assert first.rule == "image/broken"
    assert images.verify_image(path) is first
    path.write_bytes(_png())
    assert images.verify_image(path) is None


WRITER_PICTURES = [case[:2] for case in BAD_PICTURES[:5]] + [("empty", b""), ("text", b"not a picture")]


@pytest.mark.parametrize(("name", "data"), WRITER_PICTURES, ids=[case[0] for case in WRITER_PICTURES])
def test_deck_writer_refuses_an_unreadable_picture_cleanly(mini: Path, name: str, data: bytes) -> None:
    """Defence in depth: a picture broken after check is an InputOutputError, never a ZeroDivisionError."""
    _put_picture(mini, SHIPPED_PNG)
    (plan,) = plan_all(load_workspace(mini), districts=["central"], audiences=["bvc"])
    (mini / "templates/images/bild.png").write_bytes(data)
    with pytest.raises(InputOutputError, match=r"bild\.png"):
        deck_package(plan, mini / SLIDES)


# --- templates ------------------------------------------------------------------------------


def _rewrite(
    path: Path, *, drop: tuple[str, ...] = (), edit: dict[str, Callable[[bytes], bytes]] | None = None
) -> None:
    """Rewrite a template zip without some parts, or with some parts changed."""
    edits = edit or {}
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename in drop:
                continue
            change = edits.get(info.filename)
            target.writestr(info, change(data) if change else data)


def _corrupt_deflate(path: Path, part: str) -> None:
    """Make a part's compressed stream invalid: a first deflate block of the reserved type."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    data[info.header_offset + 30 + name_length + extra_length] = 0xFF
    path.write_bytes(bytes(data))


def _dtd_after_4k(data: bytes) -> bytes:
    """The same part with a DTD declaring an entity, after a comment longer than 4096 bytes."""
    declaration_end = data.index(b"?>") + 2
    root = re.search(rb"<(\w+:\w+)", data[declaration_end:])
    assert root is not None
    doctype = b"<!DOCTYPE " + root.group(1) + b' [<!ENTITY e "x">]>'
    return data[:declaration_end] + b"<!--" + b" " * 5000 + b"-->" + doctype + data[declaration_end:]


def _without_body(data: bytes) -> bytes:
    return re.sub(rb"<w:body>.*</w:body>", b"", data, flags=re.DOTALL)


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


TEMPLATE_CASES: list[tuple[str, str, Callable[[Path], None], str, str]] = [
    (
        "slides without notes master",
        SLIDES,
        lambda p: _rewrite(
            p, drop=("ppt/notesMasters/notesMaster1.xml", "ppt/notesMasters/_rels/notesMaster1.xml.rels")
        ),
        "template/missing-part",
        "notes master",
    ),
    (
        "slides without slide master",
        SLIDES,
        lambda p: _rewrite(
            p, drop=("ppt/slideMasters/slideMaster1.xml", "ppt/slideMasters/_rels/slideMaster1.xml.rels")
        ),
        "template/missing-part",
        "ppt/slideMasters/slideMaster1.xml",
    ),
    (
        "slides without theme",
        SLIDES,
        lambda p: _rewrite(p, drop=("ppt/theme/theme1.xml",)),
        "template/missing-part",
        "ppt/theme/theme1.xml",
    ),
    (
        "slides without presentation relationships",
        SLIDES,
        lambda p: _rewrite(p, drop=("ppt/_rels/presentation.xml.rels",)),
        "template/missing-part",
        "ppt/_rels/presentation.xml.rels",
    ),
    (
        "slides with truncated presentation.xml",
        SLIDES,
        lambda p: _rewrite(p, edit={"ppt/presentation.xml": _truncate}),
        "template/unreadable",
        "ppt/presentation.xml",
    ),
    (
        "slides with a DTD after 4 KB",
        SLIDES,
        lambda p: _rewrite(p, edit={"ppt/theme/theme1.xml": _dtd_after_4k}),
        "template/unreadable",
        "DTD",
    ),
    (
        "slides with a corrupt deflate stream",
        SLIDES,
        lambda p: _corrupt_deflate(p, "ppt/slideLayouts/slideLayout3.xml"),
        "template/unreadable",
        "ppt/slideLayouts/slideLayout3.xml",
    ),
    (
        "handout without document.xml",
        HANDOUT,
        lambda p: _rewrite(p, drop=("word/document.xml",)),
        "template/missing-part",
        "word/document.xml",
    ),
    (
        "handout without body",
        HANDOUT,
        lambda p: _rewrite(p, edit={"word/document.xml": _without_body}),
        "template/missing-part",
        "<w:body>",
    ),
    (
        "handout without styles",
        HANDOUT,
        lambda p: _rewrite(p, drop=("word/styles.xml",)),
        "template/missing-part",
        "word/styles.xml",
    ),
    (
        "handout without content types",
        HANDOUT,
        lambda p: _rewrite(p, drop=("[Content_Types].xml",)),
        "template/missing-part",
        "[Content_Types].xml",
    ),
    (
        "guide with a corrupt deflate stream",
        GUIDE,
        lambda p: _corrupt_deflate(p, "word/styles.xml"),
        "template/unreadable",
        "word/styles.xml",
    ),
    (
        "guide with an entity after 4 KB",
        GUIDE,
        lambda p: _rewrite(p, edit={"word/styles.xml": _dtd_after_4k}),
        "template/unreadable",
        "DTD",
    ),
]


def test_shipped_templates_pass(shipped: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    report = check_json(shipped)
    assert [f for f in report["findings"] if f["rule"].startswith(("template/", "image/", "pattern/"))] == []


@pytest.mark.parametrize(
    ("name", "template", "damage", "rule", "named"),
    slow_except(TEMPLATE_CASES, ["slides without notes master", "guide with a corrupt deflate stream"]),
)
def test_broken_template_is_a_finding_and_build_refuses(
    mini: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    name: str,
    template: str,
    damage: Callable[[Path], None],
    rule: str,
    named: str,
) -> None:
    damage(mini / template)
    code, report, _ = _check(mini)
    assert code == 1
    found = findings_of(report, rule)
    assert found, report["findings"]
    assert all(f["file"] == template and f["severity"] == "error" for f in found)
    assert any(named in f["message"] for f in found), found
    assert all(f"restore {template} from the repository, or re-save it in" in (f["hint"] or "") for f in found)
    _build_is_refused(run, mini, tmp_path, rule)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_template_that_is_a_pipe_is_unreadable_without_hanging(mini: Path) -> None:
    (mini / SLIDES).unlink()
    os.mkfifo(mini / SLIDES)
    code, report, _ = _check(mini, timeout=60)
    assert code == 1
    (finding,) = findings_of(report, "template/unreadable")
    assert finding["file"] == SLIDES
    assert "not a regular file" in finding["message"]


@pytest.mark.parametrize(
    ("name", "template", "damage", "rule", "named"),
    slow_except(TEMPLATE_CASES, ["slides with truncated presentation.xml", "handout without document.xml"]),
)
def test_build_force_on_template_broken_after_check_exits_3(
    mini: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    template: str,
    damage: Callable[[Path], None],
    rule: str,
    named: str,
) -> None:
    """Defence in depth: the writers name the broken part themselves (exit 3), never a traceback."""
    damage(mini / template)
    monkeypatch.setattr("vastbus_cli.render.templates.template_findings", lambda root: [])  # as if broken after check
    built = run("build", "--workspace", mini, "--out", tmp_path / "ut", "--jobs", "1", "--force")
    assert built.exit_code == 3, built.output
    assert "Traceback" not in built.output
    assert built.exception is None or isinstance(built.exception, SystemExit)
    assert Path(template).name in built.stderr
    assert "restore" in built.stderr


def test_writers_raise_a_vastbus_error_for_a_missing_part(mini: Path) -> None:
    (plan,) = plan_all(load_workspace(mini), districts=["central"], audiences=["bvc"])
    _rewrite(mini / SLIDES, drop=("ppt/notesMasters/notesMaster1.xml",))
    with pytest.raises(VastbusError, match="notes master") as deck_error:
        deck_package(plan, mini / SLIDES)
    _rewrite(mini / HANDOUT, drop=("word/document.xml",))
    with pytest.raises(VastbusError, match=r"word/document\.xml") as handout_error:
        document_package(plan.handout, plan.stamp, mini / HANDOUT)
    assert deck_error.value.exit_code == handout_error.value.exit_code == 3


# --- patterns -------------------------------------------------------------------------------

SLOW_PATTERNS: list[tuple[str, str, str]] = [
    # (pattern as written in YAML, text that makes it backtrack, expected rule or "" if regex copes)
    (r"(a+)+b", "a" * 3000 + "!", "pattern/too-slow"),
    (r"(a|a)+$", "a" * 40 + "!", "pattern/too-slow"),
    (r"(\\w+\\s?)+X", "Barnhälsovårdsutvecklingssamordnarens roll!", ""),
    (r"(.*)*x", "a" * 3000, "pattern/too-slow"),
]


@pytest.mark.parametrize(("pattern", "text", "rule"), slow_except(SLOW_PATTERNS, [r"(a+)+b", r"(\\w+\\s?)+X"]))
def test_backtracking_pattern_is_stopped_and_reported(mini: Path, pattern: str, text: str, rule: str) -> None:
    guideline = mini / G2021
    replace_in(guideline, 'pattern: "stadsdelsnämnd\\\\w*"', f'pattern: "{pattern}"')
    line = _line_of(guideline, f'pattern: "{pattern}"')
    replace_in(
        mini / MOD,
        '      - "En SIP kräver samtycke."\n',
        f'      - "En SIP kräver samtycke."\n      - "{text}"\n      - "Ett Västbusmöte kräver text."\n',
    )
    code, report, _ = _check(mini)
    assert code == 1
    # The check goes on: the other rules still find what they should.
    assert findings_of(report, "term/outdated")
    slow = findings_of(report, "pattern/too-slow")
    if not rule:
        assert slow == []
        return
    (finding,) = slow
    assert (finding["file"], finding["line"], finding["severity"]) == (G2021, line, "error")
    assert "stadsdelsnamnd" in finding["message"]
    assert "simplify the pattern: avoid nested repetition like (\\w+\\s?)+" in finding["hint"]


@pytest.mark.slow
def test_slow_claim_pattern_names_its_line(mini: Path) -> None:
    guideline = mini / G2021
    misconception = '    misconception: "Man kan hålla mötet eller dela information utan samtycke."\n'
    replace_in(guideline, misconception, misconception + '    patterns:\n      - "(a|a)+$"\n')
    line = _line_of(guideline, '      - "(a|a)+$"')
    replace_in(mini / MOD, '"En SIP kräver samtycke."', '"' + "a" * 40 + '!"')
    _, report, _ = _check(mini)
    (finding,) = findings_of(report, "pattern/too-slow")
    assert (finding["file"], finding["line"]) == (G2021, line)


@pytest.mark.parametrize(
    ("pattern", "detail"),
    slow_except(
        [
            ("(stadsdelsnämnd", "invalid regular expression"),
            (r"(?:(?:a{1000}){1000}){1000}", "repeat"),
            ("(" * 600 + "a" + ")" * 600, "nested too deeply"),
            ("|".join(f"ord{i}" for i in range(1000)), "characters long"),
        ],
        ["unclosed group", "compile-time blow-up"],
        ids=["unclosed group", "compile-time blow-up", "deep nesting", "very long"],
    ),
)
def test_invalid_pattern_is_a_finding(mini: Path, pattern: str, detail: str) -> None:
    guideline = mini / G2021
    replace_in(guideline, 'pattern: "stadsdelsnämnd\\\\w*"', f'pattern: "{pattern}"')
    line = _line_of(guideline, f'pattern: "{pattern}"')
    code, report, _ = _check(mini, timeout=60)
    assert code == 1
    found = [f for f in findings_of(report, "schema/value") if f["file"] == G2021]
    assert [f["line"] for f in found] == [line]
    assert detail in found[0]["message"]


RULESET_SCRIPT = """
import json
from vastbus_cli.findings import Severity
from vastbus_cli.textrules import RuleSet, TextRule

def rule(rule_id, pattern):
    return TextRule(rule_id, "term/outdated", Severity.ERROR, (pattern,), "m", "h", "bou-halsa-2021")

ruleset = RuleSet([rule("langsam", "(a|a)+$"), rule("snabb", "samtycke")])
first = [(i, m.rule.id, m.text) for i, m in ruleset.matches_many(["a" * 40 + "!", "Ingen SIP utan samtycke."])]
stopped = [(s.rule.id, s.position, s.source) for s in ruleset.too_slow.values()]
again = [m.text for _, m in ruleset.matches_many(["aaa", "samtycke"])]
print(json.dumps({"first": first, "stopped": stopped, "again": again}))
"""


def test_ruleset_stops_a_slow_rule_and_records_it() -> None:
    # A subprocess: before the fix this backtracked for ever inside the test run.
    result = subprocess.run(
        [sys.executable, "-c", RULESET_SCRIPT], capture_output=True, timeout=60, check=True, env={**os.environ, **ENV}
    )
    found = json.loads(result.stdout)
    assert found["first"] == [[1, "snabb", "samtycke"]]
    assert found["stopped"] == [["langsam", 0, "(a|a)+$"]]
    # Once stopped, the rule yields nothing more, even where it would match quickly.
    assert found["again"] == ["samtycke"]


@pytest.mark.slow
def test_scan_with_a_slow_pattern_finishes(mini: Path, tmp_path: Path) -> None:
    replace_in(mini / G2021, 'pattern: "stadsdelsnämnd\\\\w*"', 'pattern: "(a|a)+$"')
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "a" * 40 + "!"
    slide.placeholders[1].text = "Vi har Västbusmöte varje vecka."
    deck_path = tmp_path / "gammal.pptx"
    deck.save(str(deck_path))
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "scan", "--workspace", str(mini), "--format", "json", str(deck_path)],
        capture_output=True,
        timeout=120,
        env={**os.environ, **ENV},
        check=False,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["status"] == "outdated"
    assert "Västbusmöte" in {e["text"] for e in entry["evidence"]}


def test_regex_keeps_case_insensitive_swedish_matching(mini: Path) -> None:
    replace_in(mini / MOD, '"En SIP kräver samtycke."', '"VÄSTBUSMÖTET och LANDSTINGET kräver samtycke."')
    _, report, _ = _check(mini)
    assert sorted(f["message"].split(" — found ")[1] for f in findings_of(report, "term/outdated")) == [
        "'LANDSTINGET'",
        "'VÄSTBUSMÖTET'",
    ]


@pytest.mark.usefixtures("swedish")
def test_a_damaged_picture_is_explained_in_swedish_by_default(mini: Path, run: Callable[..., Result]) -> None:
    _put_picture(mini, _flip(SHIPPED_PNG, SHIPPED_PNG.index(b"IDAT") + 20))
    swedish = run("check", "--workspace", mini)
    assert swedish.exit_code == 1
    assert "fel kontrollsumma (CRC): filen är skadad" in swedish.stdout
    assert "exportera den igen som PNG" in swedish.stdout
    assert "checksum" not in swedish.stdout
    english = run("check", "--workspace", mini, "--lang", "en")
    assert "fails its checksum (CRC): the file is damaged" in english.stdout
