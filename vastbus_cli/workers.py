"""How many workers to start: the one place that counts the processors (a leaf module)."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """Processors this process may run on: its CPU affinity where the system has one, else all of them.

    A container or ``taskset`` may give the process fewer processors than the machine has;
    more workers than those only wait for each other. ``os.process_cpu_count`` (Python 3.13)
    says the same; before it, ``os.sched_getaffinity`` (Linux) does.
    """
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(jobs: int | None, tasks: int | None = None) -> int:
    """``jobs`` workers, or one per usable processor; no more than ``tasks`` when given, and at least one."""
    wanted = jobs or usable_cpus()
    return max(1, wanted if tasks is None else min(wanted, tasks))
