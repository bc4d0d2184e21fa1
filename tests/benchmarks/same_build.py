"""Check that a change to the build's code leaves its output byte for byte as it was.

Run from the repository: ``python -m tests.benchmarks.same_build REV`` (a commit, tag or
branch, e.g. ``HEAD`` while the change is uncommitted). Builds the shipped workspace once
with REV's code (a temporary ``git worktree``) and once with the working tree's, each into
an empty folder, and compares every built file and ``manifest.json`` byte for byte. The
build state (``.vastbus-build-state.json``) is left out: it records a digest of the tool's
own code, which a change alters on purpose. Exit 0 when all are equal, 1 otherwise.
Made for performance work, where the output must not move at all.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.common import REPO

#: Written by every build, but holds a digest of the tool's code: not part of the output.
STATE = ".vastbus-build-state.json"


def _build(code: Path, out: Path) -> None:
    command = [sys.executable, "-m", "vastbus_cli", "build", "--out", str(out)]
    result = subprocess.run(command, cwd=code, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the build with the code in {code} failed: {result.stderr[-800:]}")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != STATE
    }


def main() -> None:
    """Build with both codes and compare."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev", help="the revision whose build is the reference")
    rev = parser.parse_args().rev
    scratch = Path(tempfile.mkdtemp(prefix="vastbus-same-"))
    worktree = scratch / "reference"
    try:
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), rev], cwd=REPO, check=True)
        _build(worktree, scratch / "before")
        _build(REPO, scratch / "after")
        before, after = _files(scratch / "before"), _files(scratch / "after")
        differing = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
        only = sorted(before.keys() ^ after.keys())
        print(f"{len(before)} files built with {rev}, {len(after)} with the working tree")
        for name in differing:
            print(f"differs: {name}")
        for name in only:
            print(f"only in {'the reference' if name in before else 'the working tree'}: {name}")
        if differing or only:
            sys.exit(1)
        print("byte for byte the same, manifest included")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
