"""Benchmark: ``vastbus check`` on the shipped workspace next to importing its libraries.

Run from the repository: ``python -m tests.benchmarks.bench_check [--runs N]``.
The reference is the bare interpreter importing pydantic, ruamel.yaml and typer;
the targets are check under 2x that, and --version and --help under 1.3x. Bytecode is compiled first, as ``pip install`` does.

Two floors: the least any YAML checker does before a rule runs (the same imports, then every
file check loads parsed by ruamel's C loader, no positions kept), and that with each file
validated against its model, which any checker of these files must also do (pydantic builds
the models' validators on first use). The rules, positions and output are above them.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time

from tests.benchmarks.common import REPO, interleaved, record, table

#: The floor: import what the reference imports, then parse every YAML file check loads.
_PARSE_EVERY_FILE = """
import pydantic, ruamel.yaml, typer
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe", pure=False)
files = sorted(Path("guidelines").glob("*.yaml")) + sorted(Path("curriculum").rglob("*.yaml"))
for path in files:
    yaml.load(path.read_text(encoding="utf-8"))
"""

#: The second floor: the same, and each file validated against its model.
_VALIDATE_EVERY_FILE = """
import pydantic, ruamel.yaml, typer
from pathlib import Path
from ruamel.yaml import YAML
from vastbus_cli.models import Course, Districts, Edition, LocalAddition, Module
from vastbus_cli.models import SessionsFile
yaml = YAML(typ="safe", pure=False)
models = {"guidelines": Edition, "course.yaml": Course, "districts.yaml": Districts, "modules": Module,
          "local": LocalAddition, "sessions": SessionsFile}
files = sorted(Path("guidelines").glob("*.yaml")) + sorted(Path("curriculum").rglob("*.yaml"))
for path in files:
    model = models.get(path.name) or next(m for part, m in models.items() if part in path.parts)
    model.model_validate(yaml.load(path.read_text(encoding="utf-8")))
"""


def main() -> None:
    """Print the timing table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    compileall.compile_dir(REPO / "vastbus_cli", quiet=1)
    reference = "python -c 'import pydantic, ruamel.yaml, typer'"
    floor = "floor: the imports, then every YAML file parsed"
    validated = "floor: ... and each file validated by its model"
    times = interleaved(
        {
            reference: [sys.executable, "-c", "import pydantic, ruamel.yaml, typer"],
            floor: [sys.executable, "-c", _PARSE_EVERY_FILE],
            validated: [sys.executable, "-c", _VALIDATE_EVERY_FILE],
            "vastbus check": [sys.executable, "-m", "vastbus_cli", "check"],
            "vastbus check --format json": [sys.executable, "-m", "vastbus_cli", "check", "--format", "json"],
            "vastbus check --spelling (answers cached)": [sys.executable, "-m", "vastbus_cli", "check", "--spelling"],
            "vastbus --version": [sys.executable, "-m", "vastbus_cli", "--version"],
            "vastbus --help": [sys.executable, "-m", "vastbus_cli", "--help"],
        },
        runs,
    )
    print(f"vastbus check on the shipped workspace, {runs} interleaved runs each")
    print(table(times, reference))
    ratio = statistics.median(times["vastbus check"]) / statistics.median(times[reference])
    print(f"target: vastbus check under 2x the reference (median ratio {ratio:.2f}x)")
    floor_ratio = statistics.median(times[floor]) / statistics.median(times[reference])
    validated_ratio = statistics.median(times[validated]) / statistics.median(times[reference])
    above_floor = statistics.median(times["vastbus check"]) - statistics.median(times[validated])
    print(
        f"the floors alone are {floor_ratio:.2f}x (parsing) and {validated_ratio:.2f}x (and validating) the "
        f"reference; check spends {above_floor * 1000:.0f} ms above the second (its command line, positions, "
        "every rule, the templates and the report)"
    )
    record(
        imports=statistics.median(times[reference]),
        check_floor=statistics.median(times[floor]),
        check_validated_floor=statistics.median(times[validated]),
        check=statistics.median(times["vastbus check"]),
        version=statistics.median(times["vastbus --version"]),
        help=statistics.median(times["vastbus --help"]),
    )
    for command in ("vastbus --version", "vastbus --help"):
        ratio = statistics.median(times[command]) / statistics.median(times[reference])
        print(f"target: {command} under 1.3x the reference (median ratio {ratio:.2f}x)")
    cold = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as cache:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "vastbus_cli", "check", "--spelling"],
                cwd=REPO,
                env={**os.environ, "XDG_CACHE_HOME": cache},
                capture_output=True,
                check=False,
            )
            cold.append(time.perf_counter() - started)
    print(
        f"vastbus check --spelling with an empty cache (loads the dictionary): median {statistics.median(cold):.2f} s"
    )


if __name__ == "__main__":
    main()
