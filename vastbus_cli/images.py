"""Pictures for slides: what a file's header says, and whether every byte of it decodes.

``check`` verifies each picture fully so that ``build`` never meets a broken one: the
kind (PNG, JPEG or GIF), a size that is neither zero nor over :data:`MAX_PIXELS`, and
the image data itself. PNG is verified here, chunk by chunk (every checksum, the whole
compressed stream inflated to exactly the length the header promises, every row's
filter byte): that finds everything a decoder would, and importing Pillow and decoding
the shipped 1600×600 picture cost about 40 ms where inflating it costs 7. JPEG and GIF
are decoded in full with Pillow, which python-pptx already depends on.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from pathlib import Path
from typing import NamedTuple

from vastbus_cli import saferead
from vastbus_cli.i18n import N_, _, language
from vastbus_cli.rules import BAD_IMAGE_PATH, ERROR, IMAGE, PATH, Rule

# NamedTuples rather than dataclasses here and in render/templates.py: check imports
# both on every run, and a dataclass takes ~0.5 ms to create.

#: Larger pictures are refused: 40 megapixels is ten times what a 4K screen shows, and
#: decoding one takes 160 MB of memory in every process that renders it.
MAX_PIXELS = 40_000_000
#: Larger files are refused before they are read.
MAX_BYTES = saferead.LIMITS["picture"]

_BAD_PICTURE = N_(
    "a picture is cut short or damaged (every picture is decoded in full), has a zero width or height, "
    "or is over 40 megapixels"
)
BROKEN = Rule("image/broken", ERROR, IMAGE, _BAD_PICTURE)
TOO_LARGE = Rule("image/too-large", ERROR, IMAGE, _BAD_PICTURE)
NOT_AN_IMAGE = Rule("path/not-an-image", ERROR, PATH, BAD_IMAGE_PATH)
RULES: tuple[Rule, ...] = (BROKEN, TOO_LARGE, NOT_AN_IMAGE)


def hint_broken() -> str:
    """What to do with a damaged picture, in the current language."""
    return _("open it in an image editor, export it again as PNG and save it over the file")


def hint_too_large() -> str:
    """What to do with a picture over the limit, in the current language."""
    return _(
        "make it smaller: export it again as PNG at most about 2000 pixels wide (the limit is "
        "{limit} megapixels; a slide needs far less)"
    ).format(limit=MAX_PIXELS // 1_000_000)


_PNG = b"\x89PNG\r\n\x1a\n"
_SIGNATURES = {_PNG: "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}
#: PNG colour type → channels, and the bit depths it allows.
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
#: Adam7 passes: (first column, first row, column step, row step).
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
#: JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic); they carry the size.
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_INFLATE_STEP = 1 << 16  # output per step: stays in the CPU cache (measured: fastest of 16 kB–1 MB)


class ImageHeader(NamedTuple):
    """What a picture's header says: its kind and size in pixels."""

    kind: str  # "png", "jpeg" or "gif"
    width: int
    height: int

    @property
    def pixels(self) -> int:
        """Width times height."""
        return self.width * self.height

    @property
    def too_large(self) -> bool:
        """Whether the picture is over :data:`MAX_PIXELS`."""
        return self.pixels > MAX_PIXELS

    def size_text(self) -> str:
        """'60000×60000 pixels (3600.0 megapixels), over the limit of 40 megapixels'."""
        return _("{width}×{height} pixels ({megapixels} megapixels), over the limit of {limit} megapixels").format(
            width=self.width,
            height=self.height,
            megapixels=f"{self.pixels / 1_000_000:.1f}",
            limit=MAX_PIXELS // 1_000_000,
        )


class ImageProblem(NamedTuple):
    """Why a picture cannot go on a slide: the rule, what is wrong, and how to fix it."""

    declared: Rule
    reason: str
    hint: str

    @property
    def rule(self) -> str:
        """The id of the rule the problem is reported under."""
        return self.declared.id


class BrokenImage(ValueError):
    """The header cannot be read, or gives a zero size; ``str(error)`` says what is wrong."""


def image_kind(head: bytes) -> str | None:
    """'png', 'jpeg' or 'gif' from a file's first bytes, or None."""
    return next((kind for signature, kind in _SIGNATURES.items() if head.startswith(signature)), None)


def read_header(data: bytes) -> ImageHeader:
    """The kind and size a picture's header gives, without decoding the image data.

    Raises:
        BrokenImage: not a PNG, JPEG or GIF, the header is cut short or malformed, or
            the width or height is zero.
    """
    kind = image_kind(data[:8])
    if kind is None:
        raise BrokenImage(_("it is not a PNG, JPEG or GIF picture"))
    if kind == "png":
        header = _png_header(data)
    elif kind == "gif":
        if len(data) < 10:
            raise BrokenImage(_("the file ends after {n} bytes, inside the GIF header").format(n=len(data)))
        width, height = struct.unpack("<HH", data[6:10])
        header = ImageHeader("gif", width, height)
    else:
        header = _jpeg_header(data)
    for side, value in ((N_("width"), header.width), (N_("height"), header.height)):
        if value == 0:
            raise BrokenImage(
                _("the header says it is {width}×{height} pixels ({side} 0)").format(
                    width=header.width, height=header.height, side=_(side)
                )
            )
    return header


