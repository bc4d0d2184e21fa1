"""The build's keys: digests of what each file is made from, so a build knows what it may skip.

Three levels: the workspace key (everything the build uses and its options: equal means
nothing can have changed), the input key of one file (its pack's documents, pictures and
template, known without planning) and the plan key of one file (its planned content).
Nothing depends on where the workspace is, so a copied or moved workspace builds nothing anew.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vastbus_cli import __version__, saferead
from vastbus_cli.models import District
from vastbus_cli.packs import CENTRAL, PARTS, Part
from vastbus_cli.render.packplan import PackPlan
from vastbus_cli.workspace import Document, Workspace


def workspace_key(keys: InputKeys, options: str) -> str:
    """Hash of what the build uses and its options: equal means nothing can have changed."""
    parts = [__version__, options, keys.shared]
    parts += [f"{folder}={digest}" for folder, digest in sorted(keys.local.items())]
    parts += [f"{name}={digest}" for name, digest in sorted(keys.templates.items())]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def plan_key(plan: PackPlan, part: Part, template_hash: str) -> str:
    """What one file is made from: the plan (workspace-relative), the template and the pictures' bytes.

    Nothing depends on where the workspace is, so a copied or moved workspace builds nothing anew.
    """
    images = sorted({s.image.path for s in plan.slides if s.image}) if part == "slides" else []
    digest = hashlib.sha256(f"{__version__}\x00{part}\x00{plan.digest(part)}\x00{template_hash}".encode())
    for image in images:
        digest.update(_safe_sha256(Path(image), "picture").encode())
    return digest.hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """The tool's own source: a change to a writer or to planning makes every file's inputs new."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class InputKeys:
    """Digests of what the files are made from, so a build knows what to skip without planning anything.

    A pack is made from the tool, the guidelines, the course, the districts, the modules and
    their pictures (``shared``), the local folders of its district and its area, and a
    template. Nothing depends on where the workspace is, so a moved workspace builds nothing anew.
    """

    shared: str
    local: dict[str, str]
    templates: dict[str, str]
    edition: str
    folder: Path  # the templates folder

    @classmethod
    def of(cls, workspace: Workspace, templates: Path, edition: str = "") -> InputKeys:
        """The digests of the documents the build plans from, their pictures and the three templates.

        Every file is read through :mod:`~vastbus_cli.saferead` (regular files within their
        limit, hashes streamed); one that cannot be read safely is hashed as a marker of why,
        and the check refuses the build.
        """
        shared = hashlib.sha256(_code_fingerprint().encode())
        documents: list[Document[Any]] = [*workspace.editions, *workspace.modules]
        documents += [doc for doc in (workspace.course, workspace.districts) if doc is not None]
        for doc in sorted(documents, key=lambda d: d.rel):
            shared.update(_file_digest(doc.rel, doc.loaded.text.encode("utf-8")))
        for module in workspace.modules:
            if module.model is not None:
                _add_pictures(shared, workspace.root, module.model.slides)
        local: dict[str, Any] = {}
        for doc in sorted(workspace.local, key=lambda d: d.rel):
            digest = local.setdefault(doc.folder_district, hashlib.sha256())
            digest.update(_file_digest(doc.rel, doc.loaded.text.encode("utf-8")))
            if doc.model is not None:
                _add_pictures(digest, workspace.root, doc.model.slides)
        return cls(
            shared.hexdigest(),
            {folder: digest.hexdigest() for folder, digest in local.items()},
            {name: _safe_sha256(templates / name, "template") for _, name, _ in PARTS.values()},
            edition,
            templates,
        )

    def key(self, part: Part, district: District | None, audience: str) -> str:
        """The input key of one file of one pack."""
        folders = [district.area, district.id] if district else []
        local = [f"{folder}={self.local.get(folder, '')}" for folder in folders if folder]
        text = "\x00".join([part, self.shared, self.edition, district.id if district else CENTRAL, audience, *local])
        return hashlib.sha256(f"{text}\x00{self.templates[PARTS[part][1]]}".encode()).hexdigest()


def _file_digest(rel: str, data: bytes) -> bytes:
    return rel.encode("utf-8") + b"\x00" + hashlib.sha256(data).digest()


def _safe_sha256(path: Path, kind: saferead.Kind) -> str:
    """A file's streamed SHA-256, or why it cannot be read safely (the check reports it)."""
    try:
        return saferead.sha256(path, kind)
    except saferead.Refused as refused:
        return f"unreadable:{refused.problem}"


def _add_pictures(digest: Any, root: Path, slides: Iterable[Any]) -> None:
    for path in sorted({slide.image.path for slide in slides if slide.image is not None}):
        digest.update(f"{path}\x00{_safe_sha256(root / path, 'picture')}".encode())
