"""Performance benchmarks, run by `make bench` (``python -m tests.benchmarks``), never by pytest.

Each benchmark is a function registered with ``@benchmark``: it receives the number of rows to work
on (``BENCH_ROWS``), a scratch folder and a ``report`` function that prints one line, and returns
whether its targets were met. The timings are printed, not asserted in tests: a test only checks
that each benchmark runs at a tiny size (tests/benchmarks/test_benchmarks.py).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

Report = Callable[[str], None]
Benchmark = Callable[..., bool]
BENCHMARKS: dict[str, Benchmark] = {}
DEFAULT_ROWS = 1_000_000


def benchmark(function: Benchmark) -> Benchmark:
    """Register ``function(*, rows, workdir, report) -> bool`` under its module and name."""
    BENCHMARKS[f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"] = function
    return function


@dataclass
class Timer:
    seconds: float = 0.0


@contextmanager
def timed() -> Iterator[Timer]:
    """``with timed() as t: ...`` then ``t.seconds`` (wall-clock, monotonic)."""
    timer = Timer()
    start = time.perf_counter()
    try:
        yield timer
    finally:
        timer.seconds = time.perf_counter() - start


def load() -> dict[str, Benchmark]:
    """Every benchmark module, imported so that its functions register themselves."""
    from . import td  # noqa: F401

    return BENCHMARKS


def run(*, rows: int, workdir: Path, report: Report = print, only: list[str] | None = None,
        results: dict | None = None) -> bool:
    """Run the benchmarks on an empty database; those that take ``results`` record their figures there."""
    ok = True
    for name, function in load().items():
        if only and not any(name.startswith(prefix) for prefix in only):
            continue
        report(f"== {name} ({rows:,} rows)")
        extra = {"results": results} if "results" in inspect.signature(function).parameters else {}
        passed = function(rows=rows, workdir=workdir, report=report, **extra)
        report(f"== {name}: {'PASS' if passed else 'FAIL'}")
        ok = ok and passed
    return ok