def _png_header(data: bytes) -> ImageHeader:
    if len(data) < 33:
        raise BrokenImage(_("the file ends after {n} bytes, inside the PNG header").format(n=len(data)))
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        raise BrokenImage(_("the PNG header (IHDR) is missing"))
    width, height = struct.unpack(">II", data[16:24])
    return ImageHeader("png", width, height)


def _jpeg_header(data: bytes) -> ImageHeader:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise BrokenImage(_("the JPEG header is malformed at byte {pos}").format(pos=pos))
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_FRAMES:
            if pos + 9 > len(data) or length < 7:
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageHeader("jpeg", width, height)
        if marker in (0xDA, 0xD9) or length < 2:  # image data or end before any frame header
            raise BrokenImage(_("the JPEG has no frame header (SOF), so its size is unknown"))
        pos += 2 + length
    raise BrokenImage(_("the file ends after {n} bytes, inside the JPEG header").format(n=len(data)))


def verify_bytes(data: bytes) -> ImageProblem | None:
    """Everything wrong with a picture's bytes, or None when it decodes in full."""
    if image_kind(data[:8]) is None:
        return ImageProblem(NOT_AN_IMAGE, _("it is not a PNG, JPEG or GIF picture"), _("export the picture as PNG"))
    try:
        header = read_header(data)
    except BrokenImage as error:
        return ImageProblem(BROKEN, str(error), hint_broken())
    if header.too_large:
        return ImageProblem(TOO_LARGE, header.size_text(), hint_too_large())
    reason = _verify_png(data, header) if header.kind == "png" else _decode_with_pillow(data, header)
    if reason is None:
        return None
    if isinstance(reason, ImageHeader):
        return ImageProblem(TOO_LARGE, reason.size_text(), hint_too_large())
    return ImageProblem(BROKEN, reason, hint_broken())


def _verify_png(data: bytes, header: ImageHeader) -> str | None:
    color_type, depth, interlace = data[25], data[24], data[28]
    problem = _png_header_problem(data, color_type, depth, interlace)
    if problem is not None:
        return problem
    rows = _RowFilters(header.width, header.height, _PNG_CHANNELS[color_type] * depth, interlace == 1)
    view = memoryview(data)
    inflater = zlib.decompressobj()
    pos, palette, idat_done, ended = 8, False, False, False
    while pos < len(data) and not ended:
        chunk = _png_chunk(data, view, pos)
        if isinstance(chunk, str):
            return chunk
        kind, end = chunk
        if kind == "IDAT":
            if idat_done:
                return _("the pixel data is split by other chunks")
            problem = rows.feed(inflater, view[pos + 8 : end])
            if problem:
                return problem
        elif rows.started:
            idat_done = True
        if kind == "PLTE":
            palette = True
        elif kind == "IEND":
            ended = True
        elif kind[0].isupper() and kind not in ("IHDR", "PLTE", "IDAT", "IEND"):
            return _("it has a chunk {kind} that standard PNG decoders refuse").format(kind=repr(kind))
        pos = end + 4
    return _png_end_problem(data, color_type, palette, ended, rows, inflater)


def _png_header_problem(data: bytes, color_type: int, depth: int, interlace: int) -> str | None:
    """What is impossible in the PNG header (IHDR): colour type, bit depth and methods."""
    if color_type not in _PNG_CHANNELS or depth not in _PNG_DEPTHS[color_type]:
        return _("the PNG header gives an impossible colour type {colour} with bit depth {depth}").format(
            colour=color_type, depth=depth
        )
    if data[26] != 0 or data[27] != 0 or interlace not in (0, 1):
        return _("the PNG header names an unknown compression, filter or interlace method")
    return None


def _png_chunk(data: bytes, view: memoryview, pos: int) -> tuple[str, int] | str:
    """The kind and end of the chunk at ``pos`` once its length and checksum hold, else what is wrong."""
    if pos + 12 > len(data):
        return _("the file ends after {n} bytes, inside a chunk header").format(n=len(data))
    length, raw_kind = struct.unpack(">I4s", data[pos : pos + 8])
    kind = raw_kind.decode("latin-1")
    if not raw_kind.isalpha():
        return _("the data at byte {pos} is not a PNG chunk: the file is damaged").format(pos=pos)
    end = pos + 8 + length
    if end + 4 > len(data):
        return _("the file ends after {n} bytes, inside chunk {kind} (the image is cut short)").format(
            n=len(data), kind=repr(kind)
        )
    (crc,) = struct.unpack(">I", data[end : end + 4])
    if zlib.crc32(view[pos + 4 : end]) != crc:
        return _("chunk {kind} at byte {pos} fails its checksum (CRC): the file is damaged").format(
            kind=repr(kind), pos=pos
        )
    return kind, end


