"""Benchmark: ``vastbus check`` on the shipped workspace next to importing its libraries.

Run from the repository: ``python -m tests.benchmarks.bench_check [--runs N]``.
The reference is the bare interpreter importing pydantic, ruamel.yaml and typer;
the target is under 2.5x that. Bytecode is compiled first, as ``pip install`` does.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys

from tests.benchmarks.common import REPO, interleaved, table


def main() -> None:
    """Print the timing table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    compileall.compile_dir(REPO / "vastbus_cli", quiet=1)
    reference = "python -c 'import pydantic, ruamel.yaml, typer'"
    times = interleaved(
        {
            reference: [sys.executable, "-c", "import pydantic, ruamel.yaml, typer"],
            "vastbus check": [sys.executable, "-m", "vastbus_cli", "check"],
            "vastbus check --format json": [sys.executable, "-m", "vastbus_cli", "check", "--format", "json"],
        },
        runs,
    )
    print(f"vastbus check on the shipped workspace, {runs} interleaved runs each")
    print(table(times, reference))
    ratio = statistics.median(times["vastbus check"]) / statistics.median(times[reference])
    print(f"target: vastbus check under 2.5x the reference (median ratio {ratio:.2f}x)")


if __name__ == "__main__":
    main()
