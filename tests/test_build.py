"""`vastbus build`: packs for every district and audience, stamped, reproducible, incremental."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation
from typer.testing import Result

from tests.conftest import replace_in
from vastbus_cli import build as build_module
from vastbus_cli import buildpool, checking, fsio
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.errors import InputOutputError
from vastbus_cli.officetext import Parts, content_sha256, custom_properties, document_text, stamped_blocks
from vastbus_cli.texthash import block_sha

LOCAL = "curriculum/local/örgryte-härlanda/lokalt.yaml"
PACKS = [
    f"{district}/{audience}"
    for district in ("central", "örgryte-härlanda", "angered")
    for audience in ("bvc", "forskola")
]


def _files(folder: Path) -> dict[str, bytes]:
    """Every built file; the build-state cache (sizes and times) is not a deliverable."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".vastbus-build-state.json"
    }


@pytest.fixture
def built(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    return out


def test_every_pack_is_written_with_a_manifest(built: Path) -> None:
    for pack in PACKS:
        for name in ("slides.pptx", "handout.docx", "trainer-guide.docx"):
            assert (built / pack / name).is_file(), f"{pack}/{name}"
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == "bou-halsa-2023"
    assert len(manifest["files"]) == len(PACKS) * 3
    for entry in manifest["files"]:
        data = (built / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["stamp"]["vastbus.edition"] == "bou-halsa-2023"


def test_deck_reads_back_with_python_pptx(built: Path) -> None:
    deck = Presentation(str(built / "örgryte-härlanda/bvc/slides.pptx"))
    assert deck.slides
    for number, slide in enumerate(deck.slides, start=1):
        title = slide.shapes.title
        assert title is not None and title.text.strip(), f"slide {number} has no title"
        footer = [shape for shape in slide.shapes if shape.name == "Stämpel"]
        if number == 1:
            assert not footer, "the title slide carries no stamp"
            continue
        assert footer and "Samverkan för barns och ungas hälsa (justerad 2023)" in footer[0].text_frame.text
        assert "Kursversion 1.0.0" in footer[0].text_frame.text
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    assert all(run.font.language_id is not None for run in paragraph.runs)
    content = [s for s in deck.slides if s.slide_layout.name == "Innehåll"]
    assert content and all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in content)
    assert deck.core_properties.version == "1.0.0"
    assert deck.core_properties.language == "sv-SE"


def test_stamp_custom_properties(built: Path) -> None:
    with zipfile.ZipFile(built / "angered/forskola/handout.docx") as archive:
        properties = custom_properties(Parts(archive))
        text = document_text(Parts(archive), "docx")
    assert properties["vastbus.edition"] == "bou-halsa-2023"
    assert properties["vastbus.course_version"] == "1.0.0"
    assert properties["vastbus.district"] == "angered"
    assert properties["vastbus.audience"] == "forskola"
    assert properties["vastbus.tool_version"]
    assert properties["vastbus.content_sha256"] == content_sha256(text)


def test_every_built_file_is_stamped_with_the_hash_of_the_text_scan_reads(built: Path) -> None:
    files = sorted(built.rglob("*.pptx")) + sorted(built.rglob("*.docx"))
    assert files
    for path in files:
        with zipfile.ZipFile(path) as archive:
            parts = Parts(archive)
            assert custom_properties(parts)["vastbus.content_sha256"] == content_sha256(
                document_text(parts, path.suffix.lstrip("."))
            ), path


def test_text_in_the_templates_own_header_and_footer_is_stamped_as_scan_reads_it(mini: Path, tmp_path: Path) -> None:
    """The writers record the text they emit; a header a district put into its template is part of it."""
    template = mini / "templates" / "handout.docx"
    document = Document(str(template))
    document.sections[0].header.paragraphs[0].text = "Göteborgs Stad – Västbus"
    document.sections[0].first_page_footer.paragraphs[0].text = "Intern utbildning & fortbildning"
    document.sections[0].different_first_page_header_footer = True
    document.save(str(template))
    build(open_workspace(mini), tmp_path / "out", districts=["central"], jobs=1)
    handouts = sorted((tmp_path / "out").rglob("handout.docx"))
    assert handouts
    for path in handouts:
        with zipfile.ZipFile(path) as archive:
            parts = Parts(archive)
            read_back = document_text(parts, "docx")
            blocks = stamped_blocks(parts)
            stamped = custom_properties(parts)["vastbus.content_sha256"]
        assert ("header", "Göteborgs Stad – Västbus") in [(p.location, p.text) for p in read_back]
        assert ("footer", "Intern utbildning & fortbildning") in [(p.location, p.text) for p in read_back]
        assert blocks is not None
        assert [(at, sha) for at, (sha, _) in blocks.items()] == [(p.location, block_sha(p.text)) for p in read_back]
        assert stamped == content_sha256(read_back)


def test_local_slides_only_in_their_district(built: Path) -> None:
    def titles(pack: str) -> list[str]:
        deck = Presentation(str(built / pack / "slides.pptx"))
        return [slide.shapes.title.text for slide in deck.slides]

    local = titles("örgryte-härlanda/bvc")
    assert "Så gör vi här" in local
    assert "Lokala kontakter – Örgryte-Härlanda" in local
    deck = Presentation(str(built / "örgryte-härlanda/bvc/slides.pptx"))
    marked = next(s for s in deck.slides if s.shapes.title.text == "Så gör vi här")
    assert any(
        shape.name == "Lokalt tillägg" and "Lokalt tillägg – Örgryte-Härlanda" in shape.text_frame.text
        for shape in marked.shapes
    )
    assert marked.slide_layout.name == "Lokalt tillägg"
    for other in ("central/bvc", "angered/bvc"):
        assert "Så gör vi här" not in titles(other)
    central = [t for t in titles("central/bvc") if not t.startswith("Lokal")]
    local_part = ("Lokalt i Örgryte-Härlanda", "Så gör vi här", "Lokala kontakter – Örgryte-Härlanda")
    assert central == [t for t in local if t not in local_part]


def test_handout_and_guide_content(built: Path) -> None:
    handout = Document(str(built / "örgryte-härlanda/bvc/handout.docx"))
    text = "\n".join(p.text for p in handout.paragraphs)
    quiz = text.index("Testa dig själv")
    assert "Rätt svar" not in text[:quiz] and text.index("Facit") > quiz
    assert "Lokalt tillägg – Örgryte-Härlanda" in text
    assert any(table.cell(0, 0).text == "Roll" for table in handout.tables)
    assert "☐\tVårdnadshavarna" in text  # the quiz has tick boxes
    assert text.rstrip().endswith("Rätt svar: Vårdnadshavarna. Vårdnadshavarna samtycker.")  # the key comes last
    assert "Kursversion 1.0.0" in handout.sections[0].footer.paragraphs[0].text
    guide = Document(str(built / "central/bvc/trainer-guide.docx"))
    # Issue 27: each slide's notes sit beside its sketch, in a table; read the cells' paragraphs too.
    every = [*guide.paragraphs, *(p for t in guide.tables for c in t._cells for p in c.paragraphs)]
    guide_text = "\n".join(p.text for p in every)
    assert "Rätt svar: 2. Vårdnadshavarna" in guide_text
    assert "Fråga gruppen hur de brukar be om samtycke." in guide_text
    assert "För BVC: På BVC möter ni ofta familjen först." in guide_text
    assert "Lokalt tillägg" not in guide_text
    styles = {p.style.name for p in every}
    assert {"Title", "Heading 1", "Vastbus Anteckning", "Vastbus Referens"} <= styles


def test_two_builds_are_byte_identical(mini: Path, tmp_path: Path) -> None:
    build(open_workspace(mini), tmp_path / "a", jobs=1)
    build(open_workspace(mini), tmp_path / "b", jobs=2)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first.keys() == second.keys()
    assert first == second


def test_rebuild_writes_nothing(mini: Path, built: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    result = build(open_workspace(mini), built, jobs=1)
    assert result.written == []
    assert len(result.skipped) == len(PACKS) * 3
    assert before == {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}


def test_changed_local_file_rebuilds_only_its_district(mini: Path, built: Path) -> None:
    replace_in(
        mini / LOCAL,
        "Vi frågar alltid vårdnadshavarna först.",
        "Vi frågar alltid vårdnadshavarna först, i lugn och ro.",
    )
    result = build(open_workspace(mini), built, jobs=1)
    # The changed bullet is on the slides, and on the slide's sketch in the guide (issue 27); the
    # handouts carry contacts and routines, not the slides' bullets.
    assert sorted(result.written) == sorted(
        f"örgryte-härlanda/{a}/{part}" for a in ("bvc", "forskola") for part in ("slides.pptx", "trainer-guide.docx")
    )


def test_an_edit_that_changes_no_plan_writes_nothing_and_the_next_build_plans_nothing(
    mini: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = mini / "curriculum/modules/samtycke.yaml"
    module.write_text("# En kommentar ändrar inget i paketen.\n" + module.read_text(encoding="utf-8"), encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*.*x")}
    again = build(open_workspace(mini), built, jobs=1)
    assert again.written == [] and len(again.skipped) == len(PACKS) * 3
    assert before == {p: p.stat().st_mtime_ns for p in built.rglob("*.*x")}

    planned: list[str] = []
    plan_pack = buildpool.plan_pack

    def recording(sources: Any, audience: Any, district: Any, root: str) -> Any:
        planned.append(district.id if district else "central")
        return plan_pack(sources, audience, district, root)

    monkeypatch.setattr(buildpool, "plan_pack", recording)
    replace_in(mini / LOCAL, "Vi frågar alltid vårdnadshavarna först.", "Vi frågar alltid vårdnadshavarna, först.")
    written = build(open_workspace(mini), built, jobs=1).written
    # Only the district whose local file changed is planned again; the other packs are known current.
    assert set(planned) == {"örgryte-härlanda"}
    assert written and all(rel.startswith("örgryte-härlanda/") for rel in written)


def test_edited_output_is_rebuilt(mini: Path, built: Path) -> None:
    target = built / "central/bvc/handout.docx"
    target.write_bytes(b"edited by hand")
    result = build(open_workspace(mini), built, jobs=1)
    assert result.written == ["central/bvc/handout.docx"]
    assert zipfile.is_zipfile(target)


def test_packs_are_not_flushed_one_by_one_but_a_damaged_one_is_written_again(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[int] = []
    real_fsync = fsio.os.fsync
    monkeypatch.setattr(fsio.os, "fsync", lambda handle: flushed.append(handle) or real_fsync(handle))
    out = tmp_path / "ut"
    first = build(open_workspace(mini), out, jobs=1)
    # Only the manifest and the build state, which say what the packs are, are flushed to disk.
    assert len(flushed) == 2 < len(first.written)
    fsio.atomic_write_bytes(tmp_path / "post.txt", b"en rad")
    assert len(flushed) == 3  # everything else the tool writes (training records, edits) still is
    # What a power cut can leave of a file written but not yet on disk: nothing.
    (out / "central/bvc/slides.pptx").write_bytes(b"")
    again = build(open_workspace(mini), out, jobs=1)
    assert again.written == ["central/bvc/slides.pptx"]
    assert zipfile.is_zipfile(out / "central/bvc/slides.pptx")


def test_selection_and_formats(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "ett"
    result = build(open_workspace(mini), out, districts=["angered"], audiences=["bvc"], formats=["pptx"], jobs=1)
    assert result.written == ["angered/bvc/slides.pptx"]


def _disk_full_at_write(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The disk fills up at the ``failing``-th file the build moves into place."""
    calls = {"n": 0}
    original = fsio.replace

    def replace(source: Path, target: Path) -> None:
        calls["n"] += 1
        if calls["n"] == failing:
            raise OSError(28, "No space left on device")
        original(source, target)

    monkeypatch.setattr(fsio, "replace", replace)


def test_interrupted_write_leaves_the_old_files_whole(mini: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _files(built)
    _disk_full_at_write(monkeypatch, 3)
    with pytest.raises(InputOutputError):
        build(open_workspace(mini), built, jobs=1, force=True)
    after = _files(built)
    assert after.keys() == before.keys()
    for name, _data in after.items():
        if name.endswith((".pptx", ".docx")):
            assert zipfile.ZipFile(built / name).testzip() is None
    assert not list(built.rglob("*.tmp"))


def test_files_an_interrupted_build_never_reached_are_built_next_time(
    mini: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = mini / "curriculum/modules/samtycke.yaml"
    replace_in(module, "Vårdnadshavarna bestämmer vilka som deltar.", "En ny bild om samtycke: de bestämmer vilka.")
    _disk_full_at_write(monkeypatch, 2)
    with pytest.raises(InputOutputError):
        build(open_workspace(mini), built, jobs=1)
    monkeypatch.undo()
    again = build(open_workspace(mini), built, jobs=1)
    # Every deck holds the new slide; only the one written before the failure is already right.
    assert len(again.written) >= len(PACKS) - 1
    for pack in PACKS:
        deck = Presentation(str(built / pack / "slides.pptx"))
        texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
        assert any("En ny bild om samtycke" in text for text in texts), pack


def test_build_refuses_when_check_has_errors(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    replace_in(
        mini / "curriculum/modules/samtycke.yaml", '"En SIP kräver samtycke."', '"Ett Västbusmöte kräver samtycke."'
    )
    result = run("build", "--workspace", mini, "--out", tmp_path / "ut")
    assert result.exit_code == 1
    assert "term/outdated" in result.stdout
    assert "build refused" in result.stderr
    assert not (tmp_path / "ut").exists()


def test_a_refused_build_moves_nothing_into_place_while_workers_render(mini: Path, built: Path, tmp_path: Path) -> None:
    """With workers, packs are rendered while the check runs; a failed check leaves no trace of them."""
    before = _files(built)
    replace_in(
        mini / "curriculum/modules/samtycke.yaml", '"En SIP kräver samtycke."', '"Ett Västbusmöte kräver samtycke."'
    )
    with pytest.raises(build_module.BuildRefused):
        build(open_workspace(mini), built, jobs=2, force=True)
    assert _files(built) == before
    assert not list(built.rglob("*.tmp"))
    fresh = tmp_path / "ny"
    with pytest.raises(build_module.BuildRefused):
        build(open_workspace(mini), fresh, jobs=2)
    assert not fresh.exists()


def test_a_build_stopped_before_its_check_passed_leaves_nothing(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(checking, "check", stopped)
    out = tmp_path / "avbruten"
    with pytest.raises(KeyboardInterrupt):
        build(open_workspace(mini), out, jobs=2)
    assert not out.exists()


def test_packs_rendered_while_the_check_runs_are_moved_into_place(mini: Path, built: Path, tmp_path: Path) -> None:
    out = tmp_path / "två"
    result = build(open_workspace(mini), out, jobs=2)
    names = ("slides.pptx", "handout.docx", "trainer-guide.docx")
    assert sorted(result.written) == sorted(f"{pack}/{name}" for pack in PACKS for name in names)
    assert _files(out) == _files(built)
    assert not list(out.rglob("*.tmp"))


def test_cli_build_and_summary(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    result = run(
        "build",
        "--workspace",
        mini,
        "--out",
        tmp_path / "ut",
        "--district",
        "central",
        "--audience",
        "bvc",
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 3 files. Manifest:" in result.stderr
    again = run("build", "--workspace", mini, "--out", tmp_path / "ut", "--district", "central", "--audience", "bvc")
    assert "Nothing changed since the last build; unchanged: 3 files. Manifest:" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "majorna"], "unknown district 'majorna'"),
        (["--audience", "skolan"], "unknown audience 'skolan'"),
    ],
)
def test_unknown_selection_exits_2(
    mini: Path, run: Callable[..., Result], tmp_path: Path, args: list[str], message: str
) -> None:
    result = run("build", "--workspace", mini, "--out", tmp_path / "ut", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unwritable_out_exits_3(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    result = run("build", "--workspace", mini, "--out", blocker / "ut", "--jobs", "1")
    assert result.exit_code == 3
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output


def _break_zip_entry(path: Path, entry: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, data.replace(old, new) if info.filename == entry else data)


def test_missing_layout_is_named_by_check_and_build(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    _break_zip_entry(
        mini / "templates/slides.pptx", "ppt/slideLayouts/slideLayout6.xml", b'name="Quiz"', b'name="Fr\xc3\xa5gor"'
    )
    result = run("check", "--workspace", mini)
    assert result.exit_code == 1
    assert "templates/slides.pptx:0:0: error template/missing-layout slide layout 'Quiz' is missing" in result.stdout
    built = run("build", "--workspace", mini, "--out", tmp_path / "ut")
    assert built.exit_code == 1
    assert "slide layout 'Quiz' is missing" in built.stdout
    assert "Traceback" not in built.output


def test_missing_style_is_named(mini: Path, run: Callable[..., Result]) -> None:
    _break_zip_entry(mini / "templates/handout.docx", "word/styles.xml", b'w:val="Vastbus Lokalt"', b'w:val="Lokalt"')
    result = run("check", "--workspace", mini)
    assert result.exit_code == 1
    assert "paragraph style 'Vastbus Lokalt' is missing from templates/handout.docx" in result.stdout


def test_broken_template_is_a_finding(mini: Path, run: Callable[..., Result]) -> None:
    (mini / "templates/trainer-guide.docx").write_bytes(b"not a zip")
    result = run("check", "--workspace", mini)
    assert result.exit_code == 1
    assert "template/unreadable" in result.stdout


def _zipfile_bytes(entries: list[tuple[str, bytes]], day: dt.date) -> bytes:
    """What Python's zipfile writes for the same entries, as the build wrote packages before."""
    from vastbus_cli.render.package import FAST_PARTS

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            level = 1 if name in FAST_PARTS else 6  # the record of blocks: see render/package.FAST_PARTS
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=level)
    return output.getvalue()


def test_the_package_writer_writes_the_bytes_zipfile_writes(built: Path) -> None:
    from vastbus_cli.render.package import zip_entries

    day = dt.date(2025, 3, 1)
    made_up = [("[Content_Types].xml", b"<Types/>"), ("tomt.xml", b""), ("mapp/åäö.xml", "ö".encode() * 5000)]
    for entries in (made_up, made_up):  # the second time the parts come from the writer's cache
        assert zip_entries(entries, day) == _zipfile_bytes(entries, day)
    for path in sorted(built.rglob("*.*x")):
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            entries = [(info.filename, archive.read(info)) for info in infos]
            written = dt.date(*infos[0].date_time[:3])
        assert zip_entries(entries, written) == _zipfile_bytes(entries, written) == path.read_bytes(), path