def _png_end_problem(
    data: bytes, color_type: int, palette: bool, ended: bool, rows: _RowFilters, inflater: zlib._Decompress
) -> str | None:
    """What is missing once every chunk is read: the palette, the end chunk or pixel data."""
    if color_type == 3 and not palette:
        return _("the palette (PLTE) of a palette image is missing")
    if not ended:
        return _("the file ends before the end chunk (IEND): the image is cut short")
    if not rows.started:
        return _("it has no pixel data (IDAT)")
    if not inflater.eof or rows.produced != rows.expected:
        return _("the pixel data ends early: {produced} of {expected} bytes (the image is cut short)").format(
            produced=rows.produced, expected=rows.expected
        )
    return None


class _RowFilters:
    """Inflates PNG pixel data in steps and checks each row's filter byte (0–4) on the way."""

    def __init__(self, width: int, height: int, bits: int, interlaced: bool) -> None:
        # (start offset, end offset, row length incl. its filter byte) per pass.
        self.passes: list[tuple[int, int, int]] = []
        offset = 0
        for x0, y0, dx, dy in _ADAM7 if interlaced else ((0, 0, 1, 1),):
            columns, lines = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
            if columns and lines:
                stride = 1 + (columns * bits + 7) // 8
                self.passes.append((offset, offset + stride * lines, stride))
                offset += stride * lines
        self.expected = offset
        self.produced = 0
        self.started = False

    def feed(self, inflater: zlib._Decompress, chunk: memoryview) -> str | None:
        self.started = True
        pending: bytes | memoryview = chunk
        while pending:
            try:
                out = inflater.decompress(pending, _INFLATE_STEP)
            except zlib.error as error:
                return _("the pixel data is not valid compressed data ({error})").format(error=error)
            problem = self._rows(out)
            if problem:
                return problem
            pending = inflater.unconsumed_tail
        return None

    def _rows(self, out: bytes) -> str | None:
        start = self.produced
        self.produced += len(out)
        if self.produced > self.expected:
            return _("the pixel data is longer than the {expected} bytes its header promises").format(
                expected=self.expected
            )
        for first, last, stride in self.passes:
            low, high = max(start, first), min(self.produced, last)
            if low >= high:
                continue
            offset = low + (first - low) % stride
            if offset < high and max(out[offset - start : high - start : stride]) > 4:
                return _("the pixel data has a row with an unknown filter type: the file is damaged")
        return None


def _decode_with_pillow(data: bytes, header: ImageHeader) -> str | ImageHeader | None:
    """Decode every frame; the reason it failed, or the size Pillow found if over the limit."""
    from PIL import Image  # only JPEG and GIF need it; importing it costs ~20 ms

    formats = ["JPEG", "MPO"] if header.kind == "jpeg" else ["GIF"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=formats) as picture:
                found = ImageHeader(header.kind, *picture.size)
                if found.too_large:
                    return found
                for frame in range(getattr(picture, "n_frames", 1)):
                    picture.seek(frame)
                    picture.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return header
        # Pillow's decoders raise many kinds of error on hostile data (OSError, SyntaxError,
        # ValueError, struct.error, ZeroDivisionError, IndexError, ...); every one means broken.
        except Exception as error:
            return _("it cannot be decoded ({kind}: {error})").format(kind=type(error).__name__, error=error)
    return None


_verdicts: dict[tuple[str, int, int, str], ImageProblem | None] = {}


def verify_image(path: Path) -> ImageProblem | None:
    """Everything wrong with a picture file, or None; each file is decoded once while unchanged.

    The verdict is kept by path, size and modification time, so that a check decodes a
    picture shown on many slides once, and a changed file is decoded again.
    """
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, language())
        if key in _verdicts:
            return _verdicts[key]
        if stat.st_size > MAX_BYTES:
            verdict: ImageProblem | None = ImageProblem(
                TOO_LARGE,
                _("the file is {size} MB, over the limit of {limit} MB").format(
                    size=f"{stat.st_size / 1_000_000:.0f}", limit=MAX_BYTES // 1_000_000
                ),
                hint_too_large(),
            )
        else:
            verdict = verify_bytes(saferead.read_bytes(path, "picture"))
    except OSError as error:
        return ImageProblem(BROKEN, f"it cannot be read ({error.strerror or error})", "check the file's permissions")
    except saferead.Refused as refused:
        return ImageProblem(BROKEN, f"it cannot be read: {refused.message}", "replace it with a PNG or JPEG file")
    _verdicts[key] = verdict
    return verdict


__all__ = [
    "MAX_PIXELS",
    "BrokenImage",
    "ImageHeader",
    "ImageProblem",
    "image_kind",
    "read_header",
    "verify_bytes",
    "verify_image",
]
